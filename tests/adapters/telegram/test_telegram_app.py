"""The real python-telegram-bot Application against the fake Bot API, one update at a time."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import Application
from tg_fake_api import (
    BOT_ID,
    FakeBotApi,
    callback_update,
    group_chat,
    message_update,
    private_chat,
    run,
    user,
)

from adapters.telegram.app import invite_code, parse_invite
from adapters.telegram.application import build_application, register_commands
from adapters.telegram.callbacks import MAX_CALLBACK_BYTES, decode_callback
from adapters.telegram.texts import ONBOARDING_GROUP, ONBOARDING_PRIVATE

GROUP_ID = -1001
PRIYA = user(5, "Priya", "priya")
SAM = user(6, "Sam", "sam")
STRANGER = user(7, "Eve", "eve")
GROUP = group_chat(GROUP_ID, "Acme team")


class Harness:
    def __init__(self, app: Application, api: FakeBotApi) -> None:
        self.app, self.api = app, api

    async def feed(self, update: dict) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def sent(self) -> list[dict]:
        return self.api.called("sendMessage")

    def last_text(self) -> str:
        return str(self.sent()[-1]["text"])


def scenario(settings, conversation, fake_api, body) -> None:
    async def go() -> None:
        app = build_application(settings, conversation)
        await app.initialize()
        try:
            await body(Harness(app, fake_api))
        finally:
            await app.shutdown()
    run(go())


def keyboard_data(params: dict) -> list[str]:
    markup = params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def group_with_priya(h: Harness) -> None:
    """Priya, an admin of the group, sets Vigil up there."""
    h.api.statuses[(GROUP_ID, PRIYA["id"])] = "creator"
    await h.feed(message_update(GROUP, PRIYA, "/start"))


def test_group_start_creates_the_workspace_with_the_sender_as_admin(
        settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        assert "now a Vigil workspace" in h.last_text()
        assert "Priya" in h.last_text()
        assert "https://t.me/VigilBot?start=j" in h.last_text()
        await h.feed(message_update(GROUP, SAM, "/start@VigilBot"))
        assert "already watches this group" in h.last_text()

    scenario(settings, conversation, fake_api, body)
    with uow() as u:
        ws = u.workspaces.by_key(f"telegram:{GROUP_ID}")
        assert ws is not None and ws.name == "Acme team"
        priya = u.people.by_identity(ws.id, "telegram", "5")
        sam = u.people.by_identity(ws.id, "telegram", "6")
        assert priya.role.value == "admin" and sam.role.value != "admin"


def test_add_in_private_chat_creates_task_one_with_a_compact_keyboard(
        settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(private_chat(5), PRIYA,
                                    "/add Send the Acme filing by Friday"))
        reply = h.sent()[-1]
        assert reply["chat_id"] == "5"
        assert reply["text"].startswith("Added #1 Send the Acme filing")
        data = keyboard_data(reply)
        assert data and all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
        actions = [decode_callback(d) for d in data]
        quick = [(a.action, a.args.get("value")) for a, _ in actions
                 if a.action in ("task.progress", "task.done", "task.block")]
        # 25% · 50% · 75% · Done · Blocked, pinned to the workspace
        assert quick == [("task.progress", 25), ("task.progress", 50), ("task.progress", 75),
                         ("task.done", None), ("task.block", None)]
        assert {ws for _, ws in actions} == {1}

    scenario(settings, conversation, fake_api, body)


def test_group_commands_and_mentions_are_read_other_chatter_is_not(
        settings, conversation, fake_api):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        before = len(h.sent())
        await h.feed(message_update(GROUP, PRIYA, "lunch anyone?"))
        assert len(h.sent()) == before
        await h.feed(message_update(GROUP, PRIYA, "/add@VigilBot Call the bank"))
        assert h.last_text().startswith("Added #1 Call the bank")
        assert h.sent()[-1]["reply_parameters"]["message_id"]  # answers the message
        await h.feed(message_update(GROUP, PRIYA, "@VigilBot call the bank is 60% done"))
        assert "#1 is now 60% done" in h.last_text()
        # a teammate writing to the bot from the group joins the workspace
        await h.feed(message_update(GROUP, SAM, "/tasks"))
        assert "I don't know you" not in h.last_text()

    scenario(settings, conversation, fake_api, body)


def test_callback_press_is_answered_and_authorised_as_the_presser(
        settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(private_chat(5), PRIYA, "/add Send the Acme filing"))
        fifty = next(d for d in keyboard_data(h.sent()[-1]) if d.endswith("v=50"))
        # Sam joins the group workspace as a member: Priya's task is not his to change.
        await h.feed(message_update(GROUP, SAM, "/tasks"))
        await h.feed(callback_update(private_chat(6), SAM, fifty))
        assert len(h.api.called("answerCallbackQuery")) == 1
        assert "Only the owner or creator of #1" in h.last_text()
        assert h.sent()[-1]["chat_id"] == "6"  # the refusal goes to the presser
        # A stranger (no workspace) is refused before the core sees anything.
        sent = len(h.sent())
        await h.feed(callback_update(private_chat(7), STRANGER, fifty))
        answers = h.api.called("answerCallbackQuery")
        assert len(answers) == 2 and "not a member" in answers[-1]["text"]
        assert len(h.sent()) == sent
        # Priya's own press works.
        await h.feed(callback_update(private_chat(5), PRIYA, fifty))
        assert len(h.api.called("answerCallbackQuery")) == 3
        assert "#1 is now 50% done" in h.last_text()
        # Garbage callback data: answered, nothing else happens.
        sent = len(h.sent())
        await h.feed(callback_update(private_chat(5), PRIYA, "tp|t=<x>"))
        assert len(h.api.called("answerCallbackQuery")) == 4
        assert len(h.sent()) == sent

    scenario(settings, conversation, fake_api, body)
    with uow() as u:
        ws = u.workspaces.by_key(f"telegram:{GROUP_ID}")
        task = u.tasks.get(ws.id, 1) or next(iter(u.tasks.list(ws.id)), None)
        assert task is not None and task.progress == 50


def test_unknown_chats_get_onboarding_help_not_data(settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await h.feed(message_update(private_chat(7), STRANGER, "what's on my plate?"))
        assert h.last_text() == ONBOARDING_PRIVATE
        await h.feed(message_update(group_chat(-555), STRANGER, "/tasks"))
        assert h.last_text() == ONBOARDING_GROUP
        await h.feed(message_update(group_chat(-555), STRANGER, "just chatting"))
        assert len(h.sent()) == 2

    scenario(settings, conversation, fake_api, body)
    with uow() as u:
        assert u.workspaces.list() == []


def test_deep_link_joins_the_workspace(settings, conversation, fake_api, uow):
    secret = settings.telegram_bot_token.get_secret_value()

    async def body(h: Harness) -> None:
        await group_with_priya(h)
        with uow() as u:
            ws_id = u.workspaces.by_key(f"telegram:{GROUP_ID}").id
        await h.feed(message_update(private_chat(6), SAM, f"/start {invite_code(secret, ws_id)}"))
        assert "linked to Acme team" in h.last_text()
        await h.feed(message_update(private_chat(6), SAM, "/add Fix the door"))
        assert h.last_text().startswith("Added #1 Fix the door")
        await h.feed(message_update(private_chat(7), STRANGER, f"/start j{ws_id}_AAAAAAAAAAAA"))
        assert "not valid" in h.last_text()

    scenario(settings, conversation, fake_api, body)
    assert parse_invite(secret, "j1_short") is None


def test_photo_with_caption_is_sent_to_the_core_as_proof(settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(private_chat(5), PRIYA, "/add Fix the door"))
        photo = [{"file_id": "PHOTO-FILE-ID", "file_unique_id": "b", "width": 90,
                  "height": 90}]
        await h.feed(message_update(private_chat(5), PRIYA, photo=photo, caption="#1 done"))
        assert "Done: #1" in h.last_text()
        await h.feed(message_update(private_chat(5), PRIYA, photo=photo))
        assert "caption like '#12 done'" in h.last_text()

    scenario(settings, conversation, fake_api, body)
    with uow() as u:
        ws = u.workspaces.by_key(f"telegram:{GROUP_ID}")
        done = [t for t in u.tasks.list(ws.id) if t.number == 1]
        assert done and done[0].proof and "PHOTO-FILE-ID" in done[0].proof


def test_set_my_commands_failure_is_logged_and_not_fatal(
        settings, conversation, fake_api, caplog):
    fake_api.fail("setMyCommands", 400, "Bad Request: method not supported")

    async def body(h: Harness) -> None:
        with caplog.at_level(logging.WARNING, logger="vigil.telegram"):
            assert await register_commands(h.app) is False
        assert "command menu not registered" in caplog.text
        assert await register_commands(h.app) is True
        commands = h.api.called("setMyCommands")[-1]["commands"]
        assert {"command": "add", "description": commands[0]["description"]} in commands
        await h.feed(message_update(private_chat(7), STRANGER, "hello"))
        assert h.last_text() == ONBOARDING_PRIVATE

    scenario(settings, conversation, fake_api, body)


def test_bot_messages_and_edits_are_ignored(settings, conversation, fake_api):
    async def body(h: Harness) -> None:
        bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Vigil"}
        await h.feed(message_update(private_chat(5), bot_user, "/add loop"))
        assert h.sent() == []

    scenario(settings, conversation, fake_api, body)


@pytest.mark.parametrize("missing", ["token"])
def test_build_application_needs_a_token(conversation, missing):
    from bot.config import Settings

    with pytest.raises(ValueError):
        build_application(Settings(_env_file=None, TELEGRAM_BOT_TOKEN=None), conversation)


def test_group_button_pinned_to_another_workspace_is_refused(settings, conversation, fake_api):
    other_group = group_chat(-2002, "Other team")

    async def body(h: Harness) -> None:
        await group_with_priya(h)  # workspace 1
        h.api.statuses[(-2002, SAM["id"])] = "administrator"
        await h.feed(message_update(other_group, SAM, "/start"))  # workspace 2
        await h.feed(message_update(GROUP, PRIYA, "/add Call the bank"))
        done = next(d for d in keyboard_data(h.sent()[-1]) if d.startswith("td|"))
        assert decode_callback(done)[1] == 1
        sent = len(h.sent())
        # the same payload pressed in the other group (forwarded/crafted) is refused
        await h.feed(callback_update(other_group, SAM, done))
        assert "not a member" in h.api.called("answerCallbackQuery")[-1]["text"]
        assert len(h.sent()) == sent
        # a group member who never wrote is told how to join
        await h.feed(callback_update(GROUP, STRANGER, done))
        assert "write to me here once" in h.api.called("answerCallbackQuery")[-1]["text"]
        # pressed in its own group by its creator: done
        await h.feed(callback_update(GROUP, PRIYA, done))
        assert "Done: #1" in h.last_text()
        assert h.sent()[-1]["chat_id"] == str(GROUP_ID)

    scenario(settings, conversation, fake_api, body)


def test_plain_language_in_private_and_proof_as_reply_in_group(
        settings, conversation, fake_api, uow):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(private_chat(5), PRIYA,
                                    "remind me to send the Acme filing by Friday"))
        assert h.last_text().startswith("Added #1")
        await h.feed(message_update(private_chat(5), PRIYA, "what's on my plate?"))
        assert "#1" in h.last_text()
        bot_msg = {"message_id": 100, "date": 0, "chat": GROUP, "text": "Added #1 …",
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Vigil"}}
        doc = {"file_id": "DOC-ID", "file_unique_id": "d", "file_name": "receipt.pdf"}
        await h.feed(message_update(GROUP, PRIYA, document=doc, reply_to_message=bot_msg))
        assert "Done: #1" in h.last_text()

    scenario(settings, conversation, fake_api, body)
    with uow() as u:
        ws = u.workspaces.by_key(f"telegram:{GROUP_ID}")
        assert [t.proof for t in u.tasks.list(ws.id) if t.number == 1] == ["file:DOC-ID"]
