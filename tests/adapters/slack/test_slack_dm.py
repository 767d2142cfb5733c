"""The DM with Vigil: slash commands answered as normal messages, files shared as proof."""

from __future__ import annotations

import asyncio

from fake_slack import TEAM
from slack_harness import wait_for

from engine.model import Status

PERMALINK = "https://acme.slack.com/files/U1/F0PHOTO/fridge.jpg"
URL_PRIVATE = "https://files.slack.com/files-pri/T1-F0PDF/receipt.pdf"


def _task(uow, number):
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        return u.tasks.by_number(ws.id, number)


def _file(file_id: str, mimetype: str, **links: str) -> dict:
    """A file object as Slack sends it inside a ``file_share`` message event."""
    return {"id": file_id, "created": 1700000000, "timestamp": 1700000000,
            "name": file_id.lower(), "title": file_id, "mimetype": mimetype,
            "filetype": mimetype.split("/")[-1], "user": "U1", "size": 1234,
            "mode": "hosted", "is_external": False, "is_public": False, **links}


def _file_share(text: str, files: list[dict], **extra) -> dict:
    return {"type": "message", "subtype": "file_share", "channel_type": "im",
            "channel": "DU1", "user": "U1", "text": text, "files": files, "upload": False,
            "display_as_bot": False, "ts": "1700000005.000200",
            "event_ts": "1700000005.000200", **extra}


def test_slash_command_in_the_dm_with_vigil_answers_with_a_normal_message(slack_http, fake):
    async def scenario(slack):
        status, _ = await slack.command("add Send the Acme filing by Friday", channel="DU1",
                                        channel_name="directmessage")
        assert status == 200
        await wait_for(fake, "chat.postMessage")
        await slack.command("", command="/tasks", channel="DU1", channel_name="directmessage")
        await wait_for(fake, "chat.postMessage", 2)

    slack_http(scenario)
    first, second = fake.named("chat.postMessage")
    assert first.params["channel"] == "DU1" and "Added #1 Send the Acme filing" in \
        first.params["text"]
    assert second.params["channel"] == "DU1"
    assert not fake.named("respond")  # nothing ephemeral
    assert [c.params["users"] for c in fake.named("conversations.open")] == ["U1"]  # once


def test_slash_command_in_a_dm_with_someone_else_stays_private(slack_http, fake):
    async def scenario(slack):
        await slack.command("add Plan the offsite", channel="D0PRIYA",
                            channel_name="directmessage")
        return await wait_for(fake, "respond")

    reply = slack_http(scenario)[0].params
    assert reply["response_type"] == "ephemeral" and "Added #1 Plan the offsite" in reply["text"]
    assert not fake.named("chat.postMessage")


def test_a_photo_shared_with_the_caption_completes_the_task_with_it_as_proof(slack_http, fake,
                                                                             uow):
    async def scenario(slack):
        await slack.command("add Check the fridge temperature <@U1|marcus> by Friday "
                            "proof: photo")
        await wait_for(fake, "respond")
        await slack.event({"type": "message", "channel_type": "im", "channel": "DU1",
                           "user": "U1", "text": "done #1", "ts": "1.1"}, "Ev1")
        refused = (await wait_for(fake, "chat.postMessage"))[0].params["text"]
        assert "needs photo proof" in refused and _task(uow, 1).status != Status.DONE
        photo = _file("F0PHOTO", "image/jpeg", permalink=PERMALINK,
                      url_private="https://files.slack.com/files-pri/T1-F0PHOTO/fridge.jpg")
        assert (await slack.event(_file_share("#1 done", [photo]), "Ev2"))[0] == 200
        return (await wait_for(fake, "chat.postMessage", 2))[1].params

    done = slack_http(scenario)
    assert done["channel"] == "DU1" and "Done: #1 Check the fridge temperature" in done["text"]
    task = _task(uow, 1)
    assert task.status == Status.DONE and task.proof == f"photo:{PERMALINK}"


def test_files_without_a_permalink_use_url_private_and_several_are_all_kept(slack_http, fake,
                                                                           uow):
    async def scenario(slack):
        await slack.command("add Pay the insurance <@U1|marcus> by Friday")
        await wait_for(fake, "respond")
        files = [_file("F0PDF", "application/pdf", url_private=URL_PRIVATE),
                 _file("F0GONE", "image/png") | {"mode": "tombstone"},
                 _file("F0PHOTO", "image/jpeg", permalink=PERMALINK)]
        await slack.event(_file_share("paid, receipt attached #1", files), "Ev3")
        await wait_for(fake, "chat.postMessage")

    slack_http(scenario)
    assert _task(uow, 1).proof == f"file:{URL_PRIVATE} photo:{PERMALINK}"


def test_a_file_shared_in_the_thread_of_the_task_message_is_its_proof(slack_http, fake, uow):
    fake.script["conversations.replies"] = [(200, {"ok": True, "messages": [
        {"type": "message", "user": "UBOT", "ts": "1700000003.000100",
         "text": "Added #1 Pay the insurance"}]}, {})]

    async def scenario(slack):
        await slack.command("add Pay the insurance <@U1|marcus> by Friday")
        await wait_for(fake, "respond")
        photo = _file("F0PHOTO", "image/jpeg", permalink=PERMALINK)
        await slack.event(_file_share("here you go", [photo],
                                      thread_ts="1700000003.000100"), "Ev4")
        return (await wait_for(fake, "chat.postMessage"))[0].params

    reply = slack_http(scenario)
    [replies] = fake.named("conversations.replies")
    assert replies.params["channel"] == "DU1" and replies.params["ts"] == "1700000003.000100"
    assert reply["thread_ts"] == "1700000003.000100" and "Done: #1" in reply["text"]
    assert _task(uow, 1).proof == f"photo:{PERMALINK}"


def test_a_file_that_names_no_task_is_answered_and_changes_nothing(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Pay the insurance <@U1|marcus> by Friday")
        await slack.command("add Renew the domain <@U1|marcus> by Friday")
        await wait_for(fake, "respond", 2)
        photo = _file("F0PHOTO", "image/jpeg", permalink=PERMALINK)
        await slack.event(_file_share("all done", [photo]), "Ev5")
        await slack.event(_file_share("#1 and #2 done", [photo]), "Ev6")
        await wait_for(fake, "chat.postMessage", 2)
        await asyncio.sleep(0.2)

    slack_http(scenario)
    texts = fake.texts("chat.postMessage")
    assert len(texts) == 2 and all("Which task is this proof for?" in t for t in texts)
    assert _task(uow, 1).status != Status.DONE and _task(uow, 2).status != Status.DONE
    assert _task(uow, 1).proof is None
