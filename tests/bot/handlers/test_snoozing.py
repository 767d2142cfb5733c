"""Snoozing from chat: how long, in the words people use, and what "show" says after.

The clock: Tuesday 1 Dec 2026 09:30, London (working day 09:00–17:00). #1 belongs to
nobody and is due tomorrow, so "missing owner" fires on it.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def unowned(chat):
    chat.say("marcus", "add Unowned thing due tomorrow")  # #1: missing owner fires
    return chat


@pytest.mark.parametrize(("said", "until"), [
    ("snooze #1", "Wed 2 Dec 09:30"),
    ("snooze #1 for a day", "Wed 2 Dec 09:30"),
    ("snooze #1 for 2 days", "Thu 3 Dec 09:30"),
    ("snooze #1 3h", "Tue 1 Dec 12:30"),
    ("snooze #1 for an hour", "Tue 1 Dec 10:30"),
    ("snooze #1 for a week", "Tue 8 Dec 09:30"),
    ("snooze #1 until Monday", "Mon 7 Dec 09:00"),  # Monday's working day, not its end
    ("snooze #1 till tomorrow 2pm", "Wed 2 Dec 14:00"),
    ("mute alerts on #1 for 2 days", "Thu 3 Dec 09:30"),
    ("mute the reminders for #1", "Wed 2 Dec 09:30"),
    ("silence #1 until Friday", "Fri 4 Dec 09:00"),
    ("snooze unowned thing until Thursday", "Thu 3 Dec 09:00"),
    ("/task snooze #1 for 2 days", "Thu 3 Dec 09:30"),
])
def test_a_snooze_lasts_as_long_as_was_said(unowned, said, until):
    out = unowned.say("marcus", said)
    assert out.text.startswith(f"💤 Snoozed #1 Unowned thing (missing owner) until {until}"), \
        out.text


def test_snooze_it_means_the_task_just_talked_about(unowned):
    unowned.say("marcus", "show #1")
    assert unowned.say("marcus", "snooze it for 2 days").text.startswith(
        "💤 Snoozed #1 Unowned thing (missing owner) until Thu 3 Dec 09:30")


@pytest.mark.parametrize(("said", "error"), [
    ("snooze #1 for 200 days", "⚠ A snooze lasts at most 90 days. Nothing was changed."),
    ("snooze #1 until yesterday", "⚠ Snooze needs a time in the future. Nothing was changed."),
    ("snooze #1 until blue", "⚠ I could not read “blue” as a time. Nothing was changed."),
])
def test_a_snooze_that_cannot_be_changes_nothing(unowned, said, error):
    assert unowned.say("marcus", said).text == error
    assert "💤" not in unowned.say("marcus", "show #1").text


def test_show_says_a_problem_is_snoozed_and_until_when(unowned):
    unowned.say("marcus", "snooze #1 until Monday")
    shown = unowned.say("marcus", "show #1").text
    assert "missing owner (critical)" in shown or "missing owner (warning)" in shown
    assert "💤 snoozed until Mon 7 Dec 09:00" in shown


def test_mute_with_words_that_are_no_task_is_not_a_snooze(unowned):
    out = unowned.say("marcus", "mute the projector in room 2")
    assert "Snoozed" not in out.text and "No task matches" not in out.text


def test_snooze_never_makes_a_task_of_the_words(unowned):
    unowned.say("marcus", "snooze #1 until Monday")
    listed = unowned.say("marcus", "tasks").text
    assert "Snooze" not in listed
