""""Sam: VAT return 50%": the "NAME:" form wins over a title "Sam: VAT return" (end to end).

Sam and Priya each own an open "VAT return"; a name after the colon picks that person's;
a name with no such task (or nobody's name) is read as the words after it would be. Now
is Tuesday 1 Dec 2026 09:30 in London (tests/bot/handlers/conftest.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Alex, Sam and Priya")
    chat.say("marcus", "add VAT return friday @sam")  # #1
    chat.say("marcus", "add VAT return monday @priya")  # #2
    return chat


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("Sam: VAT return 50%", "#1 is now 50% done"),
        ("Priya: VAT return 50%", "#2 is now 50% done"),
        ("@priya: VAT return is at 40%", "#2 is now 40% done"),
        ("Sam: 30% on the VAT return", "#1 is now 30% done"),
        ("Sam, VAT return is at 60%", "#1 is now 60% done"),
        ("Priya, the VAT return is due Thursday", "#2 is due Thu 3 Dec 17:00"),
        # Alex owns no VAT return: the words after the colon alone, as anyone would say them
        ("Alex: VAT return 50%", "'VAT return' matches several tasks — which one?"),
        ("VAT return 50%", "'VAT return' matches several tasks — which one?"),
    ],
)
def test_a_name_and_a_colon_before_progress_means_their_task(team, said, reply):
    assert team.say("marcus", said).text.startswith(reply)


def test_a_name_and_a_colon_with_one_task_of_that_name_updates_it(chat):
    chat.say("marcus", "invite Sam")
    chat.say("marcus", "add payroll run friday @marcus")
    assert chat.say("marcus", "Sam: payroll run 50%").text.startswith("#1 is now 50% done")
