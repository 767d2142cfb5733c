"""Multi-workspace installs: Bolt's OAuth flow over HTTP, installations in Vigil's database."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from fake_slack import TEAM
from pydantic import SecretStr
from slack_harness import NOW, Slack, run, serve_http, settings_for, wait_for
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_app
from adapters.slack.oauth import OAuthStores, oauth_mode, oauth_settings, workspace_teams
from adapters.slack.port import SlackPort
from adapters.slack.runner import SlackRunner
from bot.messages import Outgoing
from bot.notify.dispatcher import Dispatcher
from bot.notify.ports import PermanentError, Recipient

CLIENT_ID = "1111.2222"
COOKIE = "slack-app-oauth-state"


def oauth_settings_for(fake, **extra: Any) -> SimpleNamespace:
    values: dict[str, Any] = {"slack_bot_token": None, "slack_client_id": CLIENT_ID,
                              "slack_client_secret": SecretStr("client-secret"), **extra}
    return settings_for(fake, **values)


class Browser:
    """The installer's browser: GETs the install and redirect pages, cookies by hand."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        self.session, self.base = session, f"http://127.0.0.1:{port}"

    async def install(self) -> tuple[int, str, str, str | None]:
        """(status, page, state in the authorize URL, state cookie)."""
        async with self.session.get(f"{self.base}/slack/install",
                                    allow_redirects=False) as resp:
            page = await resp.text()
            cookie = resp.cookies.get(COOKIE)
            found = re.search(r"state=([0-9a-f-]+)", page)
            return resp.status, page, found.group(1) if found else "", \
                cookie.value if cookie else None

    async def redirect(self, code: str, state: str, cookie: str | None) -> tuple[int, str]:
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with self.session.get(f"{self.base}/slack/oauth_redirect",
                                    params={"code": code, "state": state}, headers=headers,
                                    allow_redirects=False) as resp:
            return resp.status, await resp.text()


@pytest.fixture
def stores(engine) -> OAuthStores:
    return OAuthStores.on(engine, CLIENT_ID)


@pytest.fixture
def oauth_http(fake, conversation, stores):
    """``use(scenario)`` runs ``scenario(browser, slack)`` against an OAuth Bolt app."""
    def use(scenario: Callable[[Browser, Slack], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            settings = oauth_settings_for(fake)
            app = build_app(settings, conversation,
                            client=AsyncWebClient(base_url=fake.api_url),
                            oauth=oauth_settings(settings, stores))
            stop, port = await serve_http(app, 0, host="127.0.0.1")
            try:
                async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as s:
                    return await scenario(Browser(s, port), Slack(fake, s, port))
            finally:
                await stop()
        return run(main)
    return use


def test_install_page_links_to_slack_with_client_id_scopes_and_state(oauth_http):
    async def scenario(browser, slack):
        return await browser.install()

    status, page, state, cookie = oauth_http(scenario)
    assert status == 200
    assert "https://slack.com/oauth/v2/authorize?" in page
    assert f"client_id={CLIENT_ID}" in page and "chat:write" in page
    assert state and cookie == state  # the browser is bound to the state it was given


def test_redirect_exchanges_the_code_stores_the_install_and_commands_use_its_token(
        oauth_http, fake, stores, uow, engine):
    async def scenario(browser, slack):
        _, _, state, cookie = await browser.install()
        status, page = await browser.redirect("code-42", state, cookie)
        assert status == 200, page
        assert (await slack.command("add Send the Acme filing by Friday"))[0] == 200
        replies = await wait_for(fake, "respond")
        reused = await browser.redirect("code-42", state, cookie)  # a state works once
        return replies, reused

    replies, reused = oauth_http(scenario)
    exchange = fake.named("oauth.v2.access")
    assert len(exchange) == 1 and exchange[0].params["code"] == "code-42"
    installation = stores.installations.find_installation(enterprise_id=None, team_id=TEAM)
    assert installation is not None and installation.bot_token == "xoxb-installed-code-42"
    assert installation.bot_user_id == "UBOT" and installation.user_id == "U1"
    assert stores.bot_token(TEAM) == "xoxb-installed-code-42"
    assert "Added #1 Send the Acme filing" in replies[0].params["text"]
    # the command ran with the installed team's token
    assert {c.token for c in fake.named("users.info")} == {"xoxb-installed-code-42"}
    assert reused[0] == 401 and len(fake.named("oauth.v2.access")) == 1

    # delivery finds the token per team: workspace "slack:T1" -> T1 -> installed bot token
    with uow() as u:
        workspace = u.workspaces.by_key(f"slack:{TEAM}")
        person = u.people.by_identity(workspace.id, "slack", "U1")
    port = SlackPort(None, base_url=fake.api_url, retry_handlers=[],
                     token_for=stores.bot_token, team_of=workspace_teams(engine))
    ref = port.send(Recipient(workspace.id, person.id, "Marcus"), "U1", Outgoing.say("Hi"))
    assert ref.startswith(f"{TEAM}:DU1:")
    port.edit(ref, Outgoing.say("Hi again"))
    assert fake.named("chat.postMessage")[-1].token == "xoxb-installed-code-42"
    assert fake.named("chat.update")[-1].token == "xoxb-installed-code-42"
    with pytest.raises(PermanentError):
        port.send(Recipient(workspace.id + 999, person.id, "Nobody"), "U1", Outgoing.say("x"))


def test_bad_state_missing_cookie_and_bad_code_are_refused(oauth_http, fake, stores):
    async def scenario(browser, slack):
        _, _, state, cookie = await browser.install()
        forged = await browser.redirect("code-1", "forged-state", "forged-state")
        no_cookie = await browser.redirect("code-1", state, None)
        bad_code = await browser.redirect("bad", state, cookie)
        return forged[0], no_cookie[0], bad_code[0]

    forged, no_cookie, bad_code = oauth_http(scenario)
    assert forged == 401 and no_cookie == 400 and bad_code == 401
    assert [c.params["code"] for c in fake.named("oauth.v2.access")] == ["bad"]
    assert stores.installations.find_installation(enterprise_id=None, team_id=TEAM) is None


def test_a_team_that_never_installed_is_told_to_install_and_nothing_is_stored(
        oauth_http, fake, uow):
    async def scenario(browser, slack):
        status, _ = await slack.command("add Sneaky task")
        return status, await wait_for(fake, "respond")

    status, replies = oauth_http(scenario)
    assert status == 200 and "reinstall" in replies[0].params["text"]  # Bolt's own answer
    assert not fake.named("users.info") and not fake.named("oauth.v2.access")
    with uow() as u:
        assert u.workspaces.by_key(f"slack:{TEAM}") is None


def test_oauth_mode_needs_both_credentials_and_no_bot_token(fake, conversation):
    assert oauth_mode(oauth_settings_for(fake))
    assert not oauth_mode(oauth_settings_for(fake, slack_bot_token=SecretStr("xoxb-1")))
    assert not oauth_mode(settings_for(fake, slack_bot_token=None, slack_client_id=CLIENT_ID))
    with pytest.raises(ValueError, match="SLACK_CLIENT_ID"):
        build_app(settings_for(fake, slack_bot_token=None), conversation)


def test_from_settings_builds_stores_on_vigils_database(fake, conversation, engine, caplog):
    url = engine.url.render_as_string(hide_password=False)
    settings = oauth_settings_for(fake, database_url=url,
                                  slack_app_token=SecretStr("xapp-1"))
    port = SlackPort.from_settings(settings)
    assert port.token_for is not None and port.token_for(TEAM) is None  # tables exist, empty

    async def main() -> None:
        app = build_app(settings, conversation)
        assert app.oauth_flow is not None
        with caplog.at_level(logging.WARNING, logger="vigil.slack"):
            runner = SlackRunner(settings, conversation, app=app)
        assert runner.mode == "HTTP"

    run(main)
    assert "OAuth installs need HTTP mode" in caplog.text


async def _install(browser) -> None:
    _, _, state, cookie = await browser.install()
    status, page = await browser.redirect("code-42", state, cookie)
    assert status == 200, page


async def _until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Events are handled after Slack's ack: wait for their effect."""
    for _ in range(int(timeout / 0.02)):
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the event had no effect in time")


def test_app_uninstalled_deletes_the_installation_and_delivery_fails_for_good(
        oauth_http, fake, stores, uow, engine):
    async def scenario(browser, slack):
        await _install(browser)
        assert (await slack.command("add Send the Acme filing <@U1|marcus> by Friday"))[0] == 200
        await wait_for(fake, "respond")
        assert stores.bot_token(TEAM) == "xoxb-installed-code-42"
        status, _ = await slack.event({"type": "app_uninstalled", "event_ts": "1.1"}, "EvU")
        assert status == 200
        await _until(lambda: stores.bot_token(TEAM) is None and stores.installations
                     .find_installation(enterprise_id=None, team_id=TEAM) is None)

    oauth_http(scenario)
    assert stores.installations.find_installation(enterprise_id=None, team_id=TEAM) is None
    with uow() as u:
        workspace = u.workspaces.by_key(f"slack:{TEAM}")
        marcus = u.people.by_identity(workspace.id, "slack", "U1")
        u.outbox.add(workspace.id, marcus.id, "slack", "reply", {"text": "Hello"}, "hello:1",
                     NOW)
        u.commit()
    port = SlackPort(None, base_url=fake.api_url, retry_handlers=[],
                     token_for=stores.bot_token, team_of=workspace_teams(engine))
    before = len(fake.calls)
    result = Dispatcher(uow, {"slack": port}).run_once(NOW)
    assert len(result.failed) == 1 and not result.retried
    assert "not installed" in (result.failed[0].error or "")
    with pytest.raises(PermanentError):
        port.publish_home(Recipient(workspace.id, marcus.id, "Marcus"), "U1", Outgoing.say("x"))
    assert len(fake.calls) == before  # nothing was even tried against Slack
    with uow() as u:
        [row] = u.outbox.list(workspace.id)
    assert row.status == "failed"


def test_tokens_revoked_deletes_the_bot(oauth_http, fake, stores):
    async def scenario(browser, slack):
        await _install(browser)
        event = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": ["UBOT"]},
                 "event_ts": "1.2"}
        assert (await slack.event(event, "EvR"))[0] == 200
        await _until(lambda: stores.bot_token(TEAM) is None)
        # a later command from that team is not handled: Vigil is not installed there
        await slack.command("add Sneaky task")
        return await wait_for(fake, "respond")

    replies = oauth_http(scenario)
    assert "reinstall" in replies[0].params["text"]


def test_a_single_token_app_logs_its_uninstall(slack_http, fake, caplog):
    async def scenario(slack):
        with caplog.at_level(logging.WARNING, logger="vigil.slack"):
            status, _ = await slack.event({"type": "app_uninstalled", "event_ts": "1.1"},
                                          "EvU")
            for _ in range(250):
                if "uninstalled from Slack team T1" in caplog.text:
                    break
                await asyncio.sleep(0.02)
        return status

    assert slack_http(scenario) == 200
    assert "uninstalled from Slack team T1" in caplog.text
    assert not fake.named("chat.postMessage")


def test_the_installation_sets_the_workspace_up_with_the_installer_as_admin(
        oauth_http, fake, uow):
    async def scenario(browser, slack):
        with uow() as u:
            assert u.workspaces.by_key(f"slack:{TEAM}") is None
        await _install(browser)
        # a teammate's first contact, from a channel, joins as a member
        await slack.command("tasks", user="U2")
        return await wait_for(fake, "respond")

    oauth_http(scenario)
    with uow() as u:
        workspace = u.workspaces.by_key(f"slack:{TEAM}")
        assert workspace is not None and workspace.name == "Acme"
        roles = {p.name: p.role for p in u.people.list(workspace.id)}
    assert roles == {"Marcus Reed": "admin", "Priya Shah": "member"}
    assert fake.named("users.info")[0].token == "xoxb-installed-code-42"


def test_an_installed_team_without_its_workspace_is_told_to_reinstall_not_set_up_by_a_dm(
        oauth_http, fake, stores, uow):
    from slack_sdk.oauth.installation_store import Installation

    # an installation stored before Vigil set workspaces up at install time
    stores.installations.save(Installation(
        app_id="A1", team_id=TEAM, team_name="Acme", user_id="U1", bot_token="xoxb-old",
        bot_id="BBOT", bot_user_id="UBOT", bot_scopes=["chat:write"]))

    async def scenario(browser, slack):
        await slack.event({"type": "message", "channel_type": "im", "channel": "DU2",
                           "user": "U2", "text": "help", "ts": "1.1", "event_ts": "1.1"},
                          "EvR1")
        return await wait_for(fake, "chat.postMessage")

    [post] = oauth_http(scenario)
    assert "install it again" in post.params["text"]
    with uow() as u:
        assert u.workspaces.by_key(f"slack:{TEAM}") is None  # a DM did not make U2 admin
