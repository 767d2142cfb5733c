"""/healthz, /readyz and /metrics on the shared HTTP server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from bot.http_server import HttpServer
from bot.observe import health, metrics
from bot.observe.health import Readiness, TickClock, fetch_readiness, render_readiness
from bot.observe.supervisor import Backoff, Supervisor


class Down:
    name = "slack"
    mode = "Socket Mode"

    async def start(self) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    async def stop(self) -> None:
        pass


class Up(Down):
    name = "telegram"
    mode = "polling"

    async def start(self) -> None:
        pass


def _counter(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


async def _serve(readiness: Readiness) -> HttpServer:
    http = HttpServer(0, host="127.0.0.1")
    http.add_routes(health.routes(readiness), public=True)
    http.app.middlewares.insert(0, health.count_requests)
    await http.start()
    return http


async def _get(port: int, path: str) -> tuple[int, str, dict[str, Any] | None]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}{path}") as resp:
            body = await resp.text()
            data = await resp.json(content_type=None) if path == "/readyz" else None
            return resp.status, body, data


def test_readyz_names_what_is_not_ready_and_turns_ready_when_all_is():
    state = {"db_ok": True, "scheduler": True}

    def ping() -> None:
        if not state["db_ok"]:
            raise ConnectionRefusedError("could not connect to server")

    async def scenario() -> list[tuple[int, dict[str, Any] | None]]:
        down = Supervisor(Down(), Backoff(base=30, cap=30))
        up = Supervisor(Up(), Backoff())
        ticks = TickClock()
        readiness = Readiness(ping, lambda: state["scheduler"], ticks, 60.0, [down, up])
        http = await _serve(readiness)
        for s in (down, up):
            s.start()
        await asyncio.wait_for(asyncio.gather(down.first_attempt.wait(),
                                              up.first_attempt.wait()), 5)
        assert http.port is not None
        seen = []
        status, _, report = await _get(http.port, "/readyz")
        seen.append((status, report))
        state["db_ok"] = False
        state["scheduler"] = False
        status, _, report = await _get(http.port, "/readyz")
        seen.append((status, report))
        state["db_ok"] = True
        state["scheduler"] = True
        readiness.supervisors = [up]  # as if Slack were not configured
        ticks.finished()
        status, _, report = await _get(http.port, "/readyz")
        seen.append((status, report))
        healthz = await _get(http.port, "/healthz")
        seen.append((healthz[0], None))
        for s in (down, up):
            await s.stop()
        await http.stop()
        return seen

    before = _counter("vigil_http_requests_total", route="/readyz", status="503")
    (s1, r1), (s2, r2), (s3, r3), (s4, _) = asyncio.run(scenario())
    assert s1 == 503 and r1 is not None and r1["ready"] is False
    assert r1["checks"]["database"] == {"ok": True}
    assert r1["platforms"]["slack"]["state"] == "disconnected"
    assert "Connection refused" in r1["platforms"]["slack"]["last_error"]
    assert r1["platforms"]["telegram"]["connected"] is True
    assert s2 == 503 and r2 is not None
    assert r2["checks"]["database"]["ok"] is False
    assert "could not connect" in r2["checks"]["database"]["error"]
    assert r2["checks"]["scheduler"] == {"ok": False, "error": "the scheduler is not running"}
    assert s3 == 200 and r3 is not None and r3["ready"] is True
    assert s4 == 200
    assert _counter("vigil_http_requests_total", route="/readyz", status="503") == before + 2


def test_a_scheduler_without_a_recent_tick_is_not_ready():
    ticks = TickClock()
    readiness = Readiness(lambda: None, lambda: True, ticks, 1.0, [])
    ticks.started_at = time.monotonic() - 500
    assert readiness.scheduler()["ok"] is False
    assert "no tick" in readiness.scheduler()["error"]
    ticks.finished()
    assert readiness.scheduler()["ok"] is True


def test_metrics_page_is_prometheus_text_and_unknown_paths_are_counted_unmatched():
    async def scenario() -> tuple[int, str, int]:
        http = await _serve(Readiness(lambda: None, lambda: True, TickClock(), 60.0, []))
        assert http.port is not None
        metrics.count_parse("create_task")
        status, body, _ = await _get(http.port, "/metrics")
        missing, _, _ = await _get(http.port, "/no/such/page")
        await http.stop()
        return status, body, missing

    before = _counter("vigil_http_requests_total", route="unmatched", status="404")
    status, body, missing = asyncio.run(scenario())
    assert status == 200 and missing == 404
    assert "# TYPE vigil_ticks_total counter" in body
    assert 'vigil_parse_outcomes_total{intent="create_task"}' in body
    assert "_created" not in body
    assert _counter("vigil_http_requests_total", route="unmatched", status="404") == before + 1


def test_vigil_status_reads_the_running_service():
    async def scenario() -> tuple[dict[str, Any] | None, int]:
        down = Supervisor(Down(), Backoff(base=30, cap=30))
        http = await _serve(Readiness(lambda: None, lambda: True, TickClock(), 60.0, [down]))
        down.start()
        await asyncio.wait_for(down.first_attempt.wait(), 5)
        assert http.port is not None
        report = await asyncio.to_thread(fetch_readiness, http.port)
        await down.stop()
        await http.stop()
        return report, http.port

    report, port = asyncio.run(scenario())
    lines = render_readiness(report, port)
    assert lines[0] == f"vigil run    answering on port {port}: NOT ready"
    slack = next(line for line in lines if line.strip().startswith("slack"))
    assert "disconnected (Socket Mode)" in slack and "1 failed attempt(s)" in slack
    assert "Connection refused" in slack and "next attempt in" in slack


@pytest.mark.parametrize("port", [1])
def test_vigil_status_says_when_nothing_answers(port):
    assert fetch_readiness(port, timeout=0.5) is None
    assert "not answering on port 1" in render_readiness(None, port)[0]
