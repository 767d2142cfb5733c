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


def _to_sam(chat, uow, who: str = "sam") -> list[dict]:
    with uow() as u:
        rows = u.outbox.list(chat.ws)
    return [r.payload for r in rows if r.recipient_id == chat.ids[who] and r.kind == "reply"]


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
     "#1 Client deck is Sam's, so I've asked Sam to hand it to you. I'll tell you what Sam "
     "says.", "Sam", "Ana would like to take over #1 Client deck from you."),
    ("lee", "Sam, give the deck to Ana",
     "#1 Client deck is Sam's, so I've asked Sam to hand it to Ana. I'll tell you what Sam "
     "says.", "Sam", "Lee asks you to hand #1 Client deck over to Ana."),
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


@pytest.mark.parametrize(("asker", "presser", "button", "reply", "owner", "asker_hears"), [
    ("ana", "sam", "Give #1 to Ana", "#1 now belongs to Ana", "Ana",
     "Sam gave #1 Client deck to you, as you asked."),
    ("lee", "sam", "Give #1 to Ana", "#1 now belongs to Ana", "Ana",
     "Sam gave #1 Client deck to Ana, as you asked."),
    # a declined handover is told to whoever asked, not left in silence
    ("ana", "sam", "Keep it", "OK, #1 stays with you. I've told Ana.", "Sam",
     "Sam is keeping #1 Client deck, so it was not handed to you. Talk to Sam if it must move."),
    ("lee", "sam", "Keep it", "OK, #1 stays with you. I've told Lee.", "Sam",
     "Sam is keeping #1 Client deck, so it was not handed to Ana. Talk to Sam if it must move."),
    # the presser's rights: only Sam answers Sam's question
    ("ana", "ana", "Give #1 to Ana", "⚠ Only the owner or creator of #1", "Sam", None),
    ("ana", "ana", "Keep it", "⚠ #1 is Sam's now, so it is not yours to keep.", "Sam", None),
])
def test_the_holder_answers_the_request(team, uow, asker, presser, button, reply, owner,
                                        asker_hears):
    team.say(asker, "Sam, give the deck to Ana")
    (asked,) = _to_sam(team, uow)
    pressed = next(b for b in asked["sections"][0]["buttons"] if b["label"] == button)
    out = team.act(presser, pressed["action"], **pressed["args"])
    assert out.text.startswith(reply), out.text
    assert _owner(team, uow) == owner
    told = [p["text"] for p in _to_sam(team, uow, asker)]
    assert told == ([asker_hears] if asker_hears else [])


def test_keep_after_the_task_moved_on_changes_nothing(team, uow):
    team.say("ana", "Sam, give the deck to Ana")
    (asked,) = _to_sam(team, uow)
    team.say("marcus", "give #1 to Lee")
    keep = next(b for b in asked["sections"][0]["buttons"] if b["label"] == "Keep it")
    out = team.act("sam", keep["action"], **keep["args"])
    assert out.text.startswith("⚠ #1 is Lee's now, so it is not yours to keep."), out.text
    assert _owner(team, uow) == "Lee"
    assert _to_sam(team, uow, "ana") == []


@pytest.mark.parametrize("args", [{"task": "x", "owner": 1, "asker": 1}, {"task": 1},
                                  {"task": True, "owner": 1}])
def test_a_forged_handover_button_is_a_clear_answer(team, args):
    out = team.act("sam", "handover.keep", **args)
    assert out.text.startswith("⚠ That button is out of date"), out.text
