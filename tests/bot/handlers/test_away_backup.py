"""'ooo next week' without a backup asks who covers; the next message answers it.

From the lead's console session (Dec 2026): "Jo" after "ooo next week" was "I did not
understand that."
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Chris as manager and Jo")
    return chat


@pytest.mark.parametrize("reply", ["Jo", "@jo", "jo", "Jo can cover", "backup Jo",
                                   "backup @jo", "Jo will cover for me", "it's Jo"])
def test_the_reply_names_the_backup(team, reply):
    asked = team.say("marcus", "ooo next week")
    assert "You're out of office from Mon 7 Dec" in asked.text
    assert "Who covers your work while you're away?" in asked.text
    assert [b.label for b in asked.buttons] == ["Chris", "Jo"]
    out = team.say("marcus", reply)
    assert out.text.startswith("Jo is your backup"), out.text
    assert "Jo is your backup" in team.say("marcus", "ooo next week").text  # no question now


def test_a_button_names_the_backup(team):
    team.say("marcus", "ooo next week")
    assert team.press("marcus", "Chris").text.startswith("Chris is your backup")


def test_an_unknown_name_offers_to_add_them_and_changes_nothing(team):
    team.say("marcus", "ooo next week")
    out = team.say("marcus", "Leo")
    assert "I don't know" in out.text and "Leo" in out.text
    assert "Who covers your work" in team.say("marcus", "ooo next week").text


def test_naming_yourself_is_refused(team):
    team.say("marcus", "ooo next week")
    assert "Your backup must be someone else" in team.say("marcus", "marcus").text


def test_a_backup_said_with_the_away_message_asks_nothing(team):
    out = team.say("marcus", "I'm away next week backup @jo")
    assert "Jo is your backup" in out.text and "Who covers" not in out.text
