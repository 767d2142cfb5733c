"""'undo' puts back the speaker's last change to the task this chat is about (stop 26).

Typed as Sam in the demo: "undo" after a slip answered "I did not understand that".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handlers.undo import is_undo

NOTHING = "There is nothing of yours to undo here"


def _task(chat, text: str = "add Beacon payroll set-up @marcus by Friday") -> None:
    out = chat.say("marcus", text)
    assert out.text.startswith("Added #"), out.text


@pytest.mark.parametrize(("said", "expected"), [
    ("undo", True), ("Undo!", True), ("undo that", True), ("oops, undo", True),
    ("oops undo that please", True), ("revert that", True), ("take it back", True),
    ("undo the last change", True), ("sorry, undo", True),
    ("undo done #3", False), ("undo the payroll", False), ("undone", False),
])
def test_what_reads_as_undo(said, expected):
    assert is_undo(said) is expected


@pytest.mark.parametrize(("change", "undone", "card"), [
    ("#1 is 60% done", "↩ Undone: #1 is 0%, todo again.", "0% · todo"),
    ("due #1 next Monday", "↩ Undone: #1 is due Fri 4 Dec 17:00 again.", "due Fri 4 Dec 17:00"),
    ("done #1", "↩ Undone: #1 is todo again.", "todo"),
    ("rename #1 Beacon payroll", "↩ Undone: #1 is called “Beacon payroll set-up” again.",
     "#1 Beacon payroll set-up"),
])
def test_the_last_change_is_put_back(chat, change, undone, card):
    _task(chat)
    chat.say("marcus", change)
    out = chat.say("marcus", "undo")
    assert out.text.startswith(undone), out.text
    assert card in out.text
    assert card in chat.say("marcus", "show #1").text


def test_a_task_just_added_is_removed_and_undo_again_puts_a_change_back(chat):
    chat.say("marcus", "add Call the Beacon CFO @marcus at 4pm")
    out = chat.say("marcus", "oops, undo that")
    assert out.text == "↩ Undone: #1 Call the Beacon CFO is removed."
    assert "nothing open" in chat.say("marcus", "tasks").text
    _task(chat, "add Beacon payroll set-up @marcus by Friday")  # number 2 now
    chat.say("marcus", "#2 is 60% done")
    assert "#2 is 0%, todo again." in chat.say("marcus", "undo").text
    assert "#2 is 60%, in progress again." in chat.say("marcus", "undo").text
    assert "60% · in progress" in chat.say("marcus", "show #2").text


def test_undoing_an_unblock_blocks_again_with_its_reason(chat):
    _task(chat)
    chat.say("marcus", "block #1 waiting for the client's bank details")
    chat.say("marcus", "unblock #1")
    out = chat.say("marcus", "undo")
    assert out.text.startswith("↩ Undone: #1 is blocked again."), out.text
    assert "waiting for the client's bank details" in chat.say("marcus", "show #1").text


def test_a_change_someone_made_since_is_never_undone(chat):
    chat.say("marcus", "invite Priya")
    chat.join("Priya")
    _task(chat, "add Beacon payroll set-up @priya by Friday")
    chat.say("marcus", "#1 is 60% done")
    assert "80% done" in chat.say("priya", "#1 is 80% done").text
    out = chat.say("marcus", "undo")
    assert out.text == "⚠ Priya changed #1 after you, so I left it as it is. Nothing was changed."
    assert "80%" in chat.say("marcus", "show #1").text


def test_nothing_to_undo_changes_nothing(chat):
    assert chat.say("marcus", "undo").text.startswith(NOTHING)
    _task(chat)
    chat.say("marcus", "#1 is 60% done")
    chat.clock.advance(timedelta(minutes=16))  # an old change is not what "undo" means
    assert chat.say("marcus", "undo").text.startswith(NOTHING)
    assert "60%" in chat.say("marcus", "show #1").text
    # another chat has its own topic: the DM's change is not undone from a channel
    chat.say("marcus", "#1 is 70% done")
    assert chat.say("marcus", "undo", chat="C1").text.startswith(NOTHING)
    assert "70%" in chat.say("marcus", "show #1").text
