"""Stop 23: chat phrasings the parser misread, and the readings that must not change.

Said Tuesday 24 Nov 2026 10:00 in London by "ana".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.language import parse

LONDON = "Europe/London"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(LONDON))


def fields(text: str) -> dict[str, Any]:
    return {k: v for k, v in parse(text, NOW, LONDON, "ana").as_json().items()
            if v is not None and v is not False}


CASES: list[tuple[str, dict[str, Any]]] = [
    # stop 26, typed as a manager in the demo: an instruction after the name, a dash for the
    # colon, "have X do", and how a person is doing (their tasks, not a task called "Tom")
    ("Priya, please do the Harlow payroll by Tuesday",
     {"intent": "create_task", "title": "Harlow payroll", "owner": "priya",
      "due": "2026-12-01T17:00:00+00:00"}),
    ("Ben please send the engagement letter Friday",
     {"intent": "create_task", "title": "Send the engagement letter", "owner": "ben",
      "due": "2026-11-27T17:00:00+00:00"}),
    ("Sam please call the client", {"intent": "create_task", "title": "Call the client",
                                    "owner": "sam", "confirm": True}),
    ("Priya - chase the Harlow bank letters by Monday",
     {"intent": "create_task", "title": "Chase the Harlow bank letters", "owner": "priya",
      "due": "2026-11-30T17:00:00+00:00"}),
    ("have Priya send the Harlow pack by Thursday",
     {"intent": "create_task", "title": "Send the Harlow pack", "owner": "priya",
      "due": "2026-11-26T17:00:00+00:00"}),
    ("have lunch with Sam on Friday", {"intent": "create_task", "title": "Have lunch with Sam",
                                       "due": "2026-11-27T17:00:00+00:00"}),
    ("Monday - team call", {"intent": "create_task", "title": "Team call",
                            "due": "2026-11-30T17:00:00+00:00"}),
    ("Sam, please", {"intent": "unknown"}),
    # what the writer cannot or did not do is news, never a task (stop 26, typed as Sam in
    # the demo: it made "I can't make the Harlow meeting" a task nobody owned)
    ("I can't make the Harlow meeting tomorrow", {"intent": "unknown"}),
    ("I cannot attend the team call on Friday", {"intent": "unknown"}),
    ("I won’t be able to finish the Acme filing by Friday", {"intent": "unknown"}),
    ("I didn't get the bank statements", {"intent": "unknown"}),
    ("I'll miss the standup tomorrow", {"intent": "unknown"}),
    ("I'm not able to make it on Friday", {"intent": "unknown"}),
    ("can't do the Acme filing, waiting for the bank",
     {"intent": "block", "task": "Acme filing", "reason": "waiting for the bank"}),
    ("I'll send the deck Friday", {"intent": "create_task", "title": "Send the deck",
                                   "owner": "ana", "due": "2026-11-27T17:00:00+00:00"}),
    ("how is Tom doing?", {"intent": "list_tasks", "owner": "tom"}),
    ("how's Priya getting on?", {"intent": "list_tasks", "owner": "priya"}),
    ("how is @sam getting on with his work?", {"intent": "list_tasks", "owner": "sam"}),
    ("how's the payroll going?", {"intent": "task_status", "task": "payroll"}),
    ("how is Beacon going?", {"intent": "task_status", "task": "Beacon"}),
    # a name and a colon: that person's task, created at once; asked when it is a request
    ("Alex: draft the Q3 letter", {"intent": "create_task", "title": "Draft the Q3 letter",
                                   "owner": "alex"}),
    ("Sam: can you look at the deck?", {"intent": "create_task", "title": "Look at the deck",
                                        "owner": "sam", "confirm": True}),
    ("@alex can you confirm by EOD?", {"intent": "create_task", "title": "Confirm",
                                       "owner": "alex", "due": "2026-11-24T17:00:00+00:00",
                                       "confirm": True}),
    ("Sam, could you send the deck by Friday?",
     {"intent": "create_task", "title": "Send the deck", "owner": "sam",
      "due": "2026-11-27T17:00:00+00:00", "confirm": True}),
    ("Sam: thanks!", {"intent": "unknown"}),
    # an update after "NAME:": NAME's task of that name is looked for first (owner is the hint)
    ("Sam: the VAT return is done", {"intent": "complete", "task": "VAT return", "owner": "sam"}),
    ("Sam: VAT return 50%", {"intent": "update_progress", "task": "VAT return", "owner": "sam",
                             "progress": 50}),
    ("@sam: VAT return is at 40%", {"intent": "update_progress", "task": "VAT return",
                                    "owner": "sam", "progress": 40}),
    # Sam's VAT return goes to Priya (the task is looked for among Sam's first)
    ("Sam: give the VAT return to Priya", {"intent": "assign", "task": "VAT return",
                                           "owner": "priya", "holder": "sam"}),
    # a stand-up line: the VAT return is blocked, 50% done (stop 24; it was a title before)
    ("Blocker: VAT return 50%", {"intent": "block", "task": "VAT return", "progress": 50}),
    ("Sam: done", {"intent": "complete", "task": "Sam"}),  # a reply, never a task "Done"
    # the same after "NAME," (an update only: "Sam, payroll run" is no instruction)
    ("Sam, VAT return is at 50%", {"intent": "update_progress", "task": "VAT return",
                                   "owner": "sam", "progress": 50}),
    ("Sam, the VAT return is done", {"intent": "complete", "task": "VAT return",
                                     "owner": "sam"}),
    ("Sam, payroll run", {"intent": "create_task", "title": "Sam, payroll run",
                          "confirm": True}),
    ("Urgent: call the bank", {"intent": "create_task", "title": "Call the bank", "priority": 1,
                               "confirm": True}),
    # "take" with plain words is new work; "take #14" / "take it" stay the command
    ("take out the recycling friday", {"intent": "create_task", "title": "Take out the recycling",
                                       "due": "2026-11-27T17:00:00+00:00"}),
    ("take #5", {"intent": "unknown"}),
    # how is it going: the one-line status; details: the card
    ("how's the payroll run going?", {"intent": "task_status", "task": "payroll run"}),
    ("status of payroll run", {"intent": "task_status", "task": "payroll run"}),
    ("where are we on the payroll run?", {"intent": "task_status", "task": "payroll run"}),
    ("tell me about the payroll run", {"intent": "show_task", "task": "payroll run"}),
    ("status #4", {"intent": "show_task", "task": "#4"}),
    # "I'm working on it" keeps "it" (the chat's topic); a stand-up line without "I'm"
    ("I'm working on it", {"intent": "update_progress", "task": "it", "progress": 10}),
    ("starting checkout flow", {"intent": "update_progress", "task": "checkout flow",
                                "progress": 10}),
    ("Starting salary review next week", {"intent": "create_task",
                                          "title": "Starting salary review",
                                          "due": "2026-11-30T17:00:00+00:00"}),
    # a stand-up's blocker names no task (the conversation asks which); none is no task
    ("Blocker: waiting on API docs from backend", {"intent": "block",
                                                   "reason": "API docs from backend"}),
    ("Blockers: none", {"intent": "unknown"}),
    # who should do it is no part of the title
    ("Can someone with infra access take a look this afternoon?",
     {"intent": "create_task", "title": "Take a look", "due": "2026-11-24T12:00:00+00:00",
      "confirm": True}),
    # quick-add habits of Telegram task bots: a numeric date or 24-hour time at the end
    ("/newtask Monthly report !high @mario 15/04",
     {"intent": "create_task", "title": "Monthly report", "owner": "mario", "priority": 1,
      "due": "2027-04-15T17:00:00+01:00"}),
    ("/rem Close report 18:30", {"intent": "create_task", "title": "Close report",
                                 "owner": "ana", "due": "2026-11-24T18:30:00+00:00"}),
    ("add look this evening", {"intent": "create_task", "title": "Look",
                               "due": "2026-11-24T19:00:00+00:00"}),
    ("VAT return 3/4 done", {"intent": "update_progress", "task": "VAT return", "progress": 75}),
    ("add v2.15 release notes", {"intent": "create_task", "title": "V2.15 release notes"}),
    # ... or at the start, before the title; numbers that are part of a title stay in it
    ("15/04 report prep", {"intent": "create_task", "title": "Report prep",
                           "due": "2027-04-15T17:00:00+01:00"}),
    ("add 15/04: report prep @mario", {"intent": "create_task", "title": "Report prep",
                                       "owner": "mario", "due": "2027-04-15T17:00:00+01:00"}),
    ("15/04 18:30 report prep", {"intent": "create_task", "title": "Report prep",
                                 "due": "2027-04-15T18:30:00+01:00"}),
    ("2024 budget", {"intent": "create_task", "title": "2024 budget", "confirm": True}),
    ("Q3 letter", {"intent": "create_task", "title": "Q3 letter", "confirm": True}),
    ("2.1 release notes", {"intent": "create_task", "title": "2.1 release notes",
                           "confirm": True}),
    ("1/2 day offsite", {"intent": "create_task", "title": "1/2 day offsite", "confirm": True}),
    ("24/7 support rota", {"intent": "create_task", "title": "24/7 support rota",
                           "confirm": True}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_chat_words(text: str, expected: dict[str, Any]) -> None:
    assert fields(text) == expected
