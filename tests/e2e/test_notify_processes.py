"""Two Vigil processes on one PostgreSQL: no double evaluation, no double send.

Each OS process runs the production jobs (``tick_all``, ``escalate_all``,
``dispatch_due``) in a loop on the same fixed instant; its port appends one
line per delivered item to a shared file. Afterwards every (recipient,
violation) must have been delivered exactly once, and every violation must
exist exactly once. PostgreSQL only (SQLite has one writer by construction).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.services import people as people_svc
from engine.model import WorkCalendar
from storage.uow import make_uow_factory

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # Tuesday, working time in London

WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import datetime
    from bot.clock import FixedClock
    from bot.jobs import dispatch_due, escalate_all, tick_all
    from bot.notify.dispatcher import Dispatcher
    from storage.db import make_engine
    from storage.uow import make_uow_factory

    url, out, go, now = sys.argv[1:5]
    clock = FixedClock(datetime.fromisoformat(now))

    class FilePort:
        def send(self, recipient, identity, message):
            with open(out, "a") as fh:
                for section in message.sections:
                    for button in section.buttons:
                        if button.action == "violation.ack":
                            line = {"pid": os.getpid(), "to": recipient.person_id,
                                    "violation": button.args["violation"]}
                            fh.write(json.dumps(line) + "\\n")
            time.sleep(0.05)  # a slow platform widens the race window
            return f"{os.getpid()}-{time.monotonic_ns()}"

        def edit(self, ref, message):
            pass

    engine = make_engine(url)
    uow = make_uow_factory(engine)
    dispatcher = Dispatcher(uow, {"*": FilePort()}, batch=3)
    with uow() as u:  # connected and warmed up
        u.workspaces.list()
    open(f"{go}.ready-{os.getpid()}", "w").close()
    while not os.path.exists(go):
        time.sleep(0.005)
    ticked = 0
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        ticked += sum(len(v) for v in tick_all(uow, clock).values())
        escalate_all(uow, clock)
        dispatch_due(dispatcher, clock, max_passes=1)
        time.sleep(0.002)
    print(json.dumps({"changes": ticked}))
    """
)


def test_two_processes_never_double_evaluate_or_double_send(
    engine: Engine, database_url: str | None, tmp_path: Path
) -> None:
    if database_url is None:
        pytest.skip("needs PostgreSQL (set VIGIL_TEST_DATABASE_URL)")
    uow = make_uow_factory(engine)
    with uow() as u:
        ws = u.workspaces.create("slack:T1", "Team", calendar=WorkCalendar(tz="Europe/London"))
        boss = people_svc.add_person(u, ws.id, "Boss")
        staff = [
            people_svc.add_person(u, ws.id, f"P{i}", reports_to_id=boss.id).id for i in range(4)
        ]
        ids = []
        for n in range(24):  # no deadline: one task.missing_deadline each, not yet evaluated
            task = u.tasks.add(ws.id, f"Job {n}", NOW, owner_id=staff[n % 4], creator_id=boss.id)
            ids.append(task.id)
        u.tasks.set_next_check(ws.id, dict.fromkeys(ids, NOW))
        u.commit()

    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    out, go = tmp_path / "sent.jsonl", tmp_path / "go"
    url = engine.url.render_as_string(hide_password=False)
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(out), str(go), NOW.isoformat()],
            cwd=root,
            env={**__import__("os").environ, "PYTHONPATH": str(root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    waited = time.monotonic()
    while len(list(tmp_path.glob("go.ready-*"))) < 2 and time.monotonic() - waited < 60:
        time.sleep(0.01)
    go.write_text("go")
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr

    changes = sorted(json.loads(o.strip().splitlines()[-1])["changes"] for o, _ in results)
    # Each task was decided by exactly one process, once: the shards of the
    # workspace's due work may have gone to either process (#18), never both.
    assert sum(changes) == 24

    lines = [json.loads(line) for line in out.read_text().splitlines()]
    delivered = [(line["to"], line["violation"]) for line in lines]
    assert len(delivered) == 24
    assert len(set(delivered)) == len(delivered), "a notice was sent twice"
    with uow() as u:
        firing = u.violations.all_firing(ws.id)
        rows = u.outbox.list(ws.id)
    assert len(firing) == 24 and len({v.fingerprint for v in firing}) == 24
    assert len(rows) == 24 and {r.status for r in rows} == {"sent"}
    assert {v for _, v in delivered} == {v.id for v in firing}
    assert len({line["pid"] for line in lines}) == 2, "both processes should have sent some"
