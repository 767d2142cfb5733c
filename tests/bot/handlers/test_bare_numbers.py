"""People write a task's number without '#': 'assign 1 to Priya', 'done 2', 'move 1 to friday'."""

from __future__ import annotations

import pytest


@pytest.fixture
def two_tasks(chat):
    chat.say("marcus", "invite Priya")
    chat.say("marcus", "add payroll run for December due friday")
    chat.say("marcus", "add Q1 budget review due monday")
    return chat


@pytest.mark.parametrize(("text", "expected"), [
    ("assign 1 to Priya", "Payroll run for December"),
    ("show 2", "Q1 budget review"),
    ("done 2", "Q1 budget review"),
    ("progress 1 50%", "Payroll run for December"),
])
def test_a_bare_number_is_the_task_with_that_number(two_tasks, text, expected):
    out = two_tasks.say("marcus", text)
    assert expected in out.text
    assert "No task matches" not in out.text


def test_assign_by_bare_number_really_changes_the_owner(two_tasks):
    two_tasks.say("marcus", "assign 1 to Priya")
    assert "@priya" in two_tasks.say("marcus", "show #1").text.split("\n")[0]


def test_a_number_that_is_no_task_says_so_and_changes_nothing(two_tasks):
    out = two_tasks.say("marcus", "done 7")
    assert out.text.startswith("⚠ There is no task #7 here.")
    assert "done" not in two_tasks.say("marcus", "show #1").text.split("\n")[0]


def test_a_number_that_is_no_task_still_finds_a_title_holding_it(chat):
    chat.say("marcus", "add Close 2026 books due friday")
    assert "Close 2026 books" in chat.say("marcus", "show 2026").text


def test_a_task_without_a_deadline_reads_no_deadline_not_due_no_deadline(chat):
    out = chat.say("marcus", "add Payroll checklist")
    assert "· no deadline" in out.text
    assert "due no deadline" not in out.text + chat.say("marcus", "standup").text


@pytest.mark.parametrize("text", ["I am stuck on the bank rec", "stuck on the bank rec"])
def test_stuck_on_a_task_named_by_its_title_asks_what_it_waits_for(chat, text):
    chat.say("marcus", "add bank rec for Bolt due friday @me")
    out = chat.say("marcus", text)
    assert out.text.startswith("What is #1 Bank rec for Bolt waiting for?")
    answered = chat.say("marcus", "statements from the client")
    assert answered.text.startswith("#1 is blocked: statements from the client")
    assert "Unblock" in [b.label for b in answered.buttons]


def test_stuck_on_something_that_is_no_task_still_asks_which_task(chat):
    chat.say("marcus", "add bank rec for Bolt due friday @me")
    out = chat.say("marcus", "I'm blocked on the weather")
    assert "Which task should I mark blocked?\n1. #1 Bank rec for Bolt" in out.text
    assert "blocked" not in chat.say("marcus", "show #1").text.split("\n")[0]


def test_a_far_deadline_says_its_year_a_near_one_does_not(chat):
    chat.say("marcus", "add Renew the office lease due 1 dec 2027 @me")
    out = chat.say("marcus", "show #1")
    assert "due Wed 1 Dec 2027 17:00" in out.text
    chat.say("marcus", "due #1 friday")
    assert "due Fri 4 Dec 17:00" in chat.say("marcus", "show #1").text
