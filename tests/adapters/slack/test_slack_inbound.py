"""Pure translation: Slack payloads -> Incoming."""

from __future__ import annotations

import pytest

from adapters.slack import inbound, render
from bot.messages import Action, Incoming


@pytest.mark.parametrize("command,text,expected", [
    ("/task", "add Send the Acme filing by Friday", "add Send the Acme filing by Friday"),
    ("/task", "  done #3  ", "done #3"),
    ("/task", "", "help"),
    ("/tasks", "", "tasks"),
    ("/tasks", "@sam", "tasks @sam"),
    ("/TASKS", "#acme", "tasks #acme"),
])
def test_command_text(command, text, expected):
    assert inbound.command_text(command, text) == expected


@pytest.mark.parametrize("text,bot,expected", [
    ("<@UBOT> add Book the venue", "UBOT", "add Book the venue"),
    ("<@UBOT|vigil>   tasks", "UBOT", "tasks"),
    ("hey <@UBOT> what's on my plate?", "UBOT", "hey what's on my plate?"),
    ("<@UBOT> add x", None, "<@UBOT> add x"),
])
def test_strip_bot_mention(text, bot, expected):
    assert inbound.strip_bot_mention(text, bot) == expected


def test_mentions_are_found_and_replaced_and_text_unescaped():
    text = "assign #1 <@U3|sam> and <@U2> cc <@U3> &lt;now&gt; <https://x.io|x.io> <#C1|acme>"
    assert inbound.mention_ids(text) == ["U3", "U2"]
    replaced = inbound.replace_mentions(text, {"U3": "sam"})
    assert replaced.startswith("assign #1 @sam and <@U2> cc @sam")
    assert inbound.unescape(replaced).endswith("<now> https://x.io #acme")


@pytest.mark.parametrize("user,handle", [
    ({"id": "U1", "name": "marcus", "profile": {"display_name": "Marcus R"}}, "marcusr"),
    ({"id": "U1", "name": "sam.ortiz", "profile": {"display_name": ""}}, "sam.ortiz"),
    ({"id": "U9", "profile": {}}, "u9"),
])
def test_handle_for(user, handle):
    assert inbound.handle_for(user) == handle


@pytest.mark.parametrize("body,expected", [
    ({"command": "/task", "team_id": "T1", "user_id": "U1"}, ("T1", "U1")),
    ({"team_id": "T1", "event": {"type": "message", "user": "U2"}}, ("T1", "U2")),
    ({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U3"}}, ("T1", "U3")),
    ({"type": "view_submission", "user": {"id": "U3", "team_id": "T2"}}, ("T2", "U3")),
])
def test_actor(body, expected):
    assert inbound.actor(body) == expected


def test_incoming_from_command_and_messages():
    body = {"command": "/task", "text": "add x &amp; y", "channel_id": "C1",
            "channel_name": "general"}
    assert inbound.incoming_from_command(body, 1, 2) == Incoming(
        1, 2, text="add x & y", direct=False, reply_to="C1", chat="C1")
    dm = {"type": "message", "channel_type": "im", "channel": "D1", "text": "tasks"}
    assert inbound.incoming_from_message(dm, 1, 2) == Incoming(1, 2, text="tasks", direct=True,
                                                               reply_to="D1", chat="D1")
    mention = {"type": "app_mention", "channel": "C1", "text": "<@UBOT> help"}
    assert inbound.incoming_from_message(mention, 1, 2, "UBOT").text == "help"


def test_shared_files_keep_openable_links_photos_apart_from_files():
    event = {"files": [
        {"id": "F1", "mimetype": "image/png", "permalink": "https://acme.slack.com/files/F1",
         "url_private": "https://files.slack.com/F1"},
        {"id": "F2", "mimetype": "application/pdf", "url_private": "https://files.slack.com/F2"},
        {"id": "F3", "mode": "tombstone"},
        {"id": "F4", "mode": "hidden_by_limit", "permalink": "https://acme.slack.com/F4"},
        {"id": "F5", "permalink": "javascript:alert(1)"},
        "not a file",
    ]}
    assert inbound.shared_files(event) == [
        inbound.SharedFile("photo", "https://acme.slack.com/files/F1"),
        inbound.SharedFile("file", "https://files.slack.com/F2")]
    assert inbound.shared_files({}) == [] and inbound.shared_files({"files": None}) == []
    many = {"files": [{"permalink": f"https://x/{n}"} for n in range(30)]}
    assert len(inbound.shared_files(many)) == inbound.PROOF_FILES_LIMIT


@pytest.mark.parametrize(("text", "number"), [
    ("#12 done", 12), ("done #12, receipt attached #12", 12), ("Added #3 Pay rent", 3),
    ("#1 and #2 done", None), ("all done", None), ("", None), (None, None), ("#x1", None),
])
def test_task_number_needs_exactly_one_task(text, number):
    assert inbound.task_number(text) == number


def test_proof_text_is_the_done_command_with_every_file():
    files = [inbound.SharedFile("photo", "https://a/1"), inbound.SharedFile("file", "https://b/2")]
    assert inbound.proof_text(7, files) == "done #7 photo:https://a/1 file:https://b/2"


@pytest.mark.parametrize(("body", "dm"), [
    ({"channel_name": "directmessage", "channel_id": "D1"}, True),
    ({"channel_name": "privategroup", "channel_id": "G1"}, False),
    ({"channel_name": "general", "channel_id": "C1"}, False),
    ({"channel_id": "D2"}, True),
])
def test_dm_commands_are_recognised(body, dm):
    assert inbound.is_dm_command(body) is dm
    assert inbound.incoming_from_command({"command": "/task", **body}, 1, 2).direct is dm
    assert inbound.incoming_from_command({"command": "/task", **body}, 1, 2,
                                        direct=False).direct is False



def test_button_press_is_the_pressers():
    body = {"type": "block_actions", "user": {"id": "U2"}, "channel": {"id": "D9"},
            "actions": [{"action_id": "task.done:0",
                         "value": render.encode_action("task.done", {"task": 5})}]}
    incoming = inbound.incoming_from_action(body, 7, 42)
    assert incoming == Incoming(7, 42, action=Action("task.done", {"task": 5}), direct=True,
                                reply_to="D9", chat="D9")
    assert inbound.incoming_from_action({"actions": []}, 7, 42) is None
    assert inbound.incoming_from_action({"actions": [{"value": "junk"}]}, 7, 42) is None
