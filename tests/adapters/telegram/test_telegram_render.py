"""Pure translation: callback data, keyboards, which messages are for Vigil, proof captions."""

from __future__ import annotations

import pytest
from telegram import Bot, Message
from tg_fake_api import BOT_ID, BOT_USERNAME, group_chat, message_update, private_chat, user

from adapters.telegram.callbacks import (
    ACTION_CODES,
    MAX_CALLBACK_BYTES,
    CallbackError,
    decode_callback,
    encode_callback,
)
from adapters.telegram.inbound import addressed_text, attachment_id, proof_text
from adapters.telegram.render import render
from bot.handlers.actions import HANDLERS
from bot.messages import Action, Button, Outgoing, Section
from bot.notify.render import SHOW_ALL_ACTION

BIG = 2**40  # far beyond any realistic row id
BIG_ARGS = {"task": BIG, "value": 100, "days": 365, "hours": 168, "owner": BIG,
            "violation": BIG, "project": BIG, "person": BIG}


@pytest.mark.parametrize("action", sorted(set(HANDLERS) | {SHOW_ALL_ACTION}))
def test_every_action_fits_64_bytes_with_large_ids_and_round_trips(action):
    # the two largest argument sets any core button carries, plus the workspace pin
    for keys in (("task", "value"), ("task", "days"), ("violation", "hours"), ("task", "owner"),
                 ("project",), ("person",)):
        args = {k: BIG_ARGS[k] for k in keys}
        data = encode_callback(action, args, workspace_id=BIG)
        assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
        decoded, workspace = decode_callback(data)
        assert decoded == Action(action, args)
        assert workspace == BIG


def test_every_handler_has_a_short_code():
    assert set(HANDLERS) <= set(ACTION_CODES)
    assert encode_callback("task.progress", {"task": 12, "value": 50}) == "tp|t=12|v=50"


def test_unknown_action_travels_as_its_id():
    assert decode_callback(encode_callback("task.frobnicate", {"task": 3})) == (
        Action("task.frobnicate", {"task": 3}), None)


@pytest.mark.parametrize("data", [
    None, "", "zz", "tp|t", "tp|t=", "tp|=3", "tp|t=1|t=2", "tp|t=<script>", "tp|w=abc",
    "x" * 65, "TP|t=1", "tp|t=1 2", "tp|Key=1", "../etc|t=1", "task.|t=1",
])
def test_malformed_callback_data_is_rejected(data):
    with pytest.raises(CallbackError):
        decode_callback(data)


@pytest.mark.parametrize("args", [{"task": None}, {"task": True}, {"note": "free text here!"},
                                  {"task": 1.5}, {"Bad Key": 1}, {"task": "x" * 70}])
def test_only_ids_are_encoded(args):
    with pytest.raises(CallbackError):
        encode_callback("task.show", args)


def test_render_builds_rows_and_drops_buttons_that_cannot_be_encoded():
    out = Outgoing((
        Section("Added #1 Send the filing", (
            Button("25%", "task.progress", {"task": 1, "value": 25}),
            Button("50%", "task.progress", {"task": 1, "value": 50}),
            Button("75%", "task.progress", {"task": 1, "value": 75}),
            Button("Done", "task.done", {"task": 1}),
            Button("Broken", "task.note", {"note": "free text, not an id"}),
        )),
        Section("second line"),
    ))
    rendered = render(out, workspace_id=7)
    assert rendered.text == "Added #1 Send the filing\nsecond line"
    assert rendered.markup is not None
    rows = rendered.markup.inline_keyboard
    assert [len(r) for r in rows] == [3, 1]
    assert rows[0][1].callback_data == "tp|w=7|t=1|v=50"
    assert [b.label for b in rendered.dropped] == ["Broken"]
    assert render(Outgoing.say("plain")).markup is None


def _message(data: dict) -> Message:
    bot = Bot("123:abc")
    message = Message.de_json(data["message"], bot)
    assert message is not None
    return message


PRIVATE = private_chat(5, "Priya")
GROUP = group_chat(-100)
PRIYA = user(5, "Priya", "priya")


@pytest.mark.parametrize("text,expected", [
    ("/add Send the Acme filing by Friday", "add Send the Acme filing by Friday"),
    ("/done@VigilBot #12", "done #12"),
    ("/progress@vigilbot #12 50%", "progress #12 50%"),
    ("/tasks", "tasks"),
    ("finished the Q3 filing", "finished the Q3 filing"),
])
def test_private_chat_reads_everything(text, expected):
    msg = _message(message_update(PRIVATE, PRIYA, text))
    assert addressed_text(msg, text, BOT_USERNAME, BOT_ID) == expected


@pytest.mark.parametrize("text,expected", [
    ("/add Call the bank", "add Call the bank"),
    ("/add@VigilBot Call the bank", "add Call the bank"),
    ("/add@OtherBot Call the bank", None),
    ("lunch anyone?", None),
    ("@VigilBot Acme filing is 60% done", "Acme filing is 60% done"),
    ("hey @vigilbot, what's on my plate?", "hey what's on my plate?"),
])
def test_group_reads_only_commands_and_mentions(text, expected):
    msg = _message(message_update(GROUP, PRIYA, text))
    assert addressed_text(msg, text, BOT_USERNAME, BOT_ID) == expected


def test_group_reads_replies_to_the_bot_only():
    bot_msg = {"message_id": 1, "date": 0, "chat": GROUP, "text": "Added #3 Call the bank",
               "from": {"id": BOT_ID, "is_bot": True, "first_name": "Vigil"}}
    other = dict(bot_msg, **{"from": user(8, "Sam")})
    to_bot = _message(message_update(GROUP, PRIYA, "60%", reply_to_message=bot_msg))
    to_sam = _message(message_update(GROUP, PRIYA, "60%", reply_to_message=other))
    assert addressed_text(to_bot, "60%", BOT_USERNAME, BOT_ID) == "60%"
    assert addressed_text(to_sam, "60%", BOT_USERNAME, BOT_ID) is None


def test_photo_with_caption_or_reply_becomes_done_with_proof():
    photo = [{"file_id": "small", "file_unique_id": "a", "width": 9, "height": 9},
             {"file_id": "BIGPHOTO", "file_unique_id": "b", "width": 900, "height": 900}]
    msg = _message(message_update(PRIVATE, PRIYA, photo=photo, caption="#12 done"))
    assert attachment_id(msg) == ("photo", "BIGPHOTO")
    assert proof_text(msg, "#12 done", "photo", "BIGPHOTO") == "done #12 photo:BIGPHOTO"
    bot_msg = {"message_id": 1, "date": 0, "chat": PRIVATE, "text": "Added #4 Fix the door",
               "from": {"id": BOT_ID, "is_bot": True, "first_name": "Vigil"}}
    doc = {"file_id": "DOCID", "file_unique_id": "d"}
    reply = _message(message_update(PRIVATE, PRIYA, document=doc, reply_to_message=bot_msg))
    assert attachment_id(reply) == ("file", "DOCID")
    assert proof_text(reply, None, "file", "DOCID") == "done #4 file:DOCID"
    bare = _message(message_update(PRIVATE, PRIYA, photo=photo))
    assert proof_text(bare, None, "photo", "BIGPHOTO") is None


def test_long_text_is_split_at_line_breaks_without_loss():
    from adapters.telegram.render import split_text

    lines = [f"• task {i} " + "x" * 50 for i in range(200)]
    text = "\n".join(lines)
    chunks = split_text(text, 4096)
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == text
    assert split_text("y" * 5000, 4096) == ["y" * 4096, "y" * 904]


@pytest.mark.parametrize("action", ["handover.give", "handover.keep"])
def test_a_handover_answer_fits_telegrams_callback_data(action):
    args = {"task": 9_000_000_000, "owner": 9_000_000_001, "asker": 9_000_000_002}
    data = encode_callback(action, args)
    assert len(data.encode()) <= 64
    assert decode_callback(data) == (Action(action, args), None)
