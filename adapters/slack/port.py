"""Slack delivery: the ``NotificationPort`` the dispatcher uses to DM people.

Synchronous (the dispatcher runs in a worker thread), on slack_sdk's
``WebClient`` with its retry handlers for rate limits (429, honouring
``Retry-After``) and connection errors. A reference is ``"{channel}:{ts}"``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from adapters.slack import render
from bot.messages import Outgoing
from bot.notify.ports import PermanentError, Recipient, TransientError

log = logging.getLogger("vigil.slack.port")

PERMANENT = frozenset({
    "user_not_found", "channel_not_found", "account_inactive", "user_disabled",
    "cannot_dm_bot", "is_archived", "not_in_channel", "message_not_found",
    "cant_update_message", "edit_window_closed", "invalid_blocks", "msg_too_long",
})


def default_retry_handlers() -> list[RetryHandler]:
    return [RateLimitErrorRetryHandler(max_retry_count=1),
            ConnectionErrorRetryHandler(max_retry_count=2)]


class SlackPort:
    """Sends notices as Slack DMs and edits them in place."""

    def __init__(self, token: str, base_url: str | None = None,
                 retry_handlers: list[RetryHandler] | None = None, timeout: int = 30) -> None:
        kwargs: dict[str, Any] = {"token": token, "timeout": timeout,
                                  "retry_handlers": default_retry_handlers()
                                  if retry_handlers is None else retry_handlers}
        if base_url:
            kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
        self.client = WebClient(**kwargs)
        self._dm: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> SlackPort:
        token = settings.slack_bot_token
        if token is None:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        return cls(token.get_secret_value() if hasattr(token, "get_secret_value") else token,
                   base_url=settings.slack_api_url)

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        if not platform_identity:
            raise PermanentError(f"{recipient.name} has no Slack identity")
        with _mapped("send"):
            channel = self._dm_channel(platform_identity)
            response = self.client.chat_postMessage(
                channel=channel, text=render.fallback_text(message),
                blocks=render.blocks(message), unfurl_links=False)
            if message.image_path:
                self.client.files_upload_v2(channel=channel, file=message.image_path,
                                            filename=os.path.basename(message.image_path),
                                            title="Vigil chart")
        return f"{response['channel']}:{response['ts']}"

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        channel, sep, ts = platform_ref.partition(":")
        if not sep or not channel or not ts:
            raise PermanentError(f"not a Slack message reference: {platform_ref!r}")
        with _mapped("edit"):
            self.client.chat_update(channel=channel, ts=ts, text=render.fallback_text(message),
                                    blocks=render.blocks(message))

    def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm:
            response = self.client.conversations_open(users=user_id)
            self._dm[user_id] = response["channel"]["id"]
        return self._dm[user_id]


class _mapped:
    """Turn slack_sdk errors into the port's Transient/Permanent errors."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: Any) -> None:
        if exc is None:
            return
        if isinstance(exc, SlackApiError):
            response = exc.response
            error = (response.get("error") if response is not None else None) or "unknown"
            status = getattr(response, "status_code", None)
            if status == 429 or error == "ratelimited":
                raise TransientError(f"slack {self.what}: rate limited",
                                     retry_after=_retry_after(response)) from exc
            if error in PERMANENT:
                raise PermanentError(f"slack {self.what}: {error}") from exc
            raise TransientError(f"slack {self.what}: {error}") from exc
        if isinstance(exc, (SlackClientError, OSError)):
            raise TransientError(f"slack {self.what}: {exc}") from exc


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None
