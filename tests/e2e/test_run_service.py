"""``vigil run`` as an operator runs it: a real process, signals, HTTP probes, its log.

* both platforms unreachable (a Socket Mode endpoint that refuses, a Bot API
  that never answers): Vigil starts, ticks, says so on /readyz and in
  ``vigil status``, logs one line per attempt, and stops on SIGTERM within 10 s;
* one platform down, the other (and the console) keep working;
* secrets never reach the log, even with every library at DEBUG.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
for folder in ("tests/adapters/slack", "tests/adapters/telegram"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

from fake_slack import FakeSlack, start_fake_slack  # noqa: E402
from slack_harness import SECRET, Slack  # noqa: E402
from tg_fake_api import (  # noqa: E402
    TOKEN,
    FakeBotApi,
    group_chat,
    message_update,
    private_chat,
    user,
)

pytestmark = pytest.mark.slow

SLACK_BOT = "xoxb-4242-7777-SlackBotTokenForTheLogTest"
SLACK_APP = "xapp-1-A0001-4242-SlackAppTokenForTheLogTest"
TG_TOKEN = "7000000001:AAHTelegramTokenThatMustNeverBeLogged"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake, stop = start_fake_slack()
    try:
        yield fake
    finally:
        stop()


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    api.thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()


@pytest.fixture
def silent_api() -> Iterator[str]:
    """A Bot API that accepts connections and never answers (every call times out)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/bot"
    finally:
        listener.close()


class Vigil:
    """A ``vigil run`` subprocess with its own database, port and log file."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.port = _free_port()
        self.log = tmp_path / "vigil.log"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT),
                    "VIGIL_DATABASE_URL": f"sqlite:///{tmp_path / 'vigil.db'}",
                    "VIGIL_HTTP_PORT": str(self.port), "VIGIL_TICK_SECONDS": "1",
                    "VIGIL_RECONNECT_MAX_SECONDS": "2", **env}
        self.env.pop("VIGIL_TEST_DATABASE_URL", None)
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=self.env,
                              cwd=self.log.parent, input=stdin, capture_output=True,
                              text=True, timeout=60)

    def get(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}",
                                        timeout=3) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def wait_ready_report(self, done: Any, timeout: float = 60.0) -> dict[str, Any]:
        """Poll /readyz until ``done(report)``; fail with the log if it never is."""
        deadline = time.monotonic() + timeout
        report: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                status, body = self.get("/readyz")
                report = {"status": status, **json.loads(body)}
                if done(report):
                    return report
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"/readyz never matched: {report}\n{self.log.read_text()}")

    def terminate(self, sig: int = signal.SIGTERM) -> float:
        """Send ``sig``; seconds until the process exited (killed and failed after 15 s)."""
        started = time.monotonic()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"vigil run ignored {sig}\n" + self.log.read_text()) from None
        return time.monotonic() - started

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _records(log: str) -> list[str]:
    """Log records of a text log: a record starts with its timestamp; tracebacks follow."""
    records: list[str] = []
    for line in log.splitlines():
        if line[:4].isdigit() or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    return records


def test_unreachable_platforms_never_take_vigil_down(tmp_path, fake_slack, silent_api):
    # apps.connections.open answers with a WebSocket URL whose port refuses.
    fake_slack.ws_url = f"ws://127.0.0.1:{_free_port()}/link"
    vigil = Vigil(tmp_path, SLACK_BOT_TOKEN=SLACK_BOT, SLACK_APP_TOKEN=SLACK_APP,
                  SLACK_API_URL=fake_slack.api_url, TELEGRAM_BOT_TOKEN=TG_TOKEN,
                  TELEGRAM_API_URL=silent_api)
    try:
        # Read between two of Slack's attempts (during one it is "connecting").
        report = vigil.wait_ready_report(
            lambda r: r["platforms"]["slack"]["failed_attempts"] >= 3
            and r["platforms"]["slack"]["state"] == "disconnected"
            and r["platforms"]["telegram"]["failed_attempts"] >= 1
            and r["checks"]["scheduler"].get("last_tick_seconds_ago") is not None)
        assert vigil.get("/healthz") == (200, "ok\n")
        status_line = vigil.cli("status")
        _, metrics_page = vigil.get("/metrics")
        elapsed = vigil.terminate()
    finally:
        vigil.stop()
    log = vigil.log.read_text()

    assert report["status"] == 503 and report["ready"] is False
    assert report["checks"]["database"] == {"ok": True}
    assert report["checks"]["scheduler"]["ok"] is True  # the ticks go on meanwhile
    slack, telegram = report["platforms"]["slack"], report["platforms"]["telegram"]
    assert slack["state"] == "disconnected" and slack["mode"] == "Socket Mode"
    assert "Cannot connect to host" in slack["last_error"]
    assert telegram["state"] in ("disconnected", "connecting")
    assert telegram["last_error"] == "TimedOut: Timed out"

    assert status_line.returncode == 0, status_line.stderr
    assert f"answering on port {vigil.port}: NOT ready" in status_line.stdout
    # Between the report and the CLI's own read Slack may already be trying again.
    assert re.search(r"slack +(disconnected|connecting) \(Socket Mode\)", status_line.stdout), \
        status_line.stdout

    assert 'vigil_platform_errors_total{kind="connect",platform="slack"}' in metrics_page
    assert 'vigil_platform_connected{platform="slack"} 0.0' in metrics_page

    assert elapsed < 10, f"SIGTERM took {elapsed:.1f} s"
    assert vigil.proc.returncode == 0
    assert "Vigil is watching" in log and log.rstrip().endswith("Vigil stopped")
    attempts = [line for line in log.splitlines() if "slack: not connected" in line]
    assert len(attempts) >= 3
    assert "attempt 1)" in attempts[0] and "attempt 3)" in attempts[2]
    # One traceback per platform (its first failure), then one line per attempt.
    with_traceback = [r for r in _records(log) if "Traceback (most recent call last)" in r]
    assert len(with_traceback) <= 2, with_traceback
    assert all("not connected" in r.splitlines()[0] for r in with_traceback)
    assert "Failed to connect" not in log  # slack_sdk's own endless retry is not running
    for secret in (SLACK_BOT, SLACK_APP, TG_TOKEN):
        assert secret not in log


def test_one_platform_down_the_other_and_the_console_keep_working(tmp_path, fake_slack,
                                                                  bot_api):
    fake_slack.ws_url = f"ws://127.0.0.1:{_free_port()}/link"
    vigil = Vigil(tmp_path, SLACK_BOT_TOKEN=SLACK_BOT, SLACK_APP_TOKEN=SLACK_APP,
                  SLACK_API_URL=fake_slack.api_url, TELEGRAM_BOT_TOKEN=TOKEN,
                  TELEGRAM_API_URL=bot_api.base_url)
    try:
        report = vigil.wait_ready_report(
            lambda r: r["platforms"]["telegram"]["connected"]
            and r["platforms"]["slack"]["failed_attempts"] >= 2)
        bot_api.push(message_update(private_chat(5), user(5, "Ana", "ana"), "/start"))
        answered = bot_api.wait_for("sendMessage", 1, 20.0)
        console = vigil.cli("console", "--as", "Ana", stdin="add Renew the domain by Friday\n")
        elapsed = vigil.terminate(signal.SIGINT)  # Ctrl-C stops it as fast as SIGTERM
    finally:
        vigil.stop()
    assert report["status"] == 503
    assert report["platforms"]["slack"]["state"] == "disconnected"
    assert answered[0]["chat_id"] in (5, "5")
    assert "Added #1 Renew the domain" in console.stdout, console.stdout + console.stderr
    assert elapsed < 10


def test_secrets_never_reach_the_log_even_at_debug(tmp_path, fake_slack, bot_api):
    webhook_secret = "tg-webhook-secret-never-logged"
    client_secret = "slack-client-secret-never-logged"
    vigil = Vigil(tmp_path, SLACK_BOT_TOKEN=SLACK_BOT, SLACK_SIGNING_SECRET=SECRET,
                  SLACK_API_URL=fake_slack.api_url, SLACK_CLIENT_SECRET=client_secret,
                  TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=bot_api.base_url,
                  TELEGRAM_WEBHOOK_SECRET=webhook_secret, VIGIL_LOG_FORMAT="json",
                  VIGIL_LOG_LEVEL="DEBUG", VIGIL_LIBRARY_LOG_LEVEL="DEBUG")
    try:
        vigil.wait_ready_report(lambda r: r["platforms"]["telegram"]["connected"]
                                and r["platforms"]["slack"]["connected"])
        ana = user(5, "Ana", "ana")
        bot_api.statuses[(-1001, 5)] = "administrator"  # only a group admin may /start it
        bot_api.push(message_update(group_chat(-1001), ana, "/start"))  # makes the workspace
        bot_api.push(message_update(group_chat(-1001), ana, "/tasks"))  # handled in it
        bot_api.wait_for("sendMessage", 2, 20.0)

        async def slash_command() -> int:
            async with aiohttp.ClientSession() as session:
                status, _ = await Slack(fake_slack, session, vigil.port).command("help")
                return status

        assert asyncio.run(slash_command()) == 200
        fake_slack.wait_for("respond", 1, 20.0)  # the answer went to the response_url
        time.sleep(2)  # a few more getUpdates calls, each logged by httpx at DEBUG
        vigil.terminate()
    finally:
        vigil.stop()
    lines = vigil.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    banner = [line for line in lines if not line.startswith("{")]
    assert entries and all(line.startswith(("Vigil is starting", " ")) for line in banner)
    text = "\n".join(lines)
    # The libraries did log the requests that carry the secrets ...
    assert any(e["logger"].startswith("httpx") and "getUpdates" in e["message"]
               for e in entries)
    assert any("[secret]" in e["message"] for e in entries)
    # ... and not one secret is in the log, at any level.
    for secret in (TOKEN, TOKEN.split(":")[1], SLACK_BOT, SECRET, webhook_secret,
                   client_secret):
        assert secret not in text, secret
    handled = [e for e in entries if e.get("workspace_id") and e.get("person_id")]
    assert handled, "no log line carried the workspace and person of a handled message"
