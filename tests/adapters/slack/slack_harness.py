"""Helpers and fixtures: a fake Slack Web API, a real Bolt app on it, signed requests.

A plain module (not conftest) so tests can import it by a unique name.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from fake_slack import TEAM, FakeSlack, start_fake_slack
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import http as slack_routes
from adapters.slack.app import build_app
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.http_server import HttpServer

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
SECRET = "test-signing-secret"
TIMEOUT = 15.0


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake, stop = start_fake_slack()
    try:
        yield fake
    finally:
        stop()


@pytest.fixture
def conversation(uow) -> Conversation:
    return Conversation(uow, FixedClock(NOW))


def settings_for(fake: FakeSlack, **extra: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr("xoxb-test"), "slack_app_token": None,
        "slack_signing_secret": SecretStr(SECRET), "slack_api_url": fake.api_url,
        "slack_client_id": None, "slack_client_secret": None, "http_port": 0,
    }
    values.update(extra)
    return SimpleNamespace(**values)


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run an async scenario with a hard timeout (no test may hang)."""
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), TIMEOUT)
    return asyncio.run(bounded())


async def wait_for(fake: FakeSlack, method: str, count: int = 1,
                   timeout: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = fake.named(method)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"expected {count} {method} call(s); all: "
                         f"{[(c.method, c.params.get('text')) for c in fake.calls]}")


async def serve_http(app: AsyncApp, port: int = 0, host: str = "127.0.0.1",
                     secret: str = SECRET) -> tuple[Callable[[], Awaitable[None]], int]:
    """Serve a Bolt app's Slack routes on a fresh shared HTTP server; (stop, bound port)."""
    http = HttpServer(port, host=host)
    slack_routes.register_routes(http, app, secret)
    return http.stop, await http.start()


class Slack:
    """Posts signed Slack-shaped requests to the Bolt HTTP endpoint."""

    def __init__(self, fake: FakeSlack, session: aiohttp.ClientSession, port: int) -> None:
        self.fake, self.session = fake, session
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.verifier = SignatureVerifier(SECRET)

    def signed(self, body: str, content_type: str, timestamp: int | None = None,
               secret: str | None = None, extra: dict[str, str] | None = None
               ) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        verifier = SignatureVerifier(secret) if secret else self.verifier
        return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body) or "",
                **(extra or {})}

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        async with self.session.post(self.url, data=body.encode(), headers=headers) as resp:
            return resp.status, await resp.text()

    def command_body(self, text: str, user: str = "U1", command: str = "/task",
                     channel: str = "C1", channel_name: str = "general") -> str:
        return urlencode({
            "token": "legacy", "team_id": TEAM, "team_domain": "acme", "channel_id": channel,
            "channel_name": channel_name, "user_id": user, "user_name": user.lower(),
            "command": command, "text": text, "api_app_id": "A1",
            "response_url": f"{self.fake.url}/respond/{user}", "trigger_id": "13345224609.1"})

    async def command(self, text: str, **kw: Any) -> tuple[int, str]:
        body = self.command_body(text, **kw)
        return await self.post(body, self.signed(body, "application/x-www-form-urlencoded"))

    async def event(self, event: dict[str, Any], event_id: str,
                    retry: int | None = None) -> tuple[int, str]:
        body = json.dumps({"token": "legacy", "team_id": TEAM, "api_app_id": "A1",
                           "event": event, "type": "event_callback", "event_id": event_id,
                           "event_time": int(time.time())})
        extra = {} if retry is None else {"X-Slack-Retry-Num": str(retry),
                                          "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(body, self.signed(body, "application/json", extra=extra))

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, self.signed(body, "application/x-www-form-urlencoded"))

    async def press(self, user: str, action: str, args: dict[str, Any],
                    channel: str = "C1") -> tuple[int, str]:
        value = json.dumps({"a": action, "args": args}, separators=(",", ":"))
        return await self.interaction({
            "type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": user, "team_id": TEAM}, "api_app_id": "A1",
            "container": {"type": "message", "channel_id": channel, "message_ts": "1.1"},
            "channel": {"id": channel, "name": "general"}, "trigger_id": "1.2",
            "response_url": f"{self.fake.url}/respond/{user}",
            "actions": [{"type": "button", "action_id": f"{action}:0", "block_id": "b1",
                         "value": value, "action_ts": "1.3"}]})


def installed_by(conversation: Conversation, user: str = "U1") -> tuple[int, int]:
    """The team's Vigil workspace as its installation leaves it: the installer is admin.

    (What the OAuth install, or in single-token mode the first DM, does.)
    """
    from fake_slack import USERS

    info = USERS[user]
    return conversation.onboard(f"slack:{TEAM}", "Acme", "slack", user, info["real_name"],
                                info["name"], info["tz"])


def bolt_over_http(fake: FakeSlack, conversation: Conversation, *, installed: bool):
    def use(scenario: Callable[[Slack], Awaitable[Any]]) -> Any:
        if installed:
            installed_by(conversation)

        async def main() -> Any:
            settings = settings_for(fake)
            client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
            app = build_app(settings, conversation, client=client)
            stop, port = await serve_http(app, 0, host="127.0.0.1")
            try:
                async with aiohttp.ClientSession() as session:
                    return await scenario(Slack(fake, session, port))
            finally:
                await stop()
        return run(main)
    return use


@pytest.fixture
def slack_http(fake, conversation):
    """``use(scenario)`` runs ``scenario(slack)`` against a real Bolt app over HTTP.

    The team has installed Vigil (U1, Marcus, is the admin).
    """
    return bolt_over_http(fake, conversation, installed=True)


@pytest.fixture
def slack_fresh(fake, conversation):
    """As ``slack_http``, in a team where nobody has set Vigil up yet."""
    return bolt_over_http(fake, conversation, installed=False)
