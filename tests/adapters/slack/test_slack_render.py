"""Pure translation: Outgoing -> Block Kit, (Slack payloads -> Incoming: test_slack_inbound.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from adapters.slack import render
from bot.messages import Action, Button, Outgoing, Section

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
