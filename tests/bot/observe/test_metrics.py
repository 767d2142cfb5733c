"""/metrics of a running ``serve``: after a tick and a sent notice, the numbers say so."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.app import serve
from bot.clock import FixedClock
from bot.config import Settings
from bot.messages import Incoming
from bot.notify.ports import RecordingPort
from bot.observe import metrics
from bot.observe.context import ObservedConversation
from bot.services import people as people_svc
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_after_a_tick_and_a_sent_notice(tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_uow_factory(engine)
    now = datetime.now(UTC)
    queued_at = now - timedelta(seconds=90)
    with factory() as u:
        ws = u.workspaces.create("console:default", "Console")
        ana = people_svc.add_person(u, ws.id, "Ana", handle="ana")
        u.people.add_identity(ws.id, ana.id, "console", "ana")
        task = u.tasks.add(ws.id, "File the VAT return", now, owner_id=ana.id, creator_id=ana.id)
        u.tasks.set_next_check(ws.id, {task.id: now - timedelta(seconds=30)})  # due 30 s ago
        # Ana's morning digest is not what this test counts (in working hours it would go too).
        u.people.set_next_digest(ws.id, {ana.id: now + timedelta(days=1)})
        payload = {"text": "Standup", "sections": [{"text": "Standup", "buttons": []}]}
        u.outbox.queue(ws.id, ana.id, "console", "reply", payload, "test:reply", queued_at,
                       queued_at)
        u.commit()
    engine.dispose()
    port = _free_port()
    settings = Settings(_env_file=None, VIGIL_DATABASE_URL=url, VIGIL_TICK_SECONDS=0.3,
                        VIGIL_HTTP_PORT=port)
    recording = RecordingPort()
    before = _samples(metrics.render().decode())

    async def scenario() -> str:
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, stop, ports={"console": recording}))
        deadline = time.monotonic() + 20
        async with aiohttp.ClientSession() as session:
            while True:
                assert time.monotonic() < deadline, "no sent notice and tick in /metrics"
                await asyncio.sleep(0.2)
                try:
                    async with session.get(f"http://127.0.0.1:{port}/metrics") as resp:
                        body = await resp.text()
                except aiohttp.ClientConnectionError:
                    continue
                seen = _samples(body)
                # The delivered counter moves once the send is recorded, a moment after the
                # port saw the message: wait until it has counted every send seen so far.
                counted = (_value(seen, "vigil_notices_delivered_total", platform="console",
                                  outcome="sent")
                           - _value(before, "vigil_notices_delivered_total", platform="console",
                                    outcome="sent"))
                if (recording.sent and counted >= len(recording.sent)
                        and _value(seen, "vigil_notices", platform="console", status="sent") >= 1
                        and _value(seen, "vigil_violations_firing",
                                   rule="task.missing_deadline", severity="warning") >= 1):
                    break
        stop.set()
        await asyncio.wait_for(running, 10)
        return body

    after = _samples(asyncio.run(scenario()))

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("vigil_ticks_total") >= 1
    assert grew("vigil_tick_duration_seconds_count") >= 1
    assert grew("vigil_tick_due_tasks_count") >= 1
    # The task's check was due 30 s before the first tick looked at it.
    assert grew("vigil_detection_delay_seconds_count") >= 1
    assert grew("vigil_detection_delay_seconds_bucket", le="15.0") == 0
    assert grew("vigil_detection_delay_seconds_bucket", le="60.0") >= 1
    assert grew("vigil_violation_changes_total", kind="fired") >= 1
    # The reply, and in working hours the missing-deadline alert too (else it waits, pending).
    delivered = grew("vigil_notices_delivered_total", platform="console", outcome="sent")
    assert delivered == len(recording.sent) >= 1
    statuses = {s: _value(after, "vigil_notices", platform="console", status=s)
                for s in ("pending", "sending", "sent", "failed")}
    assert statuses["sent"] >= 1 and sum(statuses.values()) == 2 and statuses["failed"] == 0
    # The reply was queued 90 s before it was sent.
    assert grew("vigil_delivery_latency_seconds_count", platform="console") == delivered
    assert (grew("vigil_delivery_latency_seconds_bucket", platform="console", le="120.0")
            - grew("vigil_delivery_latency_seconds_bucket", platform="console", le="60.0")) == 1
    # A scrape is counted once its response is out, so read this one from the registry.
    scrapes = metrics.REGISTRY.get_sample_value(
        "vigil_http_requests_total", {"route": "/metrics", "status": "200"}) or 0.0
    assert scrapes - _value(before, "vigil_http_requests_total", route="/metrics",
                            status="200") >= 1


def test_parse_outcomes_are_counted_by_intent_including_unknown(uow):
    conversation = ObservedConversation(uow, FixedClock(datetime(2026, 3, 3, 10, tzinfo=UTC)))
    ws, me = conversation.onboard("console:default", "Console", "console", "ana", "Ana")

    def count(intent: str) -> float:
        return metrics.REGISTRY.get_sample_value("vigil_parse_outcomes_total",
                                                 {"intent": intent}) or 0.0

    created, unknown, listed = count("create_task"), count("unknown"), count("list_tasks")
    for text in ("add Send the Acme filing by Friday", "what's on my plate?",
                 "asdf qwerty?"):  # "ok thanks" is small talk now: no parse
        conversation.handle(Incoming(ws, me, text=text))
    assert count("create_task") == created + 1
    assert count("list_tasks") == listed + 1
    assert count("unknown") == unknown + 1
