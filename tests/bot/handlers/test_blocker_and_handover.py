"""Stand-up "Blocker:" lines and "NAME, give X to Y" in a conversation (end to end).

Marcus is the admin; Sam, Ana and Lee are members (DESIGN.md §9: a member may change the
tasks they own or created). Now is Tuesday 1 Dec 2026 09:30 in London
(tests/bot/handlers/conftest.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Sam, Ana and Lee")
    for name in ("Sam", "Ana", "Lee"):
        chat.join(name)
    chat.say("marcus", "add client deck friday @sam")  # #1
    chat.say("marcus", "add board deck friday @lee")  # #2
    chat.say("marcus", "add VAT return friday @marcus")  # #3
    return chat


@pytest.mark.parametrize(
    ("who", "said", "reply"),
    [
        ("marcus", "Blocker: waiting on the client for VAT return", "#3 is blocked: the client"),
        ("marcus", "Blocker: VAT return - the client has not sent the docs",
         "#3 is blocked: the client has not sent the docs"),
        ("marcus", "VAT return blocked: need bank statements",
         "#3 is blocked: need bank statements"),
        # a task named that nobody has: said plainly, nothing changes
        ("marcus", "Blocker: payroll run, waiting for the bank", "⚠ No task matches 'payroll run'"),
        # "NAME, give X to Y": X is NAME's when NAME has one, whoever speaks
        ("marcus", "Sam, give the deck to Ana", "#1 now belongs to Ana"),
        ("marcus", "Lee: give the deck to Ana", "#2 now belongs to Ana"),
        ("sam", "Sam, give the deck to Ana", "#1 now belongs to Ana"),  # one's own: allowed
        ("marcus", "give the deck to Ana", "'deck' matches several tasks"),
        ("marcus", "Ana, give the deck to Sam", "'deck' matches several tasks"),  # Ana holds none
        # a member may not hand on someone else's task they did not create (§9): Sam is
        # asked instead (tests/bot/handlers/test_handover.py)
        ("lee", "Sam, give the deck to Lee",
         "#1 Client deck is Sam's, so I've asked Sam to hand it to you"),
    ],
)
def test_what_the_conversation_does(team, who, said, reply):
    out = team.say(who, said)
    assert out.text.startswith(reply), out.text


def test_a_blocker_with_a_figure_records_it_and_asks_the_reason(team):
    out = team.say("marcus", "Blocker: VAT return 50%")
    assert out.text.startswith("#3 is now 50% done.\nWhat is #3 VAT return waiting for?")
    done = team.say("marcus", "bank statements from the client")
    assert done.text.startswith("#3 is blocked: bank statements from the client")
    assert "#3 VAT return — @marcus · 50% · blocked" in done.text


def test_a_refused_handover_changes_nothing(team, uow):
    team.say("lee", "Sam, give the deck to Lee")
    with uow() as u:
        deck = u.tasks.by_number(team.ws, 1)
    assert deck is not None and deck.owner_id == team.ids["sam"]
