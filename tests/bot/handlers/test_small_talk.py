"""'thanks', 'ok', 'cheers' in a DM get a short kind reply, never the help blurb; 'hi' a
two-line hello, not the help list; 'what did
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
    # stop 27: "bye" got the help blurb
    ("bye", "👋 Bye — I'll keep an eye on the work meanwhile."),
    ("Good night!", "👋 Bye — I'll keep an eye on the work meanwhile."),
    ("see you, Vigil", "👋 Bye — I'll keep an eye on the work meanwhile."),
    ("have a good weekend", "👋 Bye — I'll keep an eye on the work meanwhile."),
])
def test_thanks_and_ok_get_a_short_kind_reply(chat, said, reply):
    out = chat.say("marcus", said)
    assert out.text == reply
    assert HELP_BLURB not in out.text and "Create this task?" not in out.text


GREETING = ("Hi Marcus 👋 I keep track of your team's work and chase what slips.\n"
            "Try \"ask Priya to send the Acme filing by Friday\" or \"what's on my plate?\" "
            "— help lists the rest.")


@pytest.mark.parametrize(("said", "chat_id"), [
    ("hi", "dm"), ("Hi!", "dm"), ("hello", "dm"), ("hey vigil", "dm"), ("Hey Vigil!", "dm"),
    ("hiya", "dm"), ("good morning", "dm"), ("Good morning 👋", "dm"), ("hi there 👋", "dm"),
    ("hello, Vigil", "dm"), ("morning all", "dm"), ("hi", "C1"),
])
def test_a_greeting_gets_a_short_hello_not_the_help_list(chat, said, chat_id):
    out = chat.say("marcus", said, chat=chat_id)
    assert out.text == GREETING
    assert out.buttons == ()


def test_the_greetings_example_does_what_it_says(chat):
    """The first thing a new manager may type is the hello's own example: it must give the
    work to Priya (stop 27: "send the Acme filing to Priya by Friday" made an ownerless task)."""
    chat.say("marcus", "invite Priya")
    example = GREETING.split('"')[1]
    out = chat.say("marcus", example)
    assert out.text.startswith("Added #1 Send the Acme filing"), out.text
    assert "@priya" in out.text and "missing owner" not in out.text


@pytest.mark.parametrize(("said", "starts"), [
    ("help", "Here is what I understand"),
    ("Hey Vigil, what's on my plate today?", "Your open tasks"),
    ("hi, add call the bank tomorrow", "Added #1 Call the bank"),
    ("hello kitty plush for Maya", "Create this task?"),
])
def test_a_greeting_with_a_request_is_the_request(chat, said, starts):
    assert chat.say("marcus", said).text.startswith(starts)


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


@pytest.mark.parametrize("said", [
    "I can't make the Harlow meeting tomorrow",
    "I won't be able to finish the Acme filing by Friday",
    "I didn't get the bank statements",
    "I'll miss the standup tomorrow",
])
def test_what_the_writer_cannot_do_is_news_not_a_task(chat, said):
    out = chat.say("marcus", said)
    assert out.text.startswith("Noted — that is news, not a task, so I made none."), out.text
    assert "move #14 to Monday" in out.text
    assert "nothing open" in chat.say("marcus", "tasks").text
