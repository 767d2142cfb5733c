"""Console and server together: a console person's notices wait for the console.

``vigil run`` has no terminal attached, so it must not mark them sent; the
console shows each person only their own, when they next open it (or switch
to them with ``/as``), and leaves the others' kept.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from bot.app import serve
from bot.cli import app
from bot.config import Settings, get_settings
from bot.services import people as people_svc
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    monkeypatch.setenv("VIGIL_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_uow_factory(engine)
    now = datetime.now(UTC)
    with factory() as u:
        ws = u.workspaces.create("console:default", "Console")
        for name in ("Ana", "Sam"):
            person = people_svc.add_person(u, ws.id, name, handle=name.lower())
            u.people.add_identity(ws.id, person.id, "console", name.lower())
            payload = {"text": f"Reminder for {name}: the Acme filing",
                       "sections": [{"text": f"Reminder for {name}: the Acme filing",
                                     "buttons": []}]}
            u.outbox.queue(ws.id, person.id, "console", "reply", payload,
                           f"test:{name}", now, now)
        u.commit()
    yield url, factory
    engine.dispose()
    get_settings.cache_clear()


def _statuses(factory) -> dict[str, str]:
    with factory() as u:
        ws = u.workspaces.by_key("console:default")
        names = {p.id: p.name for p in u.people.list(ws.id)}
        rows = u.outbox.recent("pending") + u.outbox.recent("sent")
        return {names[r.recipient_id]: r.status for r in rows}


def test_vigil_run_keeps_console_notices_and_the_console_shows_each_person_theirs(db):
    url, factory = db
    settings = Settings(_env_file=None, VIGIL_DATABASE_URL=url, VIGIL_TICK_SECONDS=0.2,
                        VIGIL_HTTP_PORT=0)

    async def run_for_a_while() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, stop))
        await asyncio.sleep(1.5)  # several dispatch passes
        stop.set()
        await asyncio.wait_for(running, 10)

    asyncio.run(run_for_a_while())
    assert _statuses(factory) == {"Ana": "pending", "Sam": "pending"}

    ana = runner.invoke(app, ["console", "--as", "Ana"], input="/quit\n")
    assert ana.exit_code == 0, ana.output
    assert "Reminder for Ana: the Acme filing" in ana.stdout
    assert "Reminder for Sam" not in ana.stdout
    assert _statuses(factory) == {"Ana": "sent", "Sam": "pending"}

    sam = runner.invoke(app, ["console", "--as", "Sam"], input="/quit\n")
    assert "Reminder for Sam: the Acme filing" in sam.stdout
    assert _statuses(factory) == {"Ana": "sent", "Sam": "sent"}


def test_switching_to_a_person_shows_what_was_kept_for_them(db):
    _url, factory = db
    result = runner.invoke(app, ["console", "--as", "Ana"], input="/as Sam\n/quit\n")
    text = result.stdout
    assert text.index("Reminder for Ana") < text.index("You are now Sam.")
    assert text.index("You are now Sam.") < text.index("Reminder for Sam")
    assert _statuses(factory) == {"Ana": "sent", "Sam": "sent"}
