"""kill -9 of a real ``vigil run`` while it delivers notices, then a restart.

200 notices for 20 people wait in the outbox of a database file (or a
PostgreSQL schema); ``vigil run`` sends them to a slow fake Slack on port 0
and is killed with SIGKILL part-way. The rows the dead process had claimed
stay ``sending`` until their 5-minute lease runs out; the test moves those
leases back by 5 minutes instead of waiting (as if the restart came that much
later). A second ``vigil run`` then takes the rows over — in doubt, so it
first looks them up in the person's DM history — and sends the rest.
Counted from the fake's own history: lost (never received) and duplicated
(received twice). The stated guarantee on Slack: 0 and 0; a platform without
message tags would allow one duplicate per row in flight at the kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.uow import make_uow_factory
from tests.adapters.slack.fake_slack import start_fake_slack
from tests.faults.conftest import report
from tests.faults.faulty_slack import FaultySlack
from tests.faults.test_slack_delivery_faults import queue

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
COUNT = 200
LEASE = timedelta(minutes=5)  # the dispatcher's lease in ``vigil run``


@pytest.fixture
def slack() -> Iterator[FaultySlack]:
    fake, stop = start_fake_slack(FaultySlack(post_delay=0.03))
    assert isinstance(fake, FaultySlack)
    yield fake
    stop()


def start(tmp_path: Path, url: str, slack: FaultySlack, n: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VIGIL_DATABASE_URL": url,
           "SLACK_BOT_TOKEN": "xoxb-kill-test", "SLACK_APP_TOKEN": "xapp-1-kill-test",
           "SLACK_API_URL": slack.api_url, "VIGIL_HTTP_PORT": "0",
           "VIGIL_TICK_SECONDS": "60", "VIGIL_RECONNECT_MAX_SECONDS": "30"}
    env.pop("VIGIL_TEST_DATABASE_URL", None)
    log = open(tmp_path / f"vigil-{n}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def wait_for(check, timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        assert proc.poll() is None, f"vigil run exited with {proc.returncode} before {what}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def statuses(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM notifications GROUP BY status"))
        return {str(s): int(n) for s, n in rows}


def test_kill_minus_nine_while_delivering_loses_nothing_and_sends_nothing_twice(
        engine, slack, tmp_path):
    ids = queue(make_uow_factory(engine), COUNT)
    url = engine.url.render_as_string(hide_password=False)
    slack.ws_url = "ws://127.0.0.1:1/"  # Socket Mode never connects; the Web API works
    first = start(tmp_path, url, slack, 1)
    try:
        wait_for(lambda: sum(slack.delivered_ids().values()) >= COUNT // 3, 90,
                 "a third of the notices", first)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    delivered_at_kill = sum(slack.delivered_ids().values())
    at_kill = statuses(engine)
    in_flight = at_kill.get("sending", 0)
    with engine.begin() as conn:  # the dead claimant's leases, run out
        conn.execute(text("UPDATE notifications SET next_attempt_at = :at "
                          "WHERE status = 'sending'"),
                     {"at": "2000-01-01 00:00:00" if engine.dialect.name == "sqlite"
                      else "2000-01-01T00:00:00+00:00"})
    second = start(tmp_path, url, slack, 2)
    try:
        wait_for(lambda: statuses(engine).get("sent", 0) == COUNT, 120,
                 "every notice sent after the restart", second)
        second.send_signal(signal.SIGTERM)
        second.wait(15)
    finally:
        if second.poll() is None:
            second.kill()
    seen = slack.delivered_ids()
    lost = sum(1 for i in ids if seen[i] == 0)
    duplicated = sum(seen[i] - 1 for i in ids if seen[i] > 1)
    report("kill-9-vigil-run", database=engine.dialect.name,
           delivered_before_kill=f"{delivered_at_kill}/{COUNT}", in_flight=in_flight,
           lost=f"{lost}/{COUNT}", duplicated=f"{duplicated}/{COUNT}")
    assert 0 < delivered_at_kill < COUNT, "the kill did not land mid-delivery"
    assert lost == 0
    assert duplicated == 0  # Slack: an in-doubt row is looked up before it is sent again
    assert statuses(engine) == {"sent": COUNT}
