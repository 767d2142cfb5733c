"""A question of Vigil's lets through a request that names a task in words, not only by #:
"snooze the insurance renewal till tomorrow 2pm" while "who covers for you?" is open."""

from __future__ import annotations

import pytest

AWAY_LEFT = "(I left your cover while you're away unset — say “Priya will cover for me”"


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Jo")
    chat.say("marcus", "add Insurance renewal @marcus due tomorrow")
    chat.say("marcus", "add Payroll run @jo due friday")
    return chat


@pytest.mark.parametrize(("reply", "answer"), [
    ("snooze the insurance renewal till tomorrow 2pm", "Insurance renewal"),
    ("snooze insurance renewal for 2 days", "Insurance renewal"),
    ("mute the alerts on the insurance renewal", "Insurance renewal"),
    ("take the payroll run", "#2"),
    ("cancel the payroll run: client left", "#2"),
])
def test_a_request_naming_a_task_in_words_moves_on_from_the_away_question(team, reply, answer):
    asked = team.say("marcus", "I'm off next week")
    assert "Who covers your work while you're away?" in asked.text
    out = team.say("marcus", reply)
    assert "I'm still waiting" not in out.text
    assert out.sections[0].text.startswith(AWAY_LEFT)
    assert answer in out.text


@pytest.mark.parametrize("reply", ["hmm, good question", "let me think about it"])
def test_words_that_name_no_task_still_get_the_question_again(team, reply):
    team.say("marcus", "I'm off next week")
    assert "I'm still waiting for a person" in team.say("marcus", reply).text
