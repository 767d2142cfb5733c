"""The real Bolt app over HTTP against a fake Slack Web API, with signed requests."""

from __future__ import annotations

import asyncio
import time

from fake_slack import TEAM
from slack_harness import wait_for

from adapters.slack.app import SeenEvents
from engine.model import Status


def _workspace(uow):
    with uow() as u:
        return u.workspaces.by_key(f"slack:{TEAM}")


def _task(uow, number):
    ws = _workspace(uow)
    with uow() as u:
        return u.tasks.by_number(ws.id, number)


def _count(uow):
    ws = _workspace(uow)
    with uow() as u:
        return u.tasks.count(ws.id)


def test_signed_slash_command_adds_the_task_and_replies_ephemerally(slack_http, fake, uow):
    async def scenario(slack):
        status, _ = await slack.command("add Send the Acme filing by Friday")
        assert status == 200
        return await wait_for(fake, "respond")

    replies = slack_http(scenario)
    reply = replies[0].params
    assert reply["response_type"] == "ephemeral"
    assert "Added #1 Send the Acme filing" in reply["text"] and "missing owner" in reply["text"]
    labels = [e["text"]["text"] for b in reply["blocks"] if b["type"] == "actions"
              for e in b["elements"]]
    assert "Assign to me" in labels
    task = _task(uow, 1)
    assert task.title == "Send the Acme filing" and task.owner_id is None
    # the person came from users.info, with their time zone
    assert [c.params["user"] for c in fake.named("users.info")] == ["U1"]
    workspace = _workspace(uow)
    with uow() as u:
        person = u.people.by_identity(workspace.id, "slack", "U1")
    assert person.name == "Marcus Reed" and person.handle == "marcus"
    assert workspace.calendar.tz == "Europe/London"  # first person's zone; person tz unset


def test_tasks_command_and_mentions_resolve_to_people(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U3|sam> by Friday")
        await wait_for(fake, "respond")
        await slack.command("", command="/tasks")
        return await wait_for(fake, "respond", 2)

    replies = slack_http(scenario)
    assert "Sam Ortiz" in replies[0].params["text"] or "@sam" in replies[0].params["text"]
    task = _task(uow, 1)
    with uow() as u:
        sam = u.people.by_identity(_workspace(uow).id, "slack", "U3")
    assert task.owner_id == sam.id
    assert "#1" not in replies[1].params["text"]  # Marcus owns nothing; Sam does


def test_forged_signature_is_rejected_and_touches_nothing(slack_fresh, fake, uow):
    async def scenario(slack):
        body = slack.command_body("add Forged task")
        forged = await slack.post(body, slack.signed(body, "application/x-www-form-urlencoded",
                                                     secret="not-the-secret"))
        unsigned = await slack.post(body, {"Content-Type": "application/x-www-form-urlencoded"})
        return forged[0], unsigned[0]

    assert slack_fresh(scenario) == (401, 401)
    assert fake.calls == []
    assert _workspace(uow) is None


def test_stale_timestamp_is_rejected_and_touches_nothing(slack_fresh, fake, uow):
    async def scenario(slack):
        body = slack.command_body("add Replayed task")
        headers = slack.signed(body, "application/x-www-form-urlencoded",
                               timestamp=int(time.time()) - 6 * 60)
        return (await slack.post(body, headers))[0]

    assert slack_fresh(scenario) == 401
    assert fake.calls == []
    assert _workspace(uow) is None


def test_button_is_authorised_as_the_presser(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U3|sam> by Friday")
        await wait_for(fake, "respond")
        task_id = _task(uow, 1).id
        # Priya (a member) presses Done on Sam's task: refused
        await slack.press("U2", "task.done", {"task": task_id})
        refused = (await wait_for(fake, "respond", 2))[1].params
        assert _task(uow, 1).status != Status.DONE
        # Sam, the owner, presses the same button: done
        await slack.press("U3", "task.done", {"task": task_id})
        done = (await wait_for(fake, "respond", 3))[2].params
        return refused, done

    refused, done = slack_http(scenario)
    assert refused["response_type"] == "ephemeral"
    assert "Only the owner or creator of #1" in refused["text"]
    assert "Nothing was changed" in refused["text"]
    assert _task(uow, 1).status == Status.DONE
    assert "#1" in done["text"]


def test_garbled_button_value_is_answered_not_crashed(slack_http, fake):
    async def scenario(slack):
        payload = {
            "type": "block_actions", "team": {"id": TEAM}, "user": {"id": "U1"},
            "channel": {"id": "C1"}, "response_url": f"{fake.url}/respond/x",
            "actions": [{"type": "button", "action_id": "task.done:0", "value": "{not json"}]}
        status, _ = await slack.interaction(payload)
        assert status == 200
        return await wait_for(fake, "respond")

    assert "out of date" in slack_http(scenario)[0].params["text"]


def _dm(text, user="U1"):
    return {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
            "text": text, "ts": "1700000001.000100", "event_ts": "1700000001.000100"}


def test_retried_event_creates_one_task(slack_http, fake, uow):
    async def scenario(slack):
        event = _dm("add Send the Acme filing by Friday")
        assert (await slack.event(event, "Ev1"))[0] == 200
        await wait_for(fake, "chat.postMessage")
        assert (await slack.event(event, "Ev1", retry=1))[0] == 200
        assert (await slack.event(event, "Ev1", retry=2))[0] == 200
        await slack.event(_dm("tasks"), "Ev2")
        return await wait_for(fake, "chat.postMessage", 2)

    posts = slack_http(scenario)
    assert len(posts) == 2 and posts[0].params["channel"] == "DU1"
    assert "Added #1" in posts[0].params["text"]
    assert _count(uow) == 1


def test_app_mention_strips_the_bot_and_answers_ephemerally(slack_http, fake, uow):
    async def scenario(slack):
        event = {"type": "app_mention", "channel": "C9", "user": "U1",
                 "text": "<@UBOT> add Book the venue by Friday", "ts": "1.1", "event_ts": "1.1"}
        await slack.event(event, "Ev9")
        return await wait_for(fake, "chat.postEphemeral")

    call = slack_http(scenario)[0].params
    assert call["channel"] == "C9" and call["user"] == "U1"
    assert "Added #1 Book the venue" in call["text"]
    assert _task(uow, 1).title == "Book the venue"


def test_app_home_publishes_my_tasks(slack_http, fake):
    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U1|marcus> by Friday")
        await wait_for(fake, "respond")
        await slack.event({"type": "app_home_opened", "user": "U1", "channel": "DU1",
                           "tab": "home", "event_ts": "1.1"}, "Ev3")
        return await wait_for(fake, "views.publish")

    call = slack_http(scenario)[0].params
    assert call["user_id"] == "U1" and call["view"]["type"] == "home"
    assert "Send the Acme filing" in str(call["view"]["blocks"])


def test_message_shortcut_opens_the_prefilled_modal_and_submission_adds(slack_http, fake, uow):
    async def scenario(slack):
        status, _ = await slack.interaction({
            "type": "message_action", "callback_id": "task.from_message",
            "team": {"id": TEAM}, "user": {"id": "U1"}, "channel": {"id": "C1"},
            "trigger_id": "1.2", "response_url": f"{fake.url}/respond/x",
            "message": {"type": "message", "user": "U2", "ts": "1.1",
                        "text": "Can someone renew the domain &amp; SSL?"}})
        assert status == 200
        opened = (await wait_for(fake, "views.open"))[0].params
        view = opened["view"]
        bad = dict(view, state={"values": {
            "title": {"title": {"type": "plain_text_input", "value": "Renew the domain"}},
            "owner": {"owner": {"type": "users_select", "selected_user": "U2"}},
            "due": {"due": {"type": "datepicker", "selected_date": "2020-01-01"}}}})
        status, text = await slack.interaction({"type": "view_submission", "team": {"id": TEAM},
                                                "user": {"id": "U1"}, "view": bad})
        assert status == 200 and '"response_action":"errors"' in text.replace(" ", "")
        assert _workspace(uow) is None or _count(uow) == 0
        good = dict(bad, state={"values": {**bad["state"]["values"], "due": {
            "due": {"type": "datepicker", "selected_date": "2026-11-27"}}}})
        status, _ = await slack.interaction({"type": "view_submission", "team": {"id": TEAM},
                                             "user": {"id": "U1"}, "view": good})
        assert status == 200
        reply = (await wait_for(fake, "chat.postEphemeral"))[0].params
        return opened, reply

    opened, reply = slack_http(scenario)
    assert opened["trigger_id"] == "1.2"
    title_block = opened["view"]["blocks"][0]
    assert title_block["element"]["initial_value"] == "Can someone renew the domain & SSL?"
    assert reply["channel"] == "C1" and "Added #1 Renew the domain" in reply["text"]
    task = _task(uow, 1)
    with uow() as u:
        priya = u.people.by_identity(_workspace(uow).id, "slack", "U2")
    assert task.owner_id == priya.id and task.due is not None


def test_a_failing_handler_answers_the_user_and_logs(slack_http, fake, conversation, monkeypatch,
                                                      caplog):
    def broken(incoming):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(conversation, "handle", broken)

    async def scenario(slack):
        await slack.event(_dm("add Anything"), "Ev5")
        return await wait_for(fake, "chat.postMessage")

    post = slack_http(scenario)[0].params
    assert post["channel"] == "DU1" and "Something went wrong" in post["text"]
    assert "database on fire" not in post["text"]
    assert any("slack message failed" in r.getMessage() for r in caplog.records)


def test_unknown_slack_user_is_still_onboarded_and_answered(slack_http, fake, uow):
    async def scenario(slack):
        await slack.event(_dm("add Water the plants", user="U77"), "Ev6")
        return await wait_for(fake, "chat.postMessage")

    post = slack_http(scenario)[0].params
    assert post["channel"] == "DU77" and "Added #1 Water the plants" in post["text"]
    with uow() as u:
        person = u.people.by_identity(_workspace(uow).id, "slack", "U77")
    assert person is not None and person.name == "U77"


def test_gantt_chart_is_uploaded_to_the_dm(slack_http, fake):
    async def scenario(slack):
        await slack.command("add Send the Acme filing <@U1|marcus> by Friday")
        await wait_for(fake, "respond")
        await slack.command("gantt")
        await wait_for(fake, "respond", 2)
        return await wait_for(fake, "files.completeUploadExternal")

    complete = slack_http(scenario)[0].params
    assert complete["channel_id"] == "DU1"
    assert fake.named("upload")[0].params["bytes"] > 100  # the PNG itself
    assert [c.params["users"] for c in fake.named("conversations.open")] == ["U1"]


def test_seen_events_is_a_bounded_lru():
    seen = SeenEvents(capacity=2)
    assert seen.first_time("a") and seen.first_time("b")
    assert not seen.first_time("a")  # refreshes a
    assert seen.first_time("c")  # evicts b, the least recently seen
    assert not seen.first_time("a") and seen.first_time("b")


def test_edits_and_bot_posts_in_dms_are_ignored(slack_http, fake):
    async def scenario(slack):
        edited = {"type": "message", "subtype": "message_changed", "channel_type": "im",
                  "channel": "DU1", "message": {"user": "U1", "text": "add x"}, "ts": "1.1"}
        bot_post = dict(_dm("add y"), bot_id="BBOT", user="UBOT")
        assert (await slack.event(edited, "Ev7"))[0] == 200
        assert (await slack.event(bot_post, "Ev8"))[0] == 200
        await slack.event(_dm("help"), "Ev10")
        await wait_for(fake, "chat.postMessage")
        await asyncio.sleep(0.2)  # room for a wrong reply to show up
        return fake.named("chat.postMessage")

    posts = slack_http(scenario)
    assert len(posts) == 1 and "add" in posts[0].params["text"].lower()  # the help reply
