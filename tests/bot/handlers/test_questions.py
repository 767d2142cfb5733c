"""Item 4 of #13: Vigil's own questions are answered by the next message in that chat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.conversation import Conversation


@pytest.fixture
def filing(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "add Send the Acme filing @priya")
    return chat


def _pick_date(chat, who="priya", chat_id="dm"):
    shown = chat.say(who, "show #1", chat=chat_id)
    return chat.press(who, "Pick date", shown, chat=chat_id)


def test_pick_date_is_answered_by_a_plain_date(filing):
    asked = _pick_date(filing)
    assert "When should #1 Send the Acme filing be done?" in asked.text
    assert asked.picker is not None and asked.picker.kind == "date"
    out = filing.say("priya", "28 Dec")
    assert "#1 is due Mon 28 Dec 17:00" in out.text
    assert "no longer missing deadline" in out.text
    again = filing.say("priya", "29 Dec")  # answered: the question is gone
    assert "due" not in again.text.lower() or "I did not understand" in again.text


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("next Monday 3pm", "#1 is due Mon 7 Dec 15:00"),
        ("Friday", "#1 is due Fri 4 Dec 17:00"),
        ("blorp", "I'm still waiting for a date about #1 Send the Acme filing"),
    ],
)
def test_date_answers(filing, reply, expected):
    _pick_date(filing)
    assert expected in filing.say("priya", reply).text


def test_cancel_drops_the_question_and_changes_nothing(filing):
    _pick_date(filing)
    out = filing.say("priya", "cancel")
    assert out.text == ("OK, I dropped my question about #1 Send the Acme filing. "
                        "Nothing was changed.")
    assert "I did not understand" in filing.say("priya", "28 Dec").text
    assert "no deadline" in filing.say("priya", "show #1").text


def test_questions_expire(filing):
    _pick_date(filing)
    filing.clock.advance(timedelta(hours=9))
    assert "I did not understand" in filing.say("priya", "28 Dec").text


def test_a_question_waits_in_its_own_chat_and_for_its_own_person(filing):
    _pick_date(filing, chat_id="C1")
    assert "I did not understand" in filing.say("priya", "28 Dec", chat="C2").text
    assert "I did not understand" in filing.say("sam", "28 Dec", chat="C1").text
    assert "#1 is due Mon 28 Dec" in filing.say("priya", "28 Dec", chat="C1").text


def test_the_question_is_kept_in_the_database_across_restarts(filing, uow):
    _pick_date(filing)
    restarted = Conversation(uow, filing.clock)
    from bot.messages import Incoming

    out = restarted.handle(Incoming(filing.ws, filing.ids["priya"], text="28 Dec", chat="dm"))
    assert "#1 is due Mon 28 Dec 17:00" in out.text


def test_a_new_command_is_handled_and_drops_a_text_question(filing):
    _pick_date(filing)
    assert "Your open tasks (1)" in filing.say("priya", "tasks").text
    assert "I did not understand" in filing.say("priya", "28 Dec").text


def test_reassign_asks_who_and_a_name_answers(filing):
    shown = filing.say("marcus", "assign #1")
    assert "Who should own #1 Send the Acme filing?" in shown.text
    assert [b.label for b in shown.buttons] == ["Priya", "Sam"][: len(shown.buttons)] or \
        "Sam" in [b.label for b in shown.buttons]
    assert shown.picker is not None and shown.picker.kind == "person"
    assert "#1 now belongs to Sam" in filing.say("marcus", "Sam").text


def test_a_person_question_offers_to_add_an_unknown_name(filing):
    filing.say("marcus", "assign #1")
    out = filing.say("marcus", "Leo")
    assert "I don't know @Leo here yet" in out.text or "I don't know @leo" in out.text.lower()
    assert "Add Leo to the team" in [b.label for b in out.buttons]
    filing.press("marcus", "Add Leo")
    assert "#1 now belongs to Leo" in filing.say("marcus", "Leo").text  # still waiting


def test_block_button_asks_why_and_the_reply_is_the_reason(filing):
    shown = filing.say("priya", "show #1")
    asked = filing.press("priya", "Blocked", shown)
    assert "What is #1 Send the Acme filing waiting for?" in asked.text
    out = filing.say("priya", "bank statements from the client")
    assert "#1 is blocked: bank statements from the client" in out.text


def test_progress_question_takes_a_percentage(filing):
    asked = filing.say("priya", "progress #1")
    assert "How far is #1" in asked.text
    assert "#1 is now 60% done" in filing.say("priya", "60%").text


def test_buttons_of_an_answered_question_have_expired(filing):
    asked = filing.say("priya", "progress #1")
    filing.say("priya", "60%")
    pressed = filing.press("priya", "25%", asked)
    assert "That question has expired" in pressed.text
    assert "60%" in filing.say("priya", "show #1").text


def test_someone_else_cannot_press_my_question(filing):
    asked = filing.say("priya", "progress #1")
    assert "for someone else" in filing.press("sam", "25%", asked).text
