"""Item 1 of #13: people are added in words, never as tasks, and never by a typo."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation


@pytest.mark.parametrize(
    ("said", "reply", "listed"),
    [
        ("invite Priya", "Added Priya (@priya)", ["Priya (@priya) — member"]),
        ("invite Priya Shah @pshah as manager reports to me",
         "Added Priya Shah (@pshah) as manager, reporting to you",
         ["Priya Shah (@pshah) — manager, reports to Marcus"]),
        ("add Priya to the team", "Added Priya (@priya)", ["Priya (@priya) — member"]),
        ("people add Sam", "Added Sam (@sam)", ["Sam (@sam) — member"]),
        ("Priya reports to me", "Added Priya (@priya), reporting to you",
         ["Priya (@priya) — member, reports to Marcus"]),
        ("invite Priya, Sam, Leo and Ana", "Added 4 people:\n• Priya (@priya)\n• Sam (@sam)",
         ["Leo (@leo) — member", "Ana (@ana) — member"]),
        # each option belongs to the person it follows ...
        ("invite Priya as manager, Sam, Leo and Aisha",
         "Added 4 people:\n• Priya (@priya) as manager\n• Sam (@sam)\n• Leo (@leo)\n• Aisha",
         ["Priya (@priya) — manager", "Sam (@sam) — member", "Aisha (@aisha) — member"]),
        ("invite Priya reports to me and Sam as manager", "• Priya (@priya), reporting to you",
         ["Priya (@priya) — member, reports to Marcus", "• Sam (@sam) — manager"]),
        # ... and options said once after every name are for all of them
        ("invite Sam and Leo as managers reporting to me",
         "• Sam (@sam) as manager, reporting to you\n• Leo (@leo) as manager, reporting to you",
         ["Sam (@sam) — manager, reports to Marcus", "Leo (@leo) — manager, reports to Marcus"]),
        # who the person is, said before their name, is not part of it (stop 27)
        ("add our new junior Ben as staff", "Added Ben (@ben)", ["Ben (@ben) — member"]),
        ("add the new intern, Priya, as staff", "Added Priya (@priya)",
         ["Priya (@priya) — member"]),
        ("please welcome our new hire Omar to the team", "Added Omar (@omar)",
         ["Omar (@omar) — member"]),
        ("invite our new bookkeeper Tom Reed as manager", "Added Tom Reed (@tom) as manager",
         ["Tom Reed (@tom) — manager"]),
        ("add a new assistant Leo as a team member", "Added Leo (@leo)", ["Leo (@leo) — member"]),
    ],
)
def test_invitations_in_commands_and_plain_words(chat, said, reply, listed):
    out = chat.say("marcus", said)
    assert reply in out.text
    people = chat.say("marcus", "people").text
    for line in listed:
        assert line in people
    assert "Marcus (@marcus) — admin" in people


def test_reporting_line_for_someone_already_on_the_team(chat):
    chat.say("marcus", "invite Priya and Sam")
    assert chat.say("marcus", "Sam reports to Priya").text == "Sam now reports to Priya."
    assert "Sam (@sam) — member, reports to Priya" in chat.say("marcus", "people").text


@pytest.mark.parametrize(
    ("said", "refusal"),
    [
        ("invite Priya as manager", "Only an admin can change roles"),
        ("invite", "I did not understand"),
    ],
)
def test_members_cannot_promote_and_bad_invitations_change_nothing(chat, said, refusal):
    chat.say("marcus", "invite Dana as manager")
    chat.join("Dana")
    out = chat.say("dana", said)
    assert refusal in out.text
    assert "Priya" not in chat.say("marcus", "people").text


def test_a_handle_that_is_taken_gets_the_next_free_one_or_a_clear_error(chat):
    chat.say("marcus", "invite Priya")
    assert "Added Priya Shah (@priyas)" in chat.say("marcus", "invite Priya Shah").text
    taken = chat.say("marcus", "invite Pia @priya")
    assert "already on the team" in taken.text and "Nothing was changed" in taken.text


def test_an_invited_person_is_the_same_person_when_they_first_write(chat):
    chat.say("marcus", "invite Priya")
    chat.say("marcus", "add Send the Acme filing @priya by Friday")
    chat.join("Priya", external="U2")
    assert "Send the Acme filing" in chat.say("priya", "tasks").text
    assert chat.say("marcus", "people").text.count("Priya") == 1


def test_add_with_a_team_members_name_as_the_whole_title_asks_first(chat):
    chat.say("marcus", "invite Priya")
    for text, words in (("add Priya", "Priya is on your team."),
                        ("add priya", "Priya is on your team."),
                        ("add Pirya", "“Pirya” is close to Priya, who is on your team.")):
        asked = chat.say("marcus", text)
        assert asked.text.startswith(words), asked.text
        assert "Did you mean a task called" in asked.text
        assert [b.label for b in asked.buttons] == [f"Create task “{text[4:].capitalize()}”",
                                                   "Priya's tasks"]
    assert "Your open tasks: nothing open" in chat.say("marcus", "tasks").text  # no task made
    known = chat.say("marcus", "add Priya")
    created = chat.press("marcus", "Create task", known)
    assert "Added #1 Priya" in created.text


@pytest.mark.parametrize("title", ["Payroll", "Invoices", "Payroll Beacon", "Floor", "VAT",
                                   "bill", "Sam invoices", "the new starter pack as staff",
                                   "our new junior accounts review as staff"])
def test_add_with_a_word_nobody_on_the_team_is_called_is_a_task(chat, title):
    chat.say("marcus", "invite Priya")
    out = chat.say("marcus", f"add {title}")
    assert out.text.startswith(f"Added #1 {title[0].upper() + title[1:]}"), out.text
    assert "person" not in out.text and "team" not in out.text


@pytest.mark.parametrize(("reply", "made"), [
    ("1", "task"), ("task", "task"), ("the task", "task"), ("a task please", "task"),
    ("make it a task", "task"), ("2", "person"), ("invite", "person"),
    ("invite them", "person"), ("person", "person"), ("Sam is a person", "person"),
    ("yes, invite him", "person"), ("the second one", "person"),
])
def test_add_with_a_name_nobody_has_asks_task_or_invite(chat, reply, made):
    asked = chat.say("marcus", "add Sam")
    assert asked.text.startswith("Add a task called “Sam”, or invite Sam to the team?")
    assert [b.label for b in asked.buttons] == ["Task “Sam”", "Invite Sam"]
    out = chat.say("marcus", reply)
    people = chat.say("marcus", "people").text
    tasks = chat.say("marcus", "tasks").text
    if made == "task":
        assert out.text.startswith("Added #1 Sam"), out.text
        assert "Sam (@sam)" not in people and "#1 Sam" in tasks
    else:
        assert out.text.startswith("Added Sam (@sam)"), out.text
        assert "Sam (@sam) — member" in people and "#1" not in tasks


@pytest.mark.parametrize("typed", ["add sam", "add Sam Lee", "add Bill", "add aisha"])
def test_a_given_name_as_typed_on_a_phone_asks_too(chat, typed):
    name = typed[4:][0].upper() + typed[5:]
    asked = chat.say("marcus", typed)
    assert asked.text.startswith(f"Add a task called “{name}”, or invite {name} to the team?")


_STILL = "I'm still waiting for your choice — reply task or invite. Or say cancel."
_EITHER = ("“yes” fits both — reply task for a task called “Sam”, or invite to add Sam to the "
           "team. Or say cancel.")


@pytest.mark.parametrize(("reply", "answer"), [("yes", _EITHER), ("not a task", _STILL),
                                               ("both", _STILL), ("sure thing", _STILL)])
def test_a_reply_that_picks_neither_asks_again_and_changes_nothing(chat, reply, answer):
    chat.say("marcus", "add Sam")
    out = chat.say("marcus", reply)
    assert out.text == answer
    assert chat.say("marcus", "invite").text.startswith("Added Sam (@sam)")  # still asked


@pytest.mark.parametrize("command", ["people", "tasks", "team", "help"])
def test_a_one_word_command_while_asked_is_the_command(chat, command):
    chat.say("marcus", "add Sam")
    out = chat.say("marcus", command)
    assert "Added" not in out.text, out.text
    assert "Sam (@sam)" not in chat.say("marcus", "people").text
    assert chat.press("marcus", "Invite", chat.say("marcus", "add Sam")).text.startswith(
        "Added Sam (@sam)")


@pytest.mark.parametrize(("press", "expected"), [("Task", "Added #1 Sam"),
                                                 ("Invite", "Added Sam (@sam)")])
def test_the_buttons_of_task_or_invite(chat, press, expected):
    chat.say("marcus", "add Sam")
    assert chat.press("marcus", press).text.startswith(expected)


def test_a_new_request_instead_of_an_answer_is_handled_as_usual(chat):
    chat.say("marcus", "add Sam")
    out = chat.say("marcus", "invite Sam as manager")
    assert out.text.startswith("Added Sam (@sam) as manager"), out.text
    assert "Added #1 Payroll run" in chat.say("marcus", "add Payroll run by Friday").text


def test_a_member_who_cannot_invite_is_asked_only_about_the_task(chat):
    chat.say("marcus", "invite Priya")
    chat.join("Priya", external="U2")
    asked = chat.say("priya", "add Omar")
    assert asked.text.startswith("Add a task called “Omar”? (If Omar is a person, a manager "
                                 "can invite them: invite Omar)")
    assert [b.label for b in asked.buttons] == ["Task “Omar”"]
    assert chat.say("priya", "yes").text.startswith("Added #1 Omar")


@pytest.mark.parametrize(("reply", "expected"), [("task", "Added #1 Pirya"),
                                                 ("2", "Priya's open tasks"),
                                                 ("priya's tasks", "Priya's open tasks")])
def test_a_near_name_question_takes_typed_answers(chat, reply, expected):
    chat.say("marcus", "invite Priya")
    chat.say("marcus", "add Pirya")
    assert chat.say("marcus", reply).text.startswith(expected)


def test_add_with_a_real_title_is_not_questioned(chat):
    assert "Added #1 Payroll run" in chat.say("marcus", "add Payroll run by Friday").text


def test_an_unknown_mention_offers_to_add_the_person(chat):
    chat.say("marcus", "add Send the Acme filing by Friday")
    out = chat.say("marcus", "assign #1 @zed")
    assert "I don't know @zed here yet. Add Zed to the team?" in out.text
    assert "Nothing was changed" in out.text
    chat.press("marcus", "Add Zed")
    assert "now belongs to Zed" in chat.say("marcus", "assign #1 @zed").text


def test_on_telegram_an_unknown_mention_sends_the_join_link(uow):
    from bot.clock import FixedClock
    from bot.messages import Incoming
    from tests.bot.handlers.conftest import NOW

    conv = Conversation(uow, FixedClock(NOW), join_links={"telegram": lambda ws: f"https://t.me/VigilBot?start=j{ws}"})
    ws, marcus = conv.onboard("telegram:1", "Chat", "telegram", "100", "Marcus", "marcus")
    conv.handle(Incoming(ws, marcus, text="add Send the Acme filing by Friday"))
    out = conv.handle(Incoming(ws, marcus, text="assign #1 @priya_s"))
    assert "I haven't met @priya_s yet" in out.text
    assert "https://t.me/VigilBot" in out.text
    assert [b.label for b in out.buttons] == ["Add Priya_s to the team"]


@pytest.mark.parametrize(
    ("said", "listed"),
    [
        # what a manager types when a new person starts: roles by their everyday names
        ("add Marcus2 as staff", None),  # not a name: stays a task (below)
        ("add Priya as staff", ["Priya (@priya) — member"]),
        ("add Priya as a staff member", ["Priya (@priya) — member"]),
        ("add Priya as a team member", ["Priya (@priya) — member"]),
        ("add Priya as our new employee reporting to me",
         ["Priya (@priya) — member, reports to Marcus"]),
        ("add Priya as a team lead", ["Priya (@priya) — manager"]),
        ("add Priya and Leo as supervisors", ["Priya (@priya) — manager", "Leo (@leo) — manager"]),
        ("add a new team member: Priya", ["Priya (@priya) — member"]),
        ("new hire: Priya", ["Priya (@priya) — member"]),
        ("new starter Priya Shah", ["Priya Shah (@priya) — member"]),
        ("add a new manager, Priya", ["Priya (@priya) — manager"]),
        ("Priya is joining the team", ["Priya (@priya) — member"]),
        ("Priya and Leo have joined us", ["Priya (@priya) — member", "Leo (@leo) — member"]),
        ("Priya has joined the team as a manager", ["Priya (@priya) — manager"]),
        ("we hired Priya", ["Priya (@priya) — member"]),
        ("we've just taken on Priya and Leo", ["Priya (@priya) — member", "Leo (@leo) — member"]),
        ("welcome Priya to the team", ["Priya (@priya) — member"]),
        ("add Priya to the staff", ["Priya (@priya) — member"]),
    ],
)
def test_people_added_in_the_words_managers_use(chat, said, listed):
    out = chat.say("marcus", said)
    people = chat.say("marcus", "people").text
    if listed is None:
        assert out.text.startswith("Added #1"), out.text
        assert "2 people" not in people
        return
    assert out.text.startswith("Added "), out.text
    assert "#1" not in out.text
    for line in listed:
        assert line in people
    assert "Your open tasks: nothing open" in chat.say("marcus", "tasks").text


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("add new staff handbook", "Added #1 New staff handbook"),
        ("add new user guide by Friday", "Added #1 New user guide"),
        ("new starter pack for Ana by Friday", "Added #1 Starter pack for Ana"),
        ("Acme is joining us for lunch on Friday", "Added #1"),
        ("Sam is joining the team call at 3pm", "Added #1"),
    ],
)
def test_the_same_words_before_a_thing_stay_a_task(chat, said, title):
    out = chat.say("marcus", said)
    assert out.text.startswith(title), out.text
    people = chat.say("marcus", "people").text
    assert people.count("(@") == 1 and "(@marcus) — admin" in people, people


def test_a_manager_adding_staff_twice_is_told_once(chat):
    chat.say("marcus", "add Priya as staff")
    out = chat.say("marcus", "Priya has joined the team")
    assert "Priya (@priya) is already on the team." in out.text


@pytest.mark.parametrize(("invited", "head"), [
    (None, "1 person:\n• Marcus (@marcus) — admin"),
    ("invite Priya", "2 people:\n• Marcus (@marcus) — admin"),
])
def test_the_people_list_counts_in_words(chat, invited, head):
    if invited:
        chat.say("marcus", invited)
    assert chat.say("marcus", "people").text.startswith(head)
