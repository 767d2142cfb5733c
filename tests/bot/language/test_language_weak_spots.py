"""What the last session left weak (stop 24): date-like names, a time said first, stand-up
"Blocker:" lines that name their task, and "NAME, give X to Y".

Now is Tuesday 24 Nov 2026 10:00 in London (numeric dates day first); the speaker is ana.
Every field not named must come out empty.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.language import ParsedIntent, parse

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)


def _at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


CASES: list[tuple[str, dict[str, object]]] = [
    # a date that names an event is no deadline; after the title it still is one
    ("add 9/11 memorial", {"intent": "create_task", "title": "9/11 memorial"}),
    ("9/11 memorial", {"intent": "create_task", "title": "9/11 memorial", "confirm": True}),
    ("add 7/7 anniversary service", {"intent": "create_task", "title": "7/7 anniversary service"}),
    ("add plan the 9/11 memorial by Friday",
     {"intent": "create_task", "title": "Plan the 9/11 memorial", "due": _at(27, 17)}),
    ("add report 9/11", {"intent": "create_task", "title": "Report", "due": _at(9, 17)}),
    ("add 15/12 report prep", {"intent": "create_task", "title": "Report prep",
                               "due": _at(15, 17, month=12)}),
    # a two-digit 24-hour time said first is the deadline's time, as "2pm call …" is
    ("14:00 call with Acme", {"intent": "create_task", "title": "Call with Acme",
                              "due": _at(24, 14)}),
    ("add 14:00 call with Acme", {"intent": "create_task", "title": "Call with Acme",
                                  "due": _at(24, 14)}),
    ("14:00 call with Acme tomorrow", {"intent": "create_task", "title": "Call with Acme",
                                       "due": _at(25, 14)}),
    ("2pm call with Acme tomorrow", {"intent": "create_task", "title": "Call with Acme",
                                     "due": _at(25, 14)}),
    ("09:30 standup", {"intent": "create_task", "title": "Standup", "due": _at(25, 9, 30)}),
    ("Standup at 09:30 tomorrow", {"intent": "create_task", "title": "Standup",
                                   "due": _at(25, 9, 30)}),
    ("add 1:1 with Sam", {"intent": "create_task", "title": "1:1 with Sam"}),
    ("add 3:30 call", {"intent": "create_task", "title": "3:30 call"}),  # am or pm? a title
    # stand-up "Blocker:" lines
    ("Blocker: VAT return 50%", {"intent": "block", "task": "VAT return", "progress": 50}),
    ("blocker: #14 at 30%", {"intent": "block", "task": "#14", "progress": 30}),
    ("Blocker: waiting on the client for VAT return",
     {"intent": "block", "task": "VAT return", "reason": "the client"}),
    ("Blocker: waiting for sign-off on the budget",
     {"intent": "block", "task": "budget", "reason": "sign-off"}),
    ("Blocker: payroll run, waiting for the bank",
     {"intent": "block", "task": "payroll run", "reason": "the bank"}),
    ("Blocker: VAT return - client has not sent the docs",
     {"intent": "block", "task": "VAT return", "reason": "client has not sent the docs"}),
    ("Blocker: waiting on API docs from backend",
     {"intent": "block", "reason": "API docs from backend"}),  # no task named: asked
    ("Blocker: VAT return", {"intent": "block", "reason": "VAT return"}),  # the conversation looks
    ("Blockers: none", {"intent": "unknown"}),
    ("Database migration blocked: need DevOps review of the schema",
     {"intent": "block", "task": "Database migration",
      "reason": "need DevOps review of the schema"}),
    # no task named before "blocked:": the reason is kept and the conversation asks which
    ("Still blocked: waiting on the bank", {"intent": "block", "reason": "waiting on the bank"}),
    ("We're blocked - need access", {"intent": "block", "reason": "need access"}),
    ("blocked: waiting on the bank", {"intent": "block", "reason": "waiting on the bank"}),
    ("the launch is blocked: need the final copy",
     {"intent": "block", "task": "launch", "reason": "need the final copy"}),
    ("VAT return 50%", {"intent": "update_progress", "task": "VAT return", "progress": 50}),
    # "NAME, give X to Y": X is looked for among NAME's tasks first
    ("Sam, give the deck to Ana", {"intent": "assign", "task": "deck", "owner": "ana",
                                   "holder": "sam"}),
    ("Sam: give the deck to Ana", {"intent": "assign", "task": "deck", "owner": "ana",
                                   "holder": "sam"}),
    ("Sam, hand the deck over to me", {"intent": "assign", "task": "deck", "owner": "ana",
                                       "holder": "sam"}),
    ("give the deck to Ana", {"intent": "assign", "task": "deck", "owner": "ana"}),
    ("Sam, give the deck to Sam",
     {"intent": "create_task", "title": "Sam, give the deck to Sam", "confirm": True}),
    # view verbs that are also a title's first word
    ("board meeting prep friday", {"intent": "create_task", "title": "Board meeting prep",
                                   "due": _at(27, 17)}),
    ("board", {"intent": "board"}),
    ("standup", {"intent": "standup"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_weak_spots_read_as_a_person_means_them(text: str, expected: dict[str, object]) -> None:
    got = parse(text, NOW, "Europe/London", "ana")
    want = ParsedIntent(**expected)  # type: ignore[arg-type]
    assert got.as_json() == want.as_json()
