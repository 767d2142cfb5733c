"""Marking done on a guess asks first ("close report" for "Monthly report", a typo'd
title); a number, the whole title or words after a plain 'done' mark done at once."""

from __future__ import annotations

import pytest

ASK = "Mark #1 Monthly report done?"


@pytest.mark.parametrize(("said", "asks"), [
    ("close report", True),  # "close" may be the noun: "Close report" is a task title too
    ("please close report", True),
    ("close the report", True),
    ("finished the monthly reprot", True),  # a close spelling, not the title's words
    ("done montly report", True),
    ("close #1", False),
    ("done 1", False),
    ("close the monthly report", False),  # the whole title
    ("close Monthly report", False),
    ("done report", False),  # a plain completion verb and words the title holds
    ("finished the monthly report", False),
])
def test_a_guessed_completion_asks_first(chat, said, asks):
    chat.say("marcus", "add Monthly report due friday")
    out = chat.say("marcus", said)
    if asks:
        assert out.sections[0].text.startswith(ASK)
        assert [b.label for b in out.buttons] == ["Mark #1 done", "Keep it open"]
        assert "todo" in chat.say("marcus", "show #1").text
    else:
        assert out.sections[0].text == "✔ Done: #1 Monthly report"


@pytest.mark.parametrize(("answer", "done"), [
    ("yes", True), ("done", True), ("mark it done", True), ("tap Mark", True),
    ("no", False), ("keep it open", False), ("tap Keep", False),
])
def test_the_answer_to_mark_done_is_accepted(chat, answer, done):
    chat.say("marcus", "add Monthly report due friday")
    chat.say("marcus", "close report")
    out = (chat.press("marcus", answer.removeprefix("tap ")) if answer.startswith("tap ")
           else chat.say("marcus", answer))
    if done:
        assert out.sections[0].text == "✔ Done: #1 Monthly report"
    else:
        assert out.text == "OK, #1 stays. Nothing was changed."
        assert "todo" in chat.say("marcus", "show #1").text


@pytest.mark.parametrize(("said", "hint"), [
    ("close report", "(For a new task called “Close report”, say “add Close report”.)"),
    ("done montly report", None),  # "done" is never a title's first word: no such hint
])
def test_close_says_how_to_make_the_task_it_may_have_meant(chat, said, hint):
    chat.say("marcus", "add Monthly report due friday")
    text = chat.say("marcus", said).sections[0].text
    assert (text.splitlines()[1] if hint else len(text.splitlines())) == (hint or 1)


def test_the_new_task_said_instead_is_made_and_nothing_is_done(chat):
    chat.say("marcus", "add Monthly report due friday")
    chat.say("marcus", "close report")
    assert "Added #2 Close report" in chat.say("marcus", "add Close report").text
    assert "todo" in chat.say("marcus", "show #1").text


@pytest.mark.parametrize("again", ["done #1", "close #1", "finished #1"])
def test_done_twice_says_it_is_already_done_and_changes_nothing(chat, again):
    chat.say("marcus", "add Monthly report @marcus by Friday")
    assert chat.say("marcus", "done #1").text.startswith("✔ Done: #1 Monthly report")
    out = chat.say("marcus", again)
    assert out.text == ("#1 Monthly report is already done — nothing changed. "
                        "To open it again: reopen #1")
    assert "done" in chat.say("marcus", "show #1").text
