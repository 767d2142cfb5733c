"""Plain sentences of DESIGN.md §8."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.language import parse

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(LONDON))  # a Tuesday


def fields(text: str, tz: str = LONDON) -> dict[str, Any]:
    """The non-null JSON fields of a parse by speaker "ana"."""
    return {k: v for k, v in parse(text, NOW, tz, "ana").as_json().items()
            if v is not None and v is not False}


DESIGN_EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    (
        "remind Sam to send the Acme filing by Friday",
        {
            "intent": "create_task",
            "title": "Send the Acme filing",
            "owner": "sam",
            "due": "2026-11-27T17:00:00+00:00",
        },
    ),
    (
        "Acme filing is 60% done",
        {"intent": "update_progress", "task": "Acme filing", "progress": 60},
    ),
    ("finished the Q3 filing", {"intent": "complete", "task": "Q3 filing"}),
    ("done with #14", {"intent": "complete", "task": "#14"}),
    (
        "blocked on bank statements for the Acme filing",
        {"intent": "block", "task": "Acme filing", "reason": "bank statements"},
    ),
    (
        "push the Acme filing to next Monday",
        {"intent": "set_deadline", "task": "Acme filing", "due": "2026-11-30T17:00:00+00:00"},
    ),
    (
        "give the Acme filing to Priya",
        {"intent": "assign", "task": "Acme filing", "owner": "priya"},
    ),
    ("what's on my plate?", {"intent": "list_tasks", "owner": "ana"}),
    ("what is Sam working on", {"intent": "list_tasks", "owner": "sam"}),
    ("show #14", {"intent": "show_task", "task": "#14"}),
    ("status of the Acme filing", {"intent": "task_status", "task": "Acme filing"}),
    ("board", {"intent": "board"}),
    ("timeline", {"intent": "gantt"}),
    ("gantt", {"intent": "gantt"}),
    ("how is the team doing", {"intent": "team"}),
    ("standup", {"intent": "standup"}),
]

MORE_SENTENCES: list[tuple[str, dict[str, Any]]] = [
    (
        "Remind Sam to send the Acme filing by Friday.",
        {
            "intent": "create_task",
            "title": "Send the Acme filing",
            "owner": "sam",
            "due": "2026-11-27T17:00:00+00:00",
        },
    ),
    (
        "remind me to call the bank tomorrow at 9am",
        {
            "intent": "create_task",
            "title": "Call the bank",
            "owner": "ana",
            "due": "2026-11-25T09:00:00+00:00",
        },
    ),
    (
        "tell @priya to review the contract on 28 Nov #legal p1",
        {
            "intent": "create_task",
            "title": "Review the contract",
            "owner": "priya",
            "due": "2026-11-28T17:00:00+00:00",
            "project": "legal",
            "priority": 1,
        },
    ),
    (
        "ask Sam to chase the invoice",
        {"intent": "create_task", "title": "Chase the invoice", "owner": "sam"},
    ),
    (
        "I need to renew the insurance end of month",
        {
            "intent": "create_task",
            "title": "Renew the insurance",
            "owner": "ana",
            "due": "2026-11-30T17:00:00+00:00",
        },
    ),
    (
        "the Acme filing is at 80%",
        {"intent": "update_progress", "task": "Acme filing", "progress": 80},
    ),
    (
        "I'm 80% done with the Q3 filing",
        {"intent": "update_progress", "task": "Q3 filing", "progress": 80},
    ),
    (
        "set the Acme filing to 75%",
        {"intent": "update_progress", "task": "Acme filing", "progress": 75},
    ),
    (
        "board meeting prep is 60% done",
        {"intent": "update_progress", "task": "board meeting prep", "progress": 60},
    ),
    ("I finished the Q3 filing", {"intent": "complete", "task": "Q3 filing"}),
    ("just completed #14", {"intent": "complete", "task": "#14"}),
    ("the Acme filing is done", {"intent": "complete", "task": "Acme filing"}),
    ("#14 done", {"intent": "complete", "task": "#14"}),
    ("mark #14 as done", {"intent": "complete", "task": "#14"}),
    (
        "I'm blocked on #14 because the bank is slow",
        {"intent": "block", "task": "#14", "reason": "the bank is slow"},
    ),
    (
        "Acme filing is blocked on the bank",
        {"intent": "block", "task": "Acme filing", "reason": "the bank"},
    ),
    (
        "the Acme filing is waiting for sign-off",
        {"intent": "block", "task": "Acme filing", "reason": "sign-off"},
    ),
    ("stuck on bank statements", {"intent": "block", "reason": "bank statements"}),
    ("Acme filing is no longer blocked", {"intent": "unblock", "task": "Acme filing"}),
    ("unblocked #14", {"intent": "unblock", "task": "#14"}),
    (
        "move #14 to end of week",
        {"intent": "set_deadline", "task": "#14", "due": "2026-11-27T17:00:00+00:00"},
    ),
    (
        "postpone the Acme filing until 3 Dec",
        {"intent": "set_deadline", "task": "Acme filing", "due": "2026-12-03T17:00:00+00:00"},
    ),
    (
        "push the send docs to bank task to Friday",
        {"intent": "set_deadline", "task": "send docs to bank", "due": "2026-11-27T17:00:00+00:00"},
    ),
    (
        "the Acme filing is now due Friday 3pm",
        {"intent": "set_deadline", "task": "Acme filing", "due": "2026-11-27T15:00:00+00:00"},
    ),
    (
        "deadline for the Acme filing is end of month",
        {"intent": "set_deadline", "task": "Acme filing", "due": "2026-11-30T17:00:00+00:00"},
    ),
    ("hand #14 over to @sam", {"intent": "assign", "task": "#14", "owner": "sam"}),
    ("give Priya the Acme filing", {"intent": "assign", "task": "Acme filing", "owner": "priya"}),
    ("Sam will take the Acme filing", {"intent": "assign", "task": "Acme filing", "owner": "sam"}),
    ("I'll take #14", {"intent": "assign", "task": "#14", "owner": "ana"}),
    ("what's on Sam's plate", {"intent": "list_tasks", "owner": "sam"}),
    ("Hey Vigil, what's on my plate today?", {"intent": "list_tasks", "owner": "ana"}),
    ("what am I working on", {"intent": "list_tasks", "owner": "ana"}),
    ("my tasks", {"intent": "list_tasks", "owner": "ana"}),
    ("show me my tasks", {"intent": "list_tasks", "owner": "ana"}),
    ("what tasks does Sam have", {"intent": "list_tasks", "owner": "sam"}),
    ("what's the status of #14", {"intent": "task_status", "task": "#14"}),
    ("how is the Acme filing going", {"intent": "task_status", "task": "Acme filing"}),
    ("where are we on the Acme filing", {"intent": "task_status", "task": "Acme filing"}),
    ("#14?", {"intent": "show_task", "task": "#14"}),
    ("can you show me the board please", {"intent": "board"}),
    ("show the board for #acme", {"intent": "board", "project": "acme"}),
    ("show the timeline", {"intent": "gantt"}),
    ("how's everyone doing?", {"intent": "team"}),
    ("team status", {"intent": "team"}),
    ("run the standup", {"intent": "standup"}),
    ("what can you do?", {"intent": "help"}),
    ("hey vigil", {"intent": "help"}),
    ("Hello there", {"intent": "help"}),
]


@pytest.mark.parametrize(("text", "expected"), DESIGN_EXAMPLES + MORE_SENTENCES)
def test_sentences(text: str, expected: dict[str, Any]) -> None:
    assert fields(text) == expected


def test_remind_in_new_york_is_friday_five_pm_local() -> None:
    got = fields("remind Sam to send the Acme filing by Friday", tz=NEW_YORK)
    assert got["due"] == "2026-11-27T17:00:00-05:00"


@pytest.mark.parametrize(
    "text",
    [
        "asdkjh qwe zzz",
        "the quick brown fox",
        "Acme filing",
        "",
        "   ",
        "!!!",
        "🙂",
        "lorem ipsum dolor sit amet",
        "x" * 5000,
        "12345",
        "@@@ ### %%%",
    ],
)
def test_gibberish_is_unknown_outside_a_direct_message(text: str) -> None:
    assert parse(text, NOW, LONDON, "ana", direct=False).intent == "unknown"


@pytest.mark.parametrize(
    ("text", "title"),
    [("asdkjh qwe zzz", "Asdkjh qwe zzz"), ("the quick brown fox", "The quick brown fox"),
     ("Acme filing", "Acme filing")],
)
def test_unknown_words_in_a_direct_message_are_a_task_to_confirm(text: str, title: str) -> None:
    parsed = parse(text, NOW, LONDON, "ana")
    assert (parsed.intent, parsed.title, parsed.confirm) == ("create_task", title, True)


@pytest.mark.parametrize(
    "text", ["!!!", "🙂", "12345", "@@@ ### %%%", "x" * 5000, "thanks", "ok cool", "what?",
             "is it ready", "progress #14"],
)
def test_what_is_never_captured_even_in_a_direct_message(text: str) -> None:
    assert parse(text, NOW, LONDON, "ana").intent in ("unknown", "help")


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("done Acme", "Acme"),
        ("show filing", "filing"),
        ("finished the filing", "filing"),
        ("status of the Q3 Acme filing", "Q3 Acme filing"),
        ("unblock ACME filing", "ACME filing"),
    ],
)
def test_ambiguous_references_kept_as_written(text: str, task: str) -> None:
    assert parse(text, NOW, LONDON, "ana").task == task


# The general forms learned from the sixth held-out batch, on sentences of their own.
CHAT_FORMS: list[tuple[str, dict[str, Any]]] = [
    # a bare span right after "remind"/"reminder" is when
    ("remind me 10 minutes to stretch", {"intent": "create_task", "title": "Stretch",
                                         "owner": "ana", "due": "2026-11-24T10:10:00+00:00"}),
    ("reminder: call the bank tomorrow", {"intent": "create_task", "title": "Call the bank",
                                          "owner": "ana", "due": "2026-11-25T17:00:00+00:00"}),
    ("remind 2 wks renew the lease", {"intent": "create_task", "title": "Renew the lease",
                                      "owner": "ana", "due": "2026-12-08T17:00:00+00:00"}),
    # a date said first
    ("Friday, remind me to pay rent", {"intent": "create_task", "title": "Pay rent",
                                       "owner": "ana", "due": "2026-11-27T17:00:00+00:00"}),
    # weekends: this one's Saturday, next one's a week later; a title's "weekend" stays
    ("order the flowers this weekend", {"intent": "create_task", "title": "Order the flowers",
                                        "due": "2026-11-28T17:00:00+00:00"}),
    ("add stocktake next weekend", {"intent": "create_task", "title": "Stocktake",
                                    "due": "2026-12-05T17:00:00+00:00"}),
    ("add plan the weekend rota", {"intent": "create_task", "title": "Plan the weekend rota"}),
    # priority at an edge, not inside the title
    ("add call the bank - ASAP", {"intent": "create_task", "title": "Call the bank",
                                  "priority": 1}),
    ("add review the urgent cases", {"intent": "create_task", "title": "Review the urgent cases"}),
    # commitments, the team's work and requests to the team
    ("I'm going to file the VAT return on Thursday",
     {"intent": "create_task", "title": "File the VAT return", "owner": "ana",
      "due": "2026-11-26T17:00:00+00:00"}),
    ("I'll do it", {"intent": "create_task", "title": "Do it", "owner": "ana", "confirm": True}),
    ("I'll take #14", {"intent": "assign", "task": "#14", "owner": "ana"}),
    ("we need to talk", {"intent": "create_task", "title": "Talk", "confirm": True}),
    ("could anybody cover the front desk tomorrow?",
     {"intent": "create_task", "title": "Cover the front desk",
      "due": "2026-11-25T17:00:00+00:00", "confirm": True}),
]


@pytest.mark.parametrize(("text", "expected"), CHAT_FORMS)
def test_chat_forms_of_new_work(text: str, expected: dict[str, Any]) -> None:
    assert fields(text) == expected


def test_a_state_is_no_commitment() -> None:
    assert fields("I'll be away next week").get("owner") is None
