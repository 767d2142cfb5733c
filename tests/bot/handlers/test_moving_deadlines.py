"""'VAT return due tomorrow' moves the open VAT return; it adds a task only when none is
called that. 'push #1 to Friday' when it is due then already says nothing changed."""

from __future__ import annotations

import pytest

NEW, MOVED = "new", "moved"


@pytest.mark.parametrize(("said", "expected"), [
    ("VAT return due tomorrow", MOVED),
    ("vat return due Friday", MOVED),
    ("the VAT return due tomorrow", MOVED),
    ("VAT return by Friday", MOVED),
    ("add VAT return due tomorrow", NEW),  # asked for new work: new work
    ("VAT return @jo due tomorrow", NEW),  # an owner makes it a new assignment
    ("VAT return filing due tomorrow", NEW),  # no task is called that
    ("payroll due tomorrow", NEW),
])
def test_a_title_and_a_date_move_the_task_of_that_name(chat, said, expected):
    chat.say("marcus", "invite Jo")
    chat.say("marcus", "add VAT return @marcus due next month")
    out = chat.say("marcus", said)
    if expected == MOVED:
        assert out.sections[0].text.startswith("#1 is due")
        assert "Moved the existing #1 rather than add a second “VAT return”" in out.text
        assert "Added" not in out.text
    else:
        assert "Added #2" in out.text or "Create this task?" in out.text
        assert "Moved the existing" not in out.text


def test_a_done_task_of_that_name_is_no_reason_to_move_anything(chat):
    chat.say("marcus", "add VAT return due Friday")
    chat.say("marcus", "done #1")
    assert "Added #2 VAT return" in chat.say("marcus", "VAT return due tomorrow").text


@pytest.mark.parametrize("said", ["push #1 to friday", "due #1 Friday", "move #1 to Friday"])
def test_a_deadline_it_already_has_changes_nothing_and_says_so(chat, said):
    chat.say("marcus", "add VAT return due Friday")
    out = chat.say("marcus", said)
    assert out.sections[0].text == "#1 is already due Fri 4 Dec 17:00 — nothing changed."


QUESTION = ("2 open tasks are called “VAT return” — which should be due Wed 2 Dec 17:00?\n"
            "1. #1 VAT return — Jo, due Fri 4 Dec 17:00\n"
            "2. #2 VAT return — no owner, due Mon 7 Dec 17:00")


def _two_vat_returns(chat):
    chat.say("marcus", "invite Jo")
    chat.say("marcus", "add VAT return @jo due Friday")
    chat.say("marcus", "add VAT return due next Monday")


def test_two_open_tasks_of_that_name_ask_which_and_add_none(chat):
    _two_vat_returns(chat)
    out = chat.say("marcus", "VAT return due tomorrow")
    assert out.sections[0].text == QUESTION
    assert [b.label for b in out.buttons] == ["#1 — Jo, due Fri 4 Dec 17:00",
                                              "#2 — no owner, due Mon 7 Dec 17:00"]
    assert "no task #3" in chat.say("marcus", "show #3").text


@pytest.mark.parametrize(("answer", "moved", "kept"), [
    ("1", 1, 2), ("2", 2, 1), ("#2", 2, 1), ("the first", 1, 2), ("tap 2", 2, 1),
])
def test_the_answer_to_which_moves_that_one_only(chat, answer, moved, kept):
    _two_vat_returns(chat)
    chat.say("marcus", "VAT return due tomorrow")
    out = (chat.press("marcus", f"#{moved}") if answer.startswith("tap")
           else chat.say("marcus", answer))
    assert out.sections[0].text == f"#{moved} is due Wed 2 Dec 17:00"
    assert "due Wed 2 Dec 17:00" not in chat.say("marcus", f"show #{kept}").text
    assert "Added" not in out.text


@pytest.mark.parametrize(("answer", "reply"), [
    ("cancel", "OK"),
    ("add VAT return due tomorrow", "Added #3 VAT return"),
])
def test_which_can_be_dropped_or_answered_with_a_new_task(chat, answer, reply):
    _two_vat_returns(chat)
    chat.say("marcus", "VAT return due tomorrow")
    assert reply in chat.say("marcus", answer).text
    assert "due Wed 2 Dec 17:00" not in chat.say("marcus", "show #1").text
    assert "due Wed 2 Dec 17:00" not in chat.say("marcus", "show #2").text
