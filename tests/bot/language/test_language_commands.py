"""Command verbs of DESIGN.md §7, with and without "/" and "/task"."""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.language import DateNotUnderstood, parse

LONDON = "Europe/London"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(LONDON))  # a Tuesday


def fields(text: str, tz: str = LONDON, speaker: str = "ana") -> dict[str, Any]:
    """The non-null JSON fields of a parse."""
    return {k: v for k, v in parse(text, NOW, tz, speaker).as_json().items()
            if v is not None and v is not False}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add Send invoice", {"intent": "create_task", "title": "Send invoice"}),
        ("/add send invoice", {"intent": "create_task", "title": "Send invoice"}),
        ("/task add send invoice", {"intent": "create_task", "title": "Send invoice"}),
        ("/add@VigilBot send invoice", {"intent": "create_task", "title": "Send invoice"}),
        ("done #14", {"intent": "complete", "task": "#14"}),
        ("/task done #14", {"intent": "complete", "task": "#14"}),
        ("done with #14", {"intent": "complete", "task": "#14"}),
        ("done Acme filing", {"intent": "complete", "task": "Acme filing"}),
        (
            "done #14 https://example.com/receipt.pdf",
            {
                "intent": "complete",
                "task": "#14",
                "note": "https://example.com/receipt.pdf",
                "proof": "link",
            },
        ),
        (
            "done #14 sent to the client",
            {"intent": "complete", "task": "#14", "note": "sent to the client", "proof": "text"},
        ),
        (
            "done Acme filing: sent the PDF",
            {"intent": "complete", "task": "Acme filing", "note": "sent the PDF", "proof": "text"},
        ),
        ("progress #14 60%", {"intent": "update_progress", "task": "#14", "progress": 60}),
        ("/progress #14 60", {"intent": "update_progress", "task": "#14", "progress": 60}),
        (
            "progress Acme filing 40%",
            {"intent": "update_progress", "task": "Acme filing", "progress": 40},
        ),
        (
            "progress on the Acme filing is 75%",
            {"intent": "update_progress", "task": "Acme filing", "progress": 75},
        ),
        (
            "block #14 waiting for bank statements",
            {"intent": "block", "task": "#14", "reason": "waiting for bank statements"},
        ),
        (
            "block #14 because the bank is slow",
            {"intent": "block", "task": "#14", "reason": "the bank is slow"},
        ),
        (
            "block Acme filing: client has not signed",
            {"intent": "block", "task": "Acme filing", "reason": "client has not signed"},
        ),
        ("block #14", {"intent": "block", "task": "#14"}),
        ("unblock #14", {"intent": "unblock", "task": "#14"}),
        ("/unblock the Acme filing", {"intent": "unblock", "task": "Acme filing"}),
        ("assign #14 @sam", {"intent": "assign", "task": "#14", "owner": "sam"}),
        ("assign #14 to @Sam", {"intent": "assign", "task": "#14", "owner": "sam"}),
        (
            "assign the Acme filing to Priya",
            {"intent": "assign", "task": "Acme filing", "owner": "priya"},
        ),
        ("assign #14 to me", {"intent": "assign", "task": "#14", "owner": "ana"}),
        ("assign me #14", {"intent": "assign", "task": "#14", "owner": "ana"}),
        (
            "due #14 Friday",
            {"intent": "set_deadline", "task": "#14", "due": "2026-11-27T17:00:00+00:00"},
        ),
        (
            "/task due #14 tomorrow 3pm",
            {"intent": "set_deadline", "task": "#14", "due": "2026-11-25T15:00:00+00:00"},
        ),
        (
            "due Acme filing next Monday 3pm",
            {"intent": "set_deadline", "task": "Acme filing", "due": "2026-11-30T15:00:00+00:00"},
        ),
        (
            "due the Acme filing to end of month",
            {"intent": "set_deadline", "task": "Acme filing", "due": "2026-11-30T17:00:00+00:00"},
        ),
        (
            "note #14 called the bank",
            {"intent": "add_note", "task": "#14", "note": "called the bank"},
        ),
        (
            "note Acme filing: called the bank",
            {"intent": "add_note", "task": "Acme filing", "note": "called the bank"},
        ),
        ("show #14", {"intent": "show_task", "task": "#14"}),
        ("/show the Acme filing", {"intent": "show_task", "task": "Acme filing"}),
        ("tasks", {"intent": "list_tasks", "owner": "ana"}),
        ("/tasks @sam", {"intent": "list_tasks", "owner": "sam"}),
        ("tasks me", {"intent": "list_tasks", "owner": "ana"}),
        ("tasks #acme", {"intent": "list_tasks", "project": "acme"}),
        ("list all tasks", {"intent": "list_tasks"}),
        ("board", {"intent": "board"}),
        ("/board #acme", {"intent": "board", "project": "acme"}),
        ("gantt", {"intent": "gantt"}),
        ("gantt #acme", {"intent": "gantt", "project": "acme"}),
        ("timeline for #acme", {"intent": "gantt", "project": "acme"}),
        ("team", {"intent": "team"}),
        ("/team", {"intent": "team"}),
        ("standup", {"intent": "standup"}),
        ("/standup", {"intent": "standup"}),
        ("help", {"intent": "help"}),
        ("/help", {"intent": "help"}),
        ("/task help", {"intent": "help"}),
        ("/task", {"intent": "help"}),
        ("/start", {"intent": "help"}),
    ],
)
def test_command_verbs(text: str, expected: dict[str, Any]) -> None:
    assert fields(text) == expected


NOON_FRIDAY = "2026-11-27T17:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "add Send invoice to Acme @sam #acme p2 by Friday",
            {
                "title": "Send invoice to Acme",
                "owner": "sam",
                "project": "acme",
                "priority": 2,
                "due": NOON_FRIDAY,
            },
        ),
        ("add call the bank @me", {"title": "Call the bank", "owner": "ana"}),
        ("add call the bank for me", {"title": "Call the bank", "owner": "ana"}),
        (
            "add call the bank tomorrow",
            {"title": "Call the bank", "due": "2026-11-25T17:00:00+00:00"},
        ),
        (
            "add call the bank tomorrow at 9am",
            {"title": "Call the bank", "due": "2026-11-25T09:00:00+00:00"},
        ),
        (
            "add review contract next Monday 3pm",
            {"title": "Review contract", "due": "2026-11-30T15:00:00+00:00"},
        ),
        (
            "add Quarterly review on 28 Nov",
            {"title": "Quarterly review", "due": "2026-11-28T17:00:00+00:00"},
        ),
        (
            "add pay supplier in 3 days",
            {"title": "Pay supplier", "due": "2026-11-27T17:00:00+00:00"},
        ),
        ("add finish deck EOD", {"title": "Finish deck", "due": "2026-11-24T17:00:00+00:00"}),
        ("add wrap up end of week", {"title": "Wrap up", "due": NOON_FRIDAY}),
        (
            "add file VAT return end of month",
            {"title": "File VAT return", "due": "2026-11-30T17:00:00+00:00"},
        ),
        ("add report due Friday", {"title": "Report", "due": NOON_FRIDAY}),
        (
            "add Prepare Monday meeting notes by Fri",
            {"title": "Prepare Monday meeting notes", "due": NOON_FRIDAY},
        ),
        ("add Fix the server p1", {"title": "Fix the server", "priority": 1}),
        ("add Fix the server !urgent", {"title": "Fix the server", "priority": 1}),
        ("add Fix the server !high", {"title": "Fix the server", "priority": 1}),
        ("add Tidy the wiki !low", {"title": "Tidy the wiki", "priority": 4}),
        ("add Tidy the wiki p4", {"title": "Tidy the wiki", "priority": 4}),
        (
            "add Weekly report every monday 9am",
            {"title": "Weekly report", "recurrence": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"},
        ),
        (
            "add Check the fridge every weekday at 7am proof: photo",
            {
                "title": "Check the fridge",
                "proof": "photo",
                "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0",
            },
        ),
        ("add Water plants every day", {"title": "Water plants", "recurrence": "FREQ=DAILY"}),
        (
            "add Pay rent every month on the 1st",
            {"title": "Pay rent", "recurrence": "FREQ=MONTHLY;BYMONTHDAY=1"},
        ),
        (
            "add Backup review every 2 weeks",
            {"title": "Backup review", "recurrence": "FREQ=WEEKLY;INTERVAL=2"},
        ),
        ("add Send receipt proof: link", {"title": "Send receipt", "proof": "link"}),
        ("add Sign contract proof: file", {"title": "Sign contract", "proof": "file"}),
        ("add Log hours proof: text", {"title": "Log hours", "proof": "text"}),
        ("add Draft section 2 under #12", {"title": "Draft section 2", "parent": "#12"}),
        ("add Publish after #11", {"title": "Publish", "depends_on": ["#11"]}),
        (
            "add Publish after #11 and #13 under #10",
            {"title": "Publish", "depends_on": ["#11", "#13"], "parent": "#10"},
        ),
        (
            "add a task for Sam to file taxes by EOD",
            {"title": "File taxes", "owner": "sam", "due": "2026-11-24T17:00:00+00:00"},
        ),
        ("add Task: review the budget", {"title": "Review the budget"}),
        ("add send docs to the bank by", {"title": "Send docs to the bank"}),
        (
            "add meet @priya at 3pm",
            {"title": "Meet", "owner": "priya", "due": "2026-11-24T15:00:00+00:00"},
        ),
        ("add work on today's list", {"title": "Work on today's list"}),
        ("add Review #14 notes", {"title": "Review #14 notes"}),
    ],
)
def test_add_features(text: str, expected: dict[str, Any]) -> None:
    assert fields(text) == {"intent": "create_task", **expected}


def test_add_every_feature_at_once() -> None:
    got = fields(
        "/task add Audit the books @sam #finance p2 every 2 weeks on friday at 4pm "
        "proof: file under #12 after #11"
    )
    assert got == {
        "intent": "create_task",
        "title": "Audit the books",
        "owner": "sam",
        "project": "finance",
        "priority": 2,
        "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=16;BYMINUTE=0",
        "proof": "file",
        "parent": "#12",
        "depends_on": ["#11"],
    }


def test_add_due_in_new_york() -> None:
    got = fields("add Send invoice by Friday", tz="America/New_York")
    assert got["due"] == "2026-11-27T17:00:00-05:00"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("due #14 blorp", "blorp"), ("due #14", "(nothing)"), ("due Acme filing to blorp", "blorp")],
)
def test_due_with_a_bad_date_raises(text: str, phrase: str) -> None:
    with pytest.raises(DateNotUnderstood, match=re.escape(f"understand the date '{phrase}'")):
        parse(text, NOW, LONDON, "ana")


def test_date_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse("/due #14 next blorpday", NOW, LONDON, "ana")


@pytest.mark.parametrize("text", ["add", "/add", "show", "progress #14", "note", "board meeting"])
def test_verbs_without_usable_arguments_are_unknown(text: str) -> None:
    assert parse(text, NOW, LONDON, "ana").intent == "unknown"


def test_speaker_at_sign_is_dropped() -> None:
    assert fields("tasks", speaker="@ana") == {"intent": "list_tasks", "owner": "ana"}


def test_long_nonsense_is_still_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(DateNotUnderstood):
        parse("due " + "word " * 400 + "blorp", NOW, LONDON, "ana")
    assert parse("push " + "a to " * 300 + "x", NOW, LONDON, "ana").intent == "unknown"
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # A command says what to do: it is never turned into a "Create this task?" question,
        # in a channel as in a DM (a slash command reaches the parser as a channel message).
        ("add Send the Acme filing by Friday", False),
        ("/task add Send the Acme filing by Friday", False),
        ("/add send invoice", False),
        # Said of a teammate in a channel: shown and asked, never created at once.
        ("Sam: draft the Q3 letter", True),
    ],
)
def test_commands_in_a_channel_are_never_turned_into_questions(text: str, asks: bool) -> None:
    parsed = parse(text, NOW, LONDON, "ana", direct=False)
    assert parsed.intent == "create_task"
    assert parsed.confirm is asks
