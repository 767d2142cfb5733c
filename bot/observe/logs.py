"""Logging for ``vigil run`` and the CLI: text or JSON lines, secrets always masked.

* ``VIGIL_LOG_FORMAT=json``: one JSON object per line — time, level, logger,
  message, and ``workspace_id`` / ``person_id`` / ``task_id`` /
  ``notification_id`` where known (from ``log_context`` or ``extra=``);
* the chatty libraries (httpx prints every request URL — with Telegram that URL
  holds the bot token —, telegram, slack_sdk, aiohttp, apscheduler) log at
  ``VIGIL_LIBRARY_LOG_LEVEL`` (WARNING);
* every handler masks secrets whatever the level: the configured tokens and
  secrets by value, and anything shaped like a Slack or Telegram token.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from pydantic import SecretStr

from bot.config import Settings

LIBRARY_LOGGERS = (
    "httpx", "httpcore", "telegram", "slack_sdk", "slack_bolt", "aiohttp", "aiohttp.access",
    "apscheduler", "asyncio", "websockets", "urllib3", "matplotlib", "PIL", "alembic",
)
CONTEXT_KEYS = ("workspace_id", "person_id", "task_id", "notification_id", "platform")
MASK = "[secret]"
# Shapes of secrets even when their value is not configured here (another bot's token in a URL).
TOKEN_SHAPES = re.compile(
    r"(?:xox[abposr]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,})"
)

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "vigil_log_context", default=None)


@contextlib.contextmanager
def log_context(**ids: Any) -> Iterator[None]:
    """Attach ids (workspace_id, person_id, task_id…) to every record logged inside."""
    merged = {**(_context.get() or {}), **{k: v for k, v in ids.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


class Redactor:
    """Replaces secret values and token-shaped strings by ``[secret]``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return TOKEN_SHAPES.sub(MASK, text)


def secrets_of(settings: Settings) -> list[str]:
    """Every SecretStr value configured in ``settings``."""
    values = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            values.append(value.get_secret_value())
    return values


def _ids(record: logging.LogRecord) -> dict[str, Any]:
    ids = dict(_context.get() or {})
    for key in CONTEXT_KEYS:
        if key in record.__dict__ and record.__dict__[key] is not None:
            ids[key] = record.__dict__[key]
    return ids


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message [workspace_id=… person_id=…]``, secrets masked."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = _ids(record)
        if ids:
            line += " [" + " ".join(f"{k}={v}" for k, v in ids.items()) + "]"
        return self.redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line, secrets masked."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        entry.update(_ids(record))
        if record.exc_info:
            entry["exception"] = self.redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = self.redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (it may be swapped, as in tests)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Install Vigil's one handler on the root logger (replacing earlier ones); return it."""
    redact = Redactor(secrets_of(settings))
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else StderrHandler())
    formatter: logging.Formatter = (
        JsonFormatter(redact) if settings.log_format == "json" else TextFormatter(redact))
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    logging.getLogger("vigil").setLevel(settings.log_level)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(settings.library_log_level)
    logging.captureWarnings(True)
    return handler
