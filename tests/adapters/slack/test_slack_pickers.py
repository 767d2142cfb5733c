"""#13: Vigil's questions on Slack carry a real Block Kit datepicker / users_select."""

from __future__ import annotations

import json

from fake_slack import TEAM
from slack_harness import wait_for


def _picker(reply: dict, kind: str) -> dict:
    for block in reply["blocks"]:
        if block["type"] == "actions":
            for element in block["elements"]:
                if element["type"] == kind:
                    return {"block_id": block["block_id"], **element}
    raise AssertionError(f"no {kind} in {reply['blocks']}")


async def _choose(slack, user: str, picked: dict, **value: str) -> None:
    await slack.interaction({
        "type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM}, "api_app_id": "A1",
        "container": {"type": "message", "channel_id": "C1", "message_ts": "1.1"},
        "channel": {"id": "C1", "name": "general"}, "trigger_id": "1.2",
        "response_url": f"{slack.fake.url}/respond/{user}",
        "actions": [{"type": picked["type"], "action_id": picked["action_id"],
                     "block_id": picked["block_id"], "action_ts": "1.3", **value}]})


def _task(uow, number):
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        return u.tasks.by_number(ws.id, number), ws


def test_datepicker_in_the_question_sets_the_deadline(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing")
        await wait_for(fake, "respond")
        task, _ = _task(uow, 1)
        await slack.press("U1", "task.pick_date", {"task": task.id})
        asked = (await wait_for(fake, "respond", 2))[1].params
        picker = _picker(asked, "datepicker")
        await _choose(slack, "U1", picker, selected_date="2026-12-28")
        done = (await wait_for(fake, "respond", 3))[2].params
        return asked, picker, done

    asked, picker, done = slack_http(scenario)
    assert "When should #1 Send the Acme filing be done?" in asked["text"]
    assert picker["action_id"] == "vigil_pick_date"
    assert json.loads(picker["block_id"])["a"] == "task.set_date"
    assert "#1 is due Mon 28 Dec 17:00" in done["text"]
    task, _ = _task(uow, 1)
    assert task.due is not None and task.due.date().isoformat() == "2026-12-28"


def test_users_select_assigns_someone_vigil_had_not_met(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing by Friday")
        await wait_for(fake, "respond")
        task, _ = _task(uow, 1)
        await slack.press("U1", "task.reassign", {"task": task.id})
        asked = (await wait_for(fake, "respond", 2))[1].params
        picker = _picker(asked, "users_select")
        await _choose(slack, "U1", picker, selected_user="U3")
        done = (await wait_for(fake, "respond", 3))[2].params
        return asked, done

    asked, done = slack_http(scenario)
    assert "Who should own #1 Send the Acme filing?" in asked["text"]
    assert "U3" in [c.params["user"] for c in fake.named("users.info")]  # looked up
    task, ws = _task(uow, 1)
    with uow() as u:
        sam = u.people.by_identity(ws.id, "slack", "U3")
    assert sam is not None and task.owner_id == sam.id
    assert f"#1 now belongs to {sam.name}" in done["text"]


def test_the_typed_answer_in_the_same_channel_answers_too(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing")
        await wait_for(fake, "respond")
        task, _ = _task(uow, 1)
        await slack.press("U1", "task.pick_date", {"task": task.id}, channel="C1")
        await wait_for(fake, "respond", 2)
        await slack.command("28 Dec", command="/task")
        return (await wait_for(fake, "respond", 3))[2].params

    done = slack_http(scenario)
    assert "#1 is due Mon 28 Dec 17:00" in done["text"]
