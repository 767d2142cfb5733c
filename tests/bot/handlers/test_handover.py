"""'Sam, give the deck to Ana': done on the speaker's rights (DESIGN §9); Sam, who holds
the work, is told when someone else handed it on, and asked when the speaker may not.

Marcus is the admin; Sam, Ana and Lee are members; Pam is a manager Sam reports to.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Sam, Ana and Lee")
    chat.say("marcus", "invite Pam as manager")
    chat.say("marcus", "reports @sam to @pam")
    for name in ("Sam", "Ana", "Lee", "Pam"):
        chat.join(name)
    chat.say("marcus", "add client deck friday @sam")  # #1
    return chat


def _owner(chat, uow) -> str:
    with uow() as u:
        task = u.tasks.by_number(chat.ws, 1)
        assert task is not None and task.owner_id is not None
        owner = u.people.get(chat.ws, task.owner_id)
    assert owner is not None
    return owner.name


def _to_sam(chat, uow) -> list[dict]:
    with uow() as u:
        rows = u.outbox.list(chat.ws)
    return [r.payload for r in rows if r.recipient_id == chat.ids["sam"] and r.kind == "reply"]


@pytest.mark.parametrize(("who", "said", "reply", "owner", "sam_hears"), [
    # may change it (owner, admin, the owner's manager): handed over
    ("sam", "Sam, give the deck to Ana", "#1 now belongs to Ana", "Ana", None),
    ("marcus", "Sam, give the deck to Ana", "#1 now belongs to Ana", "Ana",
     "Marcus gave #1 Client deck to Ana."),
    ("pam", "Sam, give the deck to Ana", "#1 now belongs to Ana", "Ana",
     "Pam gave #1 Client deck to Ana."),
    ("marcus", "Sam, give the deck to me", "#1 now belongs to Marcus", "Marcus",
     "Marcus took #1 Client deck over from you."),
    # may not (a member, not owner or creator): nothing changes, Sam is asked
    ("ana", "Sam, give the deck to Ana",
     "#1 Client deck is Sam's: only Sam, its creator, their manager or an admin can hand it "
     "over. I've asked Sam to give it to you — nothing changes until they do.", "Sam",
     "Ana would like to take over #1 Client deck from you."),
    ("lee", "Sam, give the deck to Ana",
     "#1 Client deck is Sam's: only Sam, its creator, their manager or an admin can hand it "
     "over. I've asked Sam to give it to Ana — nothing changes until they do.", "Sam",
     "Lee asks you to hand #1 Client deck over to Ana."),
    # a holder who does not hold it, or no holder: the speaker's rights alone, nobody asked
    ("lee", "Ana, give the deck to Lee", "⚠ Only the owner or creator of #1", "Sam", None),
    ("lee", "give the deck to Lee", "⚠ Only the owner or creator of #1", "Sam", None),
])
def test_a_handover_said_to_the_holder(team, uow, who, said, reply, owner, sam_hears):
    out = team.say(who, said)
    assert out.text.startswith(reply), out.text
    assert _owner(team, uow) == owner
    told = _to_sam(team, uow)
    assert [p["text"] for p in told] == ([sam_hears] if sam_hears else [])


@pytest.mark.parametrize(("presser", "button", "reply", "owner"), [
    ("sam", "Give #1 to Ana", "#1 now belongs to Ana", "Ana"),
    ("sam", "Keep it", "OK, #1 stays. Nothing was changed.", "Sam"),
    ("ana", "Give #1 to Ana", "⚠ Only the owner or creator of #1", "Sam"),  # the presser's rights
])
def test_the_holder_answers_the_request(team, uow, presser, button, reply, owner):
    team.say("ana", "Sam, give the deck to Ana")
    (asked,) = _to_sam(team, uow)
    pressed = next(b for b in asked["sections"][0]["buttons"] if b["label"] == button)
    out = team.act(presser, pressed["action"], **pressed["args"])
    assert out.text.startswith(reply), out.text
    assert _owner(team, uow) == owner
