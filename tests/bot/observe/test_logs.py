"""Log lines: JSON when asked, ids where known, library chatter lowered, secrets masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.observe.logs import configure_logging, log_context

TG_TOKEN = "7311122334:AAFh-Zq0vYx9wTestTokenForVigilLogs01"
SLACK_BOT = "xoxb-1111-2222-abcdefABCDEF"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


def _settings(**env: str) -> Settings:
    return Settings(_env_file=None, TELEGRAM_BOT_TOKEN=TG_TOKEN, SLACK_BOT_TOKEN=SLACK_BOT,
                    SLACK_SIGNING_SECRET=SIGNING, **env)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {n: logging.getLogger(n).level for n in ("httpx", "vigil", "telegram", "aiohttp")}
    yield
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in handlers:
        root.addHandler(h)
    root.setLevel(level)
    for name, lvl in levels.items():
        logging.getLogger(name).setLevel(lvl)


def test_json_lines_carry_the_ids_known_where_the_record_was_made(restore_logging) -> None:
    out = io.StringIO()
    configure_logging(_settings(VIGIL_LOG_FORMAT="json"), stream=out)
    log = logging.getLogger("vigil.test")
    log.info("outside")
    with log_context(workspace_id=3, person_id=7):
        with log_context(task_id=41):
            log.warning("task %s overdue", 41)
        log.info("back to the person", extra={"notification_id": 9})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("it failed")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["message"] for e in lines] == ["outside", "task 41 overdue", "back to the person",
                                             "it failed"]
    assert "workspace_id" not in lines[0]
    assert (lines[1]["workspace_id"], lines[1]["person_id"], lines[1]["task_id"]) == (3, 7, 41)
    assert lines[1]["level"] == "WARNING" and lines[1]["logger"] == "vigil.test"
    assert "task_id" not in lines[2] and lines[2]["notification_id"] == 9
    assert "RuntimeError: boom" in lines[3]["exception"]
    assert lines[3]["time"].endswith("+00:00")


def test_library_loggers_are_quiet_below_warning_by_default(restore_logging) -> None:
    out = io.StringIO()
    configure_logging(_settings(), stream=out)
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/... 200 OK")
    logging.getLogger("aiohttp.access").info("127.0.0.1 GET /healthz 200")
    logging.getLogger("httpx").warning("connection pool full")
    logging.getLogger("vigil").info("Vigil is watching")
    text = out.getvalue()
    assert "HTTP Request" not in text and "GET /healthz" not in text
    assert "connection pool full" in text and "Vigil is watching" in text


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_masked_at_every_level(restore_logging, fmt: str) -> None:
    out = io.StringIO()
    configure_logging(_settings(VIGIL_LOG_FORMAT=fmt, VIGIL_LIBRARY_LOG_LEVEL="DEBUG",
                                VIGIL_LOG_LEVEL="DEBUG"), stream=out)
    # What httpx writes for every getUpdates call (python-telegram-bot puts the token in the URL).
    logging.getLogger("httpx").info(
        'HTTP Request: POST https://api.telegram.org/bot%s/getUpdates "HTTP/1.1 200 OK"', TG_TOKEN)
    logging.getLogger("slack_sdk.web").debug("Sending a request - headers: %s",
                                             {"Authorization": f"Bearer {SLACK_BOT}"})
    logging.getLogger("vigil").debug("signing secret is %s", SIGNING)
    # A token Vigil was not configured with (another bot's) is masked by its shape.
    other_bot = "5550001111:BBxx_yyyyzzzzwwwwvvvvuuuuttttssss1"
    logging.getLogger("telegram").debug("url /bot%s/getMe", other_bot)
    try:
        raise ValueError(f"bad token {TG_TOKEN}")
    except ValueError:
        logging.getLogger("vigil").exception("failed")
    text = out.getvalue()
    for secret in (TG_TOKEN, SLACK_BOT, SIGNING, other_bot, TG_TOKEN.split(":")[1]):
        assert secret not in text
    assert text.count("[secret]") == 5
    assert "getUpdates" in text  # the line itself is kept, only the secret is masked
