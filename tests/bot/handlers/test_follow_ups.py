"""A verb without a task asks which one; "it" means the task just talked about.

Bare verbs are how people answer a reminder in a chat ("done", "snooze"); the
follow-ups ("when is it due?", "who owns it?", "mark it done") are the questions of
tests/bot/handlers/test_task_questions.py asked about the task in the last reply.
The clock: Tuesday 1 Dec 2026 09:30, London.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.repositories.topics import FRESH

SLACK, TELEGRAM = "C024BE91L", "5551234"


@pytest.fixture
def firm(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "add VAT return @marcus due Friday")  # #1
    chat.say("marcus", "add Bank rec @marcus due tomorrow")  # #2: sooner, so first
    chat.say("marcus", "add Filing for Sam @sam due tomorrow")  # #3: not Marcus's
    return chat


@pytest.mark.parametrize(("verb", "question", "reply", "expected"), [
    ("done", "Which task should I mark done?", "1", "✔ Done: #2 Bank rec"),
    ("done", "Which task should I mark done?", "vat", "✔ Done: #1 VAT return"),
    ("assign", "Which task should I assign?", "2", "Who should own #1 VAT return?"),
    ("block", "Which task should I mark blocked?", "1", "What is #2 Bank rec waiting for?"),
    ("delete", "Which task should I delete?", "#1", "Delete #1 VAT return for good?"),
    ("snooze", "Which task should I snooze?", "1", "has no problem to snooze"),
])
def test_a_bare_verb_asks_which_of_my_tasks(firm, verb, question, reply, expected):
    asked = firm.say("marcus", verb)
    assert asked.text.split("\n")[:3] == [question, "1. #2 Bank rec", "2. #1 VAT return"]
    assert [b.label for b in asked.buttons] == ["1. #2 Bank rec", "2. #1 VAT return"]
    assert expected in firm.say("marcus", reply).text


def test_a_bare_verb_button_does_the_same(firm):
    asked = firm.say("marcus", "done")
    assert "✔ Done: #1 VAT return" in firm.press("marcus", "2.", asked).text


def test_snooze_quiets_a_tasks_problems_for_a_day(firm):
    firm.say("marcus", "add Unowned thing due tomorrow")  # #4: missing owner fires
    out = firm.say("marcus", "snooze #4")
    assert out.text == ("💤 Snoozed #4 Unowned thing (missing owner) until Wed 2 Dec 09:30. "
                        "It stays open until fixed.")


def test_someone_with_nothing_open_is_told_how_to_name_a_task(firm):
    assert firm.say("priya", "done").text.startswith(
        "Which task should I mark done? You have no open tasks")


@pytest.mark.parametrize("where", [SLACK, TELEGRAM])
@pytest.mark.parametrize(("follow_up", "expected"), [
    ("when is it due?", "#1 VAT return is due Fri 4 Dec 17:00 — in 3 days."),
    ("who owns it?", "You own #1 VAT return (due Fri 4 Dec 17:00)."),
    ("mark it done", "✔ Done: #1 VAT return"),
    ("assign it to Sam", "#1 now belongs to Sam"),
    ("is it done?", "No — #1 VAT return is 0% done"),
    ("snooze it", "#1 VAT return has no problem to snooze"),
    ("show it", "#1 VAT return — @marcus"),
    ("delete it", "Delete #1 VAT return for good?"),
])
def test_it_means_the_task_of_the_last_reply(firm, where, follow_up, expected):
    firm.say("marcus", "who owns the VAT return?", chat=where)
    assert expected in firm.say("marcus", follow_up, chat=where).text


@pytest.mark.parametrize("first", ["show #1", "progress #1 40%", "when is the VAT return due?"])
def test_any_reply_about_a_task_makes_it_the_topic(firm, first):
    firm.say("marcus", first)
    assert firm.say("marcus", "who owns it?").text.startswith("You own #1 VAT return")


def test_a_button_press_makes_its_task_the_topic(firm):
    shown = firm.say("marcus", "show #2")
    firm.say("marcus", "show #1")
    firm.press("marcus", "25%", shown)  # #2's button
    assert firm.say("marcus", "when is it due?").text.startswith("#2 Bank rec is due")


def test_the_topic_is_per_chat_and_person_and_expires(firm):
    firm.say("marcus", "show #1", chat=SLACK)
    firm.say("marcus", "show #2", chat=TELEGRAM)
    assert firm.say("marcus", "when is it due?", chat=SLACK).text.startswith("#1 VAT return")
    assert firm.say("marcus", "when is it due?", chat=TELEGRAM).text.startswith("#2 Bank rec")
    assert "Which task do you mean?" in firm.say("sam", "when is it due?", chat=SLACK).text
    firm.clock.advance(FRESH + timedelta(minutes=1))
    # "it" has expired: Vigil asks which task, with the likely ones as buttons
    assert firm.say("marcus", "mark it done", chat=SLACK).text.startswith(
        "Which task should I mark done?\n1. #2 Bank rec")
    assert "· todo ·" in firm.say("marcus", "show #1", chat=SLACK).text  # nothing was done


def test_a_deleted_topic_is_forgotten(firm):
    firm.say("marcus", "delete #1")
    assert "🗑 Deleted #1 VAT return." in firm.say("marcus", "yes").text
    assert "Which task do you mean?" in firm.say("marcus", "when is it due?").text


def test_capital_it_is_a_title_word_not_the_topic(firm):
    firm.say("marcus", "add IT audit @marcus due Friday")  # #4
    firm.say("marcus", "show #1")
    assert firm.say("marcus", "show IT").text.startswith("#4 IT audit")
    assert firm.say("marcus", "show it").text.startswith("#4 IT audit")  # the last reply's
