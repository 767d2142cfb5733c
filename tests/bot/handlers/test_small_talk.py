"""'thanks', 'ok', 'cheers' in a DM get a short kind reply, never the help blurb; 'what did
I miss?' gets the person's standup; 'Close report 18:30' never marks anything done."""

from __future__ import annotations

import pytest

HELP_BLURB = "I did not understand that"


@pytest.mark.parametrize(("said", "reply"), [
    ("thanks", "You're welcome 🙂"),
    ("thank you!", "You're welcome 🙂"),
    ("Thanks a lot", "You're welcome 🙂"),
    ("cheers", "You're welcome 🙂"),
    ("ok", "👍"),
    ("OK.", "👍"),
    ("great", "👍"),
    ("got it", "👍"),
    ("👍", "👍"),
])
def test_thanks_and_ok_get_a_short_kind_reply(chat, said, reply):
    out = chat.say("marcus", said)
    assert out.text == reply
    assert HELP_BLURB not in out.text and "Create this task?" not in out.text


def test_ok_still_answers_a_yes_no_question(chat):
    chat.say("marcus", "add Call the bank")
    chat.say("marcus", "delete #1")
    assert "🗑 Deleted #1 Call the bank." in chat.say("marcus", "ok").text


@pytest.mark.parametrize("said", ["what did I miss?", "anything new?", "catch me up",
                                  "fill me in"])
def test_catch_me_up_is_the_standup(chat, said):
    assert chat.say("marcus", said).text.startswith("☀ Standup for Marcus")


@pytest.mark.parametrize(("said", "expected"), [
    ("Close report 18:30", "Added #2 Close report"),
    ("close report", "No task matches 'report'"),
    ("close #1 18:30", "#1 is due"),
])
def test_a_closing_verb_on_a_guess_marks_nothing_done(chat, said, expected):
    chat.say("marcus", "add Harlow accounts due friday")
    out = chat.say("marcus", said)
    assert expected in out.text
    assert "Done" not in out.sections[0].text
    assert "todo" in chat.say("marcus", "show #1").text
