"""Every question Vigil asks accepts a typed answer, not only its buttons.

One chat is one conversation: each case runs in a Slack-like DM channel id and
a Telegram-like group chat id. Yes/no wordings are those people type to prompts
(gnuradio/pybombs#182 "yes" not only "y", yaoyuannnn/gerritlab#78 "yes"/"no" to
"Proceed?", thephpleague/climate#126 y/n/yes/no, codeforsanjose/BadgeHub#4
"more forgiving"), plus the chat forms "yep", "sure", "nope", "never mind".
"""

from __future__ import annotations

import pytest

SLACK, TELEGRAM = "D024BE91L", "-1001234567890"
CHATS = pytest.mark.parametrize("where", [SLACK, TELEGRAM])


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Priya and Sam")
    return chat


@CHATS
@pytest.mark.parametrize("reply", ["yes", "y", "yep", "sure", "ok", "create it", "yes please",
                                   "go ahead", "1"])
def test_create_this_task_takes_a_typed_yes(team, where, reply):
    asked = team.say("marcus", "call the Acme CFO", chat=where)
    assert asked.text.startswith("Create this task?")
    assert "Added #1 Call the Acme CFO" in team.say("marcus", reply, chat=where).text
    assert "#1 Call the Acme CFO" in team.say("marcus", "show #1", chat=where).text


@CHATS
@pytest.mark.parametrize(("reply", "said"), [
    ("no", "nothing was created"), ("nope", "nothing was created"),
    ("no thanks", "nothing was created"), ("n", "nothing was created"),
    ("cancel", "I dropped my question"), ("never mind", "I dropped my question"),
])
def test_create_this_task_takes_a_typed_no(team, where, reply, said):
    team.say("marcus", "call the Acme CFO", chat=where)
    assert said in team.say("marcus", reply, chat=where).text
    assert "There is no task #1" in team.say("marcus", "show #1", chat=where).text


def test_a_draft_is_an_offer_the_next_request_moves_on_and_its_buttons_still_work(team):
    first = team.say("marcus", "call the Acme CFO")
    second = team.say("marcus", "book the van")  # another capture, not "still waiting"
    assert second.text.startswith("Create this task?\n“Book the van”")
    assert "Added #1 Call the Acme CFO" in team.press("marcus", "Create", first).text
    assert "Added #2 Book the van" in team.say("marcus", "yes").text


def test_a_tapped_draft_is_no_longer_answered_by_typing(team):
    asked = team.say("marcus", "call the Acme CFO")
    team.press("marcus", "Create", asked)
    assert "Added" not in team.say("marcus", "yes").text


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("2", "Fri 15 Oct"), ("15 Oct 2027", "Fri 15 Oct"), ("1", "Thu 15 Oct"),
    ("no", "nothing was created or changed"),
])
def test_which_date_did_you_mean_takes_a_number_a_date_or_no(team, where, reply, expected):
    team.say("marcus", "add Acme filing @marcus by Friday", chat=where)
    asked = team.say("marcus", "due #1 15 Oct", chat=where)
    assert asked.text.startswith("Which date did you mean for #1 Acme filing?")
    assert expected in team.say("marcus", reply, chat=where).text


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("yes", "Added #1 Pirya"), ("yep", "Added #1 Pirya"), ("task", "Added #1 Pirya"),
    ("no", "nothing was created"), ("nope", "nothing was created"),
    ("2", "Priya's open tasks"),
])
def test_close_to_a_teammate_takes_yes_or_no(team, where, reply, expected):
    asked = team.say("marcus", "add Pirya", chat=where)
    assert "“Pirya” is close to Priya" in asked.text
    assert expected in team.say("marcus", reply, chat=where).text


@pytest.mark.parametrize(("reply", "expected"), [("yes", "Added #1 Leo"),
                                                 ("no", "nothing was created")])
def test_a_member_asked_about_a_name_takes_yes_or_no(team, reply, expected):
    team.join("Sam")
    assert "Add a task called “Leo”?" in team.say("sam", "add Leo").text
    assert expected in team.say("sam", reply).text


@CHATS
@pytest.mark.parametrize("reason", ["waiting on the client", "waiting for Sam",
                                    "bank statements from the client", "the auditor"])
def test_what_is_it_waiting_for_takes_the_reason(team, where, reason):
    team.say("marcus", "add Bank rec @marcus", chat=where)
    assert "What is #1 Bank rec waiting for?" in team.say("marcus", "block #1", chat=where).text
    assert f"#1 is blocked: {reason}" in team.say("marcus", reason, chat=where).text


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [("2", "#2"), ("bolt", "#2"), ("#1", "#1"),
                                                 ("the first", "#1")])
def test_which_task_takes_a_number_or_a_name(team, where, reply, expected):
    team.say("marcus", "add Bank rec Acme @marcus", chat=where)
    team.say("marcus", "add Bank rec Bolt @marcus", chat=where)
    asked = team.say("marcus", "done bank rec", chat=where)
    assert "matches several tasks — which one?" in asked.text
    assert f"✔ Done: {expected}" in team.say("marcus", reply, chat=where).text


def test_a_which_question_from_any_command_is_stored(team):
    team.say("marcus", "add Bank rec Acme @marcus")
    team.say("marcus", "add Bank rec Bolt @marcus")
    asked = team.say("marcus", "show bank rec")
    assert "(Tap one, or reply with its number in this list.)" in asked.text
    assert team.say("marcus", "2").text.startswith("#2 Bank rec Bolt")


@CHATS
@pytest.mark.parametrize(("reply", "deleted"), [
    ("yes", True), ("yep", True), ("sure", True), ("ok", True), ("delete it", True),
    ("no", False), ("nope", False), ("keep it", False), ("no thanks", False),
    ("don't delete it", False),
])
def test_delete_confirmation_takes_yes_or_no(team, where, reply, deleted):
    team.say("marcus", "add Old filing @marcus", chat=where)
    assert "Delete #1 Old filing for good?" in team.say("marcus", "delete #1", chat=where).text
    out = team.say("marcus", reply, chat=where).text
    assert ("🗑 Deleted #1 Old filing." in out) is deleted
    assert ("There is no task #1" in team.say("marcus", "show #1", chat=where).text) is deleted


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("Friday", "#1 is due Fri 4 Dec 17:00"), ("28 Dec", "#1 is due Mon 28 Dec 17:00"),
    ("no", "I dropped my question"), ("never mind", "I dropped my question"),
])
def test_pick_a_date_takes_a_date_or_no(team, where, reply, expected):
    team.say("marcus", "add Acme filing @marcus", chat=where)
    assert "When should #1 Acme filing be done?" in team.say("marcus", "due #1", chat=where).text
    assert expected in team.say("marcus", reply, chat=where).text


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("Sam", "#1 now belongs to Sam"), ("@sam", "#1 now belongs to Sam"),
    ("2", "#1 now belongs to Sam"), ("me", "#1 now belongs to Marcus"),
    ("nope", "I dropped my question"),
])
def test_assign_to_whom_takes_a_name_or_a_number(team, where, reply, expected):
    team.say("marcus", "add Acme filing @priya", chat=where)
    asked = team.say("marcus", "assign #1", chat=where)
    assert [b.label for b in asked.buttons][:2] == ["Marcus", "Sam"]
    out = team.say("marcus", reply, chat=where).text
    assert expected in out or (reply == "me" and "#1 now belongs to you" in out) or \
        (reply == "me" and "#1 is yours" in out)


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("Sam", "Sam is your backup"), ("2", "Sam is your backup"),
    ("Sam can cover", "Sam is your backup"), ("no", "I dropped my question"),
])
def test_who_covers_while_away_takes_a_name(team, where, reply, expected):
    asked = team.say("marcus", "I'm off tomorrow", chat=where)
    assert "Who covers your work while you're away?" in asked.text
    assert [b.label for b in asked.buttons][:2] == ["Priya", "Sam"]
    assert expected in team.say("marcus", reply, chat=where).text


@CHATS
@pytest.mark.parametrize(("reply", "added"), [("yes", True), ("yep", True),
                                              ("add them", True), ("no", False)])
def test_add_an_unknown_name_to_the_team_takes_yes_or_no(team, where, reply, added):
    team.say("marcus", "add Acme filing", chat=where)
    asked = team.say("marcus", "assign #1 to @leo", chat=where)
    assert "Add Leo to the team?" in asked.text
    out = team.say("marcus", reply, chat=where).text
    assert ("Leo (@leo)" in out) is added
    assert ("Now say it again: assign #1 to @leo" in out) is added
    assert ("Leo" in team.say("marcus", "people", chat=where).text) is added


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [("60%", "#1 is now 60% done"),
                                                 ("2", "#1 is now 50% done"),
                                                 ("nah", "I dropped my question")])
def test_how_far_takes_a_percentage_or_a_number(team, where, reply, expected):
    team.say("marcus", "add Acme filing @marcus", chat=where)
    team.say("marcus", "progress #1", chat=where)
    assert expected in team.say("marcus", reply, chat=where).text


def test_an_answer_in_another_chat_does_not_answer(team):
    team.say("marcus", "call the Acme CFO", chat=SLACK)
    assert "Added" not in team.say("marcus", "yes", chat=TELEGRAM).text
    assert "Added #1 Call the Acme CFO" in team.say("marcus", "yes", chat=SLACK).text


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [("2", "#1 is due Mon 7 Dec 17:00"),  # +3 days
                                                 ("Thursday", "#1 is due Thu 3 Dec 17:00"),
                                                 ("nope", "I dropped my question")])
def test_move_the_deadline_takes_a_button_place_or_a_date(team, where, reply, expected):
    team.say("marcus", "add Acme filing @marcus due tomorrow", chat=where)
    asked = team.act("marcus", "task.extend", chat=where, task=1)
    assert asked.text.startswith("Move the deadline of #1 by…")
    assert [b.label for b in asked.buttons] == ["+1 day", "+3 days", "+1 week"]
    assert expected in team.say("marcus", reply, chat=where).text


@pytest.mark.parametrize(("reply", "added"), [("yes", True), ("sure", True), ("nope", False)])
def test_add_an_unknown_name_from_a_reporting_line_takes_yes_or_no(team, reply, added):
    asked = team.say("marcus", "@leo reports to me")
    assert asked.text == "I don't know @leo yet. Add Leo to the team?"
    out = team.say("marcus", reply).text
    assert ("Leo (@leo)" in out) is added


@CHATS
@pytest.mark.parametrize(("reply", "expected"), [
    ("the client's login does not work", "Noted on #1"),
    ("no", "I dropped my question"), ("cancel", "I dropped my question"),
])
def test_ask_for_help_takes_the_note_or_no(team, where, reply, expected):
    team.say("marcus", "add Acme filing @marcus due Friday", chat=where)
    asked = team.act("marcus", "task.help", chat=where, task=1)
    assert asked.text.startswith("What do you need help with?")
    assert expected in team.say("marcus", reply, chat=where).text
