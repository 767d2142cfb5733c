"""A change made in a DM is answered there, problems and buttons included: the writer gets
no alert about it on top (everyone else routing picks still does); in a channel the alert
still goes to the writer's DM, as before."""

from __future__ import annotations

import pytest

from bot.messages import Incoming

# who writes, in a DM or not, what -> (rule, recipient) of the alerts queued by the change
CASES = [
    ("marcus", True, "add payroll run yesterday", set()),
    ("marcus", False, "add payroll run yesterday",
     {("task.missing_owner", "marcus"), ("task.overdue", "marcus")}),
    ("marcus", True, "add the deck @sam yesterday", {("task.overdue", "sam")}),
    ("marcus", False, "add the deck @sam yesterday", {("task.overdue", "sam")}),
    # Sam's own ownerless task: Sam reads the overdue in the reply; the admin is still told
    # nobody owns it
    ("sam", True, "add slides yesterday", {("task.missing_owner", "marcus")}),
    ("sam", False, "add slides yesterday",
     {("task.missing_owner", "marcus"), ("task.overdue", "sam")}),
]


@pytest.mark.parametrize(("who", "direct", "text", "alerted"), CASES)
def test_the_writer_is_not_alerted_of_what_the_reply_to_their_dm_shows(
    chat, uow, who: str, direct: bool, text: str, alerted: set[tuple[str, str]]
) -> None:
    chat.say("marcus", "invite Sam")
    chat.join("Sam")
    with uow() as u:
        before = {n.id for n in u.outbox.list(chat.ws)}
    out = chat.conv.handle(Incoming(chat.ws, chat.ids[who], text=text, direct=direct,
                                    chat="dm" if direct else "C1"))
    assert "Added #1" in out.text and "overdue" in out.text  # the reply shows the problem
    names = {pid: name for name, pid in chat.ids.items()}
    with uow() as u:
        queued = [n for n in u.outbox.list(chat.ws) if n.id not in before and n.kind == "alert"]
    assert {(str(n.payload["rule"]), names[n.recipient_id]) for n in queued} == alerted

