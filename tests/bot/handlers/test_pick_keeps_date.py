""""I'll have it done by Friday" with nothing talked about lately: which task? (the date kept).

The speaker's open tasks are offered as numbered buttons; the pick — a tap, a typed
number or words of a title — sets the deadline that was said. Now is Tuesday 1 Dec 2026
09:30 in London (tests/bot/handlers/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "add payroll run monday @marcus")  # #1
    chat.say("marcus", "add VAT return @marcus")  # #2, no deadline
    chat.clock.advance(timedelta(hours=2))  # the chat's topic is forgotten
    return chat


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("I'll have it done by Friday", "Which task should I make due Fri 4 Dec 17:00?"),
        ("I'll get it finished by Thursday 3pm", "Which task should I make due Thu 3 Dec 15:00?"),
        ("due Friday", "Which task should I make due Fri 4 Dec 17:00?"),
    ],
)
def test_a_deadline_without_a_task_asks_which_and_says_the_date(team, said, asked):
    out = team.say("marcus", said)
    assert out.text.startswith(asked)
    assert [b.label for b in out.buttons] == ["1. #2 VAT return", "2. #1 Payroll run"]


@pytest.mark.parametrize(
    ("pick", "done"),
    [
        ("tap 2", "#1 is due Fri 4 Dec 17:00"),
        ("2", "#1 is due Fri 4 Dec 17:00"),
        ("VAT return", "#2 is due Fri 4 Dec 17:00"),
    ],
)
def test_the_pick_sets_the_deadline_that_was_said(team, pick, done):
    asked = team.say("marcus", "I'll have it done by Friday")
    if pick.startswith("tap "):
        out = team.press("marcus", asked.buttons[int(pick[4:]) - 1].label, asked)
    else:
        out = team.say("marcus", pick)
    assert out.text.startswith(done)
    card = "#1 Payroll run — @marcus" if done.startswith("#1") else "#2 VAT return — @marcus"
    assert f"{card} · 0% · todo · due Fri 4 Dec 17:00" in out.text
