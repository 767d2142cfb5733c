"""ParsedIntent JSON shape and the render helper."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.language import INTENTS, JSON_KEYS, ParsedIntent, parse, warm_up
from bot.language.render import intent_json

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_json_has_every_key_in_order_with_nulls() -> None:
    data = parse("show #14", NOW, "Europe/London", "ana").as_json()
    assert tuple(data) == JSON_KEYS
    assert data["intent"] == "show_task" and data["task"] == "#14"
    assert data["confirm"] is False
    assert all(data[k] is None for k in JSON_KEYS if k not in ("intent", "task", "confirm"))


def test_intent_json_serialises_due_with_offset() -> None:
    parsed = parse("remind Sam to send the Acme filing by Friday", NOW, "America/New_York", "ana")
    text = intent_json(parsed)
    assert text.startswith('{"intent": "create_task", "confirm": false, "task": null, "title": ')
    data = json.loads(text)
    assert data["due"] == "2026-11-27T17:00:00-05:00"
    assert list(data) == list(JSON_KEYS)


def test_depends_on_is_a_list_or_null() -> None:
    assert ParsedIntent("create_task", depends_on=("#11",)).as_json()["depends_on"] == ["#11"]
    assert ParsedIntent("create_task").as_json()["depends_on"] is None


def test_unknown_intent_name_is_rejected() -> None:
    with pytest.raises(ValueError):
        ParsedIntent("explode")


def test_every_intent_is_reachable() -> None:
    samples = [
        "add x",
        "progress #1 5%",
        "done #1",
        "block #1",
        "unblock #1",
        "assign #1 @a",
        "due #1 friday",
        "note #1 hi",
        "show #1",
        "tasks",
        "board",
        "gantt",
        "team",
        "standup",
        "help",
        "Jo is off Friday",
        "Jo will cover for me",
        "who owns #1",
        "when is #1 due",
        "is #1 done",
        "how far along is #1",
        "why is #1 blocked",
        "how's #1 going",
        "what should I do first",
        "blorp",
    ]
    seen = {parse(s, NOW, "Europe/London", "ana").intent for s in samples}
    assert seen == set(INTENTS)


def test_warm_up_and_bad_zone() -> None:
    warm_up()
    with pytest.raises(ValueError, match="Unknown time zone"):
        parse("board", NOW, "Nowhere/Land", "ana")
