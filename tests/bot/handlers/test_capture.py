"""Uncertain readings get one tap (issue #12): capture without a verb, which date, scopes, typos."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.telegram.callbacks import MAX_CALLBACK_BYTES, encode_callback
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Action, Incoming, Outgoing

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tuesday 1 December


@pytest.fixture
def chat(uow):
    conv = Conversation(uow, FixedClock(NOW))
    ws, ana = conv.onboard("test:cap", "Cap", "test", "U1", "Ana", "ana", tz="Europe/London")
    _, omar = conv.onboard("test:cap", "Cap", "test", "U2", "Omar", "omar", tz="Europe/London")

    class Chat:
        ids = {"ana": ana, "omar": omar}

        def say(self, who: str, text: str, direct: bool = True) -> Outgoing:
            return conv.handle(Incoming(ws, self.ids[who], text=text, direct=direct))

        def press(self, who: str, out: Outgoing, label: str) -> Outgoing:
            button = next(b for b in out.buttons if b.label.startswith(label))
            return conv.handle(Incoming(ws, self.ids[who], action=Action(button.action,
                                                                         button.args)))

    return Chat()


def test_words_without_a_verb_or_date_are_confirmed_then_created_once(chat):
    out = chat.say("ana", "send the revised quote to Acme")
    assert out.text == ("Create this task?\n“Send the revised quote to Acme”\n"
                        "(Tap one, or reply yes or no.)")
    assert [b.label for b in out.buttons] == ["Create", "Cancel"]
    assert "No task matches" in chat.say("ana", "show revised quote").text  # nothing yet
    created = chat.press("ana", out, "Create")
    assert "Added #1 Send the revised quote to Acme" in created.text
    again = chat.press("ana", out, "Create")  # a second tap changes nothing
    assert "answered already" in again.text
    assert "There is no task #2" in chat.say("ana", "show #2").text


def test_cancel_creates_nothing_and_another_person_cannot_take_the_draft(chat):
    out = chat.say("ana", "call the Acme CFO")
    assert "answered already" in chat.press("omar", out, "Create").text
    assert "nothing was created" in chat.press("ana", out, "Cancel").text
    assert "No task matches" in chat.say("ana", "show Acme CFO").text


def test_a_dated_capture_is_created_at_once_and_outside_a_dm_nothing_is_captured(chat):
    out = chat.say("ana", "call the Acme CFO 11am Sunday")
    assert "Added #1 Call the Acme CFO" in out.text and "Sun 6 Dec 11:00" in out.text
    assert "did not understand" in chat.say("ana", "call the bank", direct=False).text


def test_a_date_just_past_is_overdue_and_a_far_one_asks_which(chat):
    chat.say("ana", "add Acme filing @ana by Friday")
    moved = chat.say("ana", "due #1 30 Nov")  # yesterday: not November next year
    assert "Mon 30 Nov" in moved.text
    ask = chat.say("ana", "due #1 15 Oct")
    assert ask.text == ("Which date did you mean for #1 Acme filing?\n"
                        "(Tap one, or reply with its number — or no.)")
    assert [b.label for b in ask.buttons] == ["Thu 15 Oct 2026 — past", "Fri 15 Oct 2027",
                                              "Cancel"]
    picked = chat.press("ana", ask, "Fri 15 Oct 2027")
    assert "Fri 15 Oct" in picked.text  # 15 Oct is a Friday in 2027, a Thursday in 2026
    shown = chat.say("ana", "show #1").text
    assert "due Fri 15 Oct 2027 17:00" in shown
    assert "due: Mon 30 Nov → Fri 15 Oct 2027" in shown  # the history says the year too


def test_overdue_and_this_week_questions_list_only_those(chat):
    chat.say("ana", "add Late thing @ana due 27 Nov")
    chat.say("ana", "add Soon thing @ana by Friday")
    chat.say("ana", "add Later thing @ana due 20 Dec")
    overdue = chat.say("ana", "what is overdue?")
    assert "overdue (1)" in overdue.text and "Late thing" in overdue.text
    assert "Soon thing" not in overdue.text
    week = chat.say("ana", "what's due this week?")
    assert "Soon thing" in week.text and "Late thing" in week.text
    assert "Later thing" not in week.text


def test_title_words_with_a_typo_find_the_task(chat):
    chat.say("ana", "add Q3 filing for Acme @ana by Friday")
    out = chat.say("ana", "the acme filng is 60% done")
    assert "#1 is now 60% done" in out.text


def test_capture_buttons_fit_telegram_with_large_ids():
    for args in ({"draft": 2**40}, {"draft": 2**40, "option": 1}):
        for action in ("capture.create", "capture.cancel", "capture.pick_date"):
            data = encode_callback(action, args, workspace_id=2**40)
            assert len(data.encode()) <= MAX_CALLBACK_BYTES


def test_numeric_dates_follow_the_workspace_setting(chat):
    chat.say("ana", "add Acme filing @ana by Friday")
    assert "Thu 3 Dec" in chat.say("ana", "due #1 3/12").text  # London: day first
    assert "is now MDY" in chat.say("ana", "settings language.date_order MDY").text
    assert "Fri 12 Mar" in chat.say("ana", "due #1 3/12").text
    refused = chat.say("ana", "settings language.date_order month-first")
    assert "must be one of auto, DMY, MDY, YMD" in refused.text
    assert "Nothing was changed" in chat.say("omar", "settings language.date_order DMY").text
    assert "Fri 12 Mar" in chat.say("ana", "due #1 3/12").text  # a member cannot change it
