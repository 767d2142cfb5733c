"""App Home follows task changes: signed commands and the tick mark people, the Home job
publishes through the real SlackPort (views.publish) on the fake Slack Web API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from fake_slack import TEAM
from pydantic import SecretStr
from slack_harness import NOW, wait_for

from adapters.slack.port import SlackPort
from bot.app import serve
from bot.clock import FixedClock
from bot.config import Settings
from bot.conversation import Conversation
from bot.jobs import refresh_homes, tick_all
from bot.messages import Incoming
from bot.notify.home import HomePublisher
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory


def publisher(fake, uow, retry_handlers=None) -> HomePublisher:
    port = SlackPort("xoxb-test", base_url=fake.api_url, retry_handlers=retry_handlers)
    return HomePublisher(uow, {"slack": port})


async def run_homes(homes: HomePublisher, at: datetime = NOW):
    return await asyncio.to_thread(refresh_homes, homes, FixedClock(at))


def published(fake, user: str) -> list[str]:
    """The block text of every views.publish for ``user`` that Slack accepted."""
    return [str(c.params["view"]["blocks"]) for c in fake.named("views.publish")
            if c.params.get("user_id") == user]


def marks(uow) -> list[int]:
    with uow() as u:
        return [h.person_id for h in u.homes.list()]


def test_a_task_assigned_by_command_is_published_to_the_owners_home(slack_http, fake, uow):
    homes = publisher(fake, uow)

    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U3|sam> by Friday")
        await wait_for(fake, "respond")
        return await run_homes(homes)

    result = slack_http(scenario)
    assert len(result.published) == 1 and marks(uow) == []
    [call] = fake.named("views.publish")
    assert call.params["user_id"] == "U3" and call.params["view"]["type"] == "home"
    assert "Send the Acme filing" in str(call.params["view"]["blocks"])
    assert call.token == "xoxb-test"


def test_two_quick_changes_make_one_publish_with_the_latest(slack_http, fake, uow):
    homes = publisher(fake, uow)

    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U1|marcus> by Friday")
        await wait_for(fake, "respond")
        await slack.command("progress #1 60%")
        await wait_for(fake, "respond", 2)
        await run_homes(homes)
        await run_homes(homes)  # nothing changed since: nothing to publish

    slack_http(scenario)
    [home] = published(fake, "U1")
    assert "60%" in home and len(fake.named("views.publish")) == 1


def test_the_tick_repaints_the_home_when_a_problem_fires(slack_http, fake, uow):
    homes = publisher(fake, uow)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # the Friday deadline has passed

    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U3|sam> by Friday")
        await wait_for(fake, "respond")
        await run_homes(homes)
        await asyncio.to_thread(tick_all, uow, FixedClock(saturday))
        await run_homes(homes, saturday)

    slack_http(scenario)
    before, after = published(fake, "U3")
    assert "overdue" not in before and "🟢" in before
    assert "overdue" in after and "🔴" in after


def test_a_rate_limited_home_stays_marked_and_is_published_later(slack_http, fake, uow):
    homes = publisher(fake, uow, retry_handlers=[])  # no in-process retry: the job's own
    fake.script["views.publish"] = [(429, {"ok": False, "error": "ratelimited"},
                                     {"Retry-After": "30"})]

    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U3|sam> by Friday")
        await wait_for(fake, "respond")
        first = await run_homes(homes)
        assert len(first.retried) == 1 and len(marks(uow)) == 1
        early = await run_homes(homes, NOW + timedelta(seconds=29))
        assert early.claimed == 0
        return await run_homes(homes, NOW + timedelta(seconds=30))

    later = slack_http(scenario)
    assert len(later.published) == 1 and marks(uow) == []
    calls = fake.named("views.publish")
    assert len(calls) == 2 and all(c.params["user_id"] == "U3" for c in calls)


def test_serve_publishes_marked_homes_on_its_schedule(fake, tmp_path):
    """``vigil run`` with Slack configured runs the Home job next to the others."""
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    engine = make_engine(url)
    upgrade(engine)
    uow = make_uow_factory(engine)
    conversation = Conversation(uow, FixedClock(datetime.now(UTC)))
    ws, person = conversation.onboard(f"slack:{TEAM}", "Acme", "slack", "U2", "Priya Shah",
                                      "priya", "Asia/Kolkata")
    conversation.handle(Incoming(ws, person, text="add Renew the domain @priya by Friday"))
    assert marks(uow) == [person]
    engine.dispose()
    settings = Settings(SLACK_BOT_TOKEN=SecretStr("xoxb-test"),
                        SLACK_SIGNING_SECRET=SecretStr("secret"), SLACK_API_URL=fake.api_url,
                        VIGIL_HTTP_PORT=0, VIGIL_DATABASE_URL=url, VIGIL_TICK_SECONDS=0.5,
                        _env_file=None)

    async def scenario() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, stop))
        try:
            await wait_for(fake, "views.publish", timeout=10)
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    assert "Renew the domain" in published(fake, "U2")[0]
    engine = make_engine(url)
    assert marks(make_uow_factory(engine)) == []
    engine.dispose()
