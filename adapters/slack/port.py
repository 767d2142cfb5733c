"""Slack delivery: the ``NotificationPort`` the dispatcher uses to DM people,
and the ``HomePort`` that publishes each person's App Home (``views.publish``).

Synchronous (the dispatcher and the Home job run in worker threads), on slack_sdk's
``WebClient`` WITHOUT its sleeping retry handlers: a 429 becomes a
``TransientError`` with ``Retry-After`` and the dispatcher reschedules the row
instead of holding its pass (and its lease) asleep. Each notice carries its
outbox ids as message metadata (``event_type: vigil_notice``); after an
attempt whose answer was lost, ``delivered`` reads the DM's recent history
for them, so the dispatcher does not send it twice. A reference is ``"{channel}:{ts}"``;
in multi-workspace (OAuth) mode it is ``"{team_id}:{channel}:{ts}"`` and each
team's bot token comes from a resolver over the installation store; a team
that uninstalled Vigil has none, so its notices fail at once (``PermanentError``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler

from adapters.slack import render
from adapters.slack.oauth import OAuthStores, oauth_mode, workspace_teams
from bot.charts import discard_chart
from bot.messages import Outgoing
from bot.notify.ports import PermanentError, Recipient, TransientError

log = logging.getLogger("vigil.slack.port")

PERMANENT = frozenset({
    "user_not_found", "channel_not_found", "account_inactive", "user_disabled",
    "cannot_dm_bot", "is_archived", "not_in_channel", "message_not_found",
    "cant_update_message", "edit_window_closed", "invalid_blocks", "msg_too_long",
    # the token is gone (app uninstalled, token revoked) or was never valid
    "token_revoked", "invalid_auth", "not_authed",
})


NOTICE_EVENT = "vigil_notice"  # message metadata event type carrying the outbox ids
HISTORY_LOOKBACK = 100  # recent DM messages searched for a notice in doubt


def default_retry_handlers() -> list[RetryHandler]:
    """None: retrying inside a call would sleep in the dispatcher's pass (see module doc)."""
    return []


class SlackPort:
    """Sends notices as Slack DMs, edits them in place, publishes App Homes."""

    def __init__(self, token: str | None, base_url: str | None = None,
                 retry_handlers: list[RetryHandler] | None = None, timeout: int = 30, *,
                 token_for: Callable[[str], str | None] | None = None,
                 team_of: Callable[[int], str | None] | None = None) -> None:
        """``token``: one workspace. Or ``token_for`` (team id -> bot token) with
        ``team_of`` (Vigil workspace id -> team id) for OAuth installs."""
        if not token and (token_for is None or team_of is None):
            raise ValueError("SlackPort needs a bot token or token_for and team_of")
        kwargs: dict[str, Any] = {"timeout": timeout,
                                  "retry_handlers": default_retry_handlers()
                                  if retry_handlers is None else retry_handlers}
        if base_url:
            kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
        self._kwargs = kwargs
        self.client = WebClient(token=token, **kwargs)
        self.token_for, self.team_of = token_for, team_of
        self._clients: dict[str, WebClient] = {}
        self._dm: dict[tuple[str | None, str], str] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> SlackPort:
        token = settings.slack_bot_token
        if token is None and oauth_mode(settings):
            from storage.db import make_engine
            engine = make_engine(settings.database_url)
            stores = OAuthStores.from_settings(settings, engine)
            return cls(None, base_url=settings.slack_api_url, token_for=stores.bot_token,
                       team_of=workspace_teams(engine))
        if token is None:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        return cls(token.get_secret_value() if hasattr(token, "get_secret_value") else token,
                   base_url=settings.slack_api_url)

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        if not platform_identity:
            raise PermanentError(f"{recipient.name} has no Slack identity")
        team = self._team(recipient)
        client = self._client(team)
        with _mapped("send"):
            channel = self._dm_channel(client, team, platform_identity)
            response = client.chat_postMessage(
                channel=channel, text=render.fallback_text(message),
                blocks=render.blocks(message), unfurl_links=False,
                metadata=_notice_metadata(message))
            if message.image_path:
                client.files_upload_v2(channel=channel, file=message.image_path,
                                       filename=os.path.basename(message.image_path),
                                       title="Vigil chart")
                discard_chart(message.image_path)
        ref = f"{response['channel']}:{response['ts']}"
        return f"{team}:{ref}" if team else ref

    def delivered(self, recipient: Recipient, platform_identity: str | None,
                  notice_ids: tuple[int, ...]) -> dict[int, str]:
        """Of ``notice_ids``, those found in the DM's recent messages -> their reference."""
        if not platform_identity:
            raise PermanentError(f"{recipient.name} has no Slack identity")
        team = self._team(recipient)
        client = self._client(team)
        wanted = set(notice_ids)
        found: dict[int, str] = {}
        with _mapped("lookup"):
            channel = self._dm_channel(client, team, platform_identity)
            history = client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK,
                                                   include_all_metadata=True)
        for item in history.get("messages") or ():
            metadata = item.get("metadata") or {}
            if metadata.get("event_type") != NOTICE_EVENT:
                continue
            ref = f"{channel}:{item.get('ts')}"
            for nid in (metadata.get("event_payload") or {}).get("notices") or ():
                if isinstance(nid, int) and nid in wanted and nid not in found:
                    found[nid] = f"{team}:{ref}" if team else ref
        return found

    def publish_home(self, recipient: Recipient, platform_identity: str,
                     message: Outgoing) -> None:
        """Replace the person's App Home tab with ``message`` (their My Tasks)."""
        if not platform_identity:
            raise PermanentError(f"{recipient.name} has no Slack identity")
        client = self._client(self._team(recipient))
        with _mapped("home"):
            client.views_publish(user_id=platform_identity, view=render.home_view(message))

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        parts = platform_ref.split(":")
        team = parts.pop(0) if len(parts) == 3 else None
        if len(parts) != 2 or not all(parts) or (team is not None and not team):
            raise PermanentError(f"not a Slack message reference: {platform_ref!r}")
        channel, ts = parts
        client = self._client(team)
        with _mapped("edit"):
            client.chat_update(channel=channel, ts=ts, text=render.fallback_text(message),
                               blocks=render.blocks(message))

    def _team(self, recipient: Recipient) -> str | None:
        """The recipient's Slack team in multi-workspace mode (None: the one workspace)."""
        if self.team_of is None:
            return None
        team = self.team_of(recipient.workspace_id)
        if not team:
            raise PermanentError(f"workspace {recipient.workspace_id} is not a Slack team")
        return team

    def _client(self, team: str | None) -> WebClient:
        """The default client, or one with ``team``'s installed bot token."""
        if team is None or self.token_for is None:
            if not self.client.token:
                raise PermanentError("no Slack team for this message")
            return self.client
        token = self.token_for(team)
        if not token:
            raise PermanentError(f"Vigil is not installed in Slack team {team}")
        client = self._clients.get(team)
        if client is None or client.token != token:  # a reinstall may bring a new token
            client = self._clients[team] = WebClient(token=token, **self._kwargs)
        return client

    def _dm_channel(self, client: WebClient, team: str | None, user_id: str) -> str:
        key = (team, user_id)
        if key not in self._dm:
            response = client.conversations_open(users=user_id)
            self._dm[key] = response["channel"]["id"]
        return self._dm[key]


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
            # A 5xx may come after Slack posted the message.
            raise TransientError(f"slack {self.what}: {error}",
                                 maybe_delivered=bool(status and status >= 500)) from exc
        if isinstance(exc, (SlackClientError, OSError)):
            raise TransientError(f"slack {self.what}: {exc}",
                                 maybe_delivered=not _refused(exc)) from exc


def _refused(exc: BaseException) -> bool:
    """The connection was never made, so the request cannot have arrived."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
        if not isinstance(seen, BaseException):
            return False
    return False


def _notice_metadata(message: Outgoing) -> dict[str, Any] | None:
    """Message metadata naming the outbox rows a notice carries (None: a plain message)."""
    if not message.notice_ids:
        return None
    return {"event_type": NOTICE_EVENT, "event_payload": {"notices": list(message.notice_ids)}}


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
