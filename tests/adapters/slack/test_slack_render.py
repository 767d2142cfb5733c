"""Pure translation: Outgoing -> Block Kit, Slack payloads -> Incoming."""

from __future__ import annotations

import json
from datetime import date

import pytest

from adapters.slack import render
from bot.messages import Action, Button, Incoming, Outgoing, Section

ALERT = Outgoing((
    Section("⚠ #1 <Acme> & co is overdue", (Button("Done", "task.done", {"task": 1}, "primary"),
                                            Button("Snooze", "violation.snooze",
                                                   {"violation": 4, "hours": 24}))),
    Section("…or reply: due #1 <date>"),
    Section("Pick one", (Button("#2 Filing", "task.show", {"task": 2}, "weird"),)),
))


def test_blocks_have_a_section_per_section_and_an_actions_block_per_button_row():
    out = render.blocks(ALERT)
    assert [b["type"] for b in out] == ["section", "actions", "section", "section", "actions"]
    assert out[0]["text"] == {"type": "mrkdwn", "text": "⚠ #1 &lt;Acme&gt; &amp; co is overdue"}
    ids = [e["action_id"] for b in out if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["task.done:0", "violation.snooze:1", "task.show:2"]
    assert all(render.ACTION_ID_PATTERN.match(i) for i in ids)
    done, snooze = out[1]["elements"]
    assert done["style"] == "primary" and "style" not in out[4]["elements"][0]
    assert json.loads(snooze["value"]) == {"a": "violation.snooze",
                                           "args": {"hours": 24, "violation": 4}}
    assert " " not in snooze["value"]  # compact


@pytest.mark.parametrize("value,expected", [
    ('{"a":"task.done","args":{"task":3}}', Action("task.done", {"task": 3})),
    ('{"a":"task.done"}', Action("task.done", {})),
    ("{not json", None),
    ('["task.done"]', None),
    ('{"a":5,"args":{}}', None),
    ('{"a":"task.done","args":[1]}', None),
    ("", None),
    (None, None),
    ('{"a":"x","args":{"v":"' + "x" * 2100 + '"}}', None),
])
def test_decode_action(value, expected):
    assert render.decode_action(value) == expected


def test_encode_decode_round_trip():
    value = render.encode_action("task.due_plus", {"task": 9, "days": 3})
    assert render.decode_action(value) == Action("task.due_plus", {"task": 9, "days": 3})


def test_long_text_is_split_and_labels_and_oversized_values_are_bounded():
    long = Outgoing((Section("line\n" * 1000, (
        Button("L" * 100, "task.show", {"task": 1}),
        Button("big", "task.show", {"blob": "x" * 2500}))),))
    out = render.blocks(long)
    sections = [b for b in out if b["type"] == "section"]
    assert len(sections) == 2 and all(len(b["text"]["text"]) <= 3000 for b in sections)
    elements = out[-1]["elements"]
    assert len(elements) == 1 and len(elements[0]["text"]["text"]) == 75


def test_many_buttons_fill_several_actions_blocks_and_blocks_are_capped():
    many = Outgoing((Section("x", tuple(Button(str(i), "task.show", {"task": i})
                                        for i in range(30))),))
    out = render.blocks(many)
    assert [len(b["elements"]) for b in out if b["type"] == "actions"] == [25, 5]
    huge = Outgoing(tuple(Section(f"s{i}") for i in range(80)))
    assert len(render.blocks(huge)) == 50 and render.blocks(huge)[-1]["type"] == "context"


def test_fallback_text_and_home_view():
    assert render.fallback_text(Outgoing.say("")) == "Vigil"
    assert len(render.fallback_text(Outgoing.say("x" * 5000))) == render.FALLBACK_LIMIT
    view = render.home_view(ALERT)
    assert view["type"] == "home" and view["blocks"][0]["type"] == "header"


@pytest.mark.parametrize("command,text,expected", [
    ("/task", "add Send the Acme filing by Friday", "add Send the Acme filing by Friday"),
    ("/task", "  done #3  ", "done #3"),
    ("/task", "", "help"),
    ("/tasks", "", "tasks"),
    ("/tasks", "@sam", "tasks @sam"),
    ("/TASKS", "#acme", "tasks #acme"),
])
def test_command_text(command, text, expected):
    assert render.command_text(command, text) == expected


@pytest.mark.parametrize("text,bot,expected", [
    ("<@UBOT> add Book the venue", "UBOT", "add Book the venue"),
    ("<@UBOT|vigil>   tasks", "UBOT", "tasks"),
    ("hey <@UBOT> what's on my plate?", "UBOT", "hey what's on my plate?"),
    ("<@UBOT> add x", None, "<@UBOT> add x"),
])
def test_strip_bot_mention(text, bot, expected):
    assert render.strip_bot_mention(text, bot) == expected


def test_mentions_are_found_and_replaced_and_text_unescaped():
    text = "assign #1 <@U3|sam> and <@U2> cc <@U3> &lt;now&gt; <https://x.io|x.io> <#C1|acme>"
    assert render.mention_ids(text) == ["U3", "U2"]
    replaced = render.replace_mentions(text, {"U3": "sam"})
    assert replaced.startswith("assign #1 @sam and <@U2> cc @sam")
    assert render.unescape(replaced).endswith("<now> https://x.io #acme")


@pytest.mark.parametrize("user,handle", [
    ({"id": "U1", "name": "marcus", "profile": {"display_name": "Marcus R"}}, "marcusr"),
    ({"id": "U1", "name": "sam.ortiz", "profile": {"display_name": ""}}, "sam.ortiz"),
    ({"id": "U9", "profile": {}}, "u9"),
])
def test_handle_for(user, handle):
    assert render.handle_for(user) == handle


@pytest.mark.parametrize("body,expected", [
    ({"command": "/task", "team_id": "T1", "user_id": "U1"}, ("T1", "U1")),
    ({"team_id": "T1", "event": {"type": "message", "user": "U2"}}, ("T1", "U2")),
    ({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U3"}}, ("T1", "U3")),
    ({"type": "view_submission", "user": {"id": "U3", "team_id": "T2"}}, ("T2", "U3")),
])
def test_actor(body, expected):
    assert render.actor(body) == expected


def test_incoming_from_command_and_messages():
    body = {"command": "/task", "text": "add x &amp; y", "channel_id": "C1",
            "channel_name": "general"}
    assert render.incoming_from_command(body, 1, 2) == Incoming(
        1, 2, text="add x & y", direct=False, reply_to="C1", chat="C1")
    dm = {"type": "message", "channel_type": "im", "channel": "D1", "text": "tasks"}
    assert render.incoming_from_message(dm, 1, 2) == Incoming(1, 2, text="tasks", direct=True,
                                                               reply_to="D1", chat="D1")
    mention = {"type": "app_mention", "channel": "C1", "text": "<@UBOT> help"}
    assert render.incoming_from_message(mention, 1, 2, "UBOT").text == "help"


def test_button_press_is_the_pressers():
    body = {"type": "block_actions", "user": {"id": "U2"}, "channel": {"id": "D9"},
            "actions": [{"action_id": "task.done:0",
                         "value": render.encode_action("task.done", {"task": 5})}]}
    incoming = render.incoming_from_action(body, 7, 42)
    assert incoming == Incoming(7, 42, action=Action("task.done", {"task": 5}), direct=True,
                                reply_to="D9", chat="D9")
    assert render.incoming_from_action({"actions": []}, 7, 42) is None
    assert render.incoming_from_action({"actions": [{"value": "junk"}]}, 7, 42) is None


def _state(title="Renew", owner=None, due=None):
    return {"state": {"values": {"title": {"title": {"value": title}},
                                 "owner": {"owner": {"selected_user": owner}},
                                 "due": {"due": {"selected_date": due}}}}}


@pytest.mark.parametrize("view,task,errors", [
    (_state("Renew  the\ndomain", "U2", "2026-11-27"),
     render.ModalTask("Renew the domain", "U2", date(2026, 11, 27)), {}),
    (_state("Renew"), render.ModalTask("Renew", None, None), {}),
    (_state("  "), None, {"title": "A task needs a title."}),
    (_state("Renew", due="27/11/2026"), None, {"due": "That is not a date Vigil understands."}),
    ({}, None, {"title": "A task needs a title."}),
])
def test_read_add_modal(view, task, errors):
    assert render.read_add_modal(view) == (task, errors)


def test_modal_text_and_prefill():
    task = render.ModalTask("Renew the domain", "U2", date(2026, 11, 27))
    assert render.modal_text(task, "priya") == "add Renew the domain @priya due 2026-11-27"
    modal = render.add_modal("  Renew it  ", '{"c":"C1"}')
    assert modal["blocks"][0]["element"]["initial_value"] == "Renew it"
    assert modal["callback_id"] == render.ADD_MODAL_CALLBACK
    assert "initial_value" not in render.add_modal("")["blocks"][0]["element"]


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
    assert render.shared_files(event) == [
        render.SharedFile("photo", "https://acme.slack.com/files/F1"),
        render.SharedFile("file", "https://files.slack.com/F2")]
    assert render.shared_files({}) == [] and render.shared_files({"files": None}) == []
    many = {"files": [{"permalink": f"https://x/{n}"} for n in range(30)]}
    assert len(render.shared_files(many)) == render.PROOF_FILES_LIMIT


@pytest.mark.parametrize(("text", "number"), [
    ("#12 done", 12), ("done #12, receipt attached #12", 12), ("Added #3 Pay rent", 3),
    ("#1 and #2 done", None), ("all done", None), ("", None), (None, None), ("#x1", None),
])
def test_task_number_needs_exactly_one_task(text, number):
    assert render.task_number(text) == number


def test_proof_text_is_the_done_command_with_every_file():
    files = [render.SharedFile("photo", "https://a/1"), render.SharedFile("file", "https://b/2")]
    assert render.proof_text(7, files) == "done #7 photo:https://a/1 file:https://b/2"


@pytest.mark.parametrize(("body", "dm"), [
    ({"channel_name": "directmessage", "channel_id": "D1"}, True),
    ({"channel_name": "privategroup", "channel_id": "G1"}, False),
    ({"channel_name": "general", "channel_id": "C1"}, False),
    ({"channel_id": "D2"}, True),
])
def test_dm_commands_are_recognised(body, dm):
    assert render.is_dm_command(body) is dm
    assert render.incoming_from_command({"command": "/task", **body}, 1, 2).direct is dm
    assert render.incoming_from_command({"command": "/task", **body}, 1, 2,
                                        direct=False).direct is False
