"""Words people type in chat that Vigil misread (stop 23), end to end with a FixedClock.

One table or test per weak spot: "Alex: draft the Q3 letter", "take out the trash",
"how's the payroll run going?", "I'm working on it", "I'm working on the budget deck",
"yes" to a task-or-person question, "now say it again". Now is Tuesday 1 Dec 2026 09:30
in London (tests/bot/handlers/conftest.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Alex, Sam and Priya")
    return chat


def _board(team) -> str:
    return team.say("marcus", "tasks all").text


# 1. "Name: do X" addressed to a teammate is that teammate's task
@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("Alex: draft the Q3 letter", "#1 Draft the Q3 letter — @alex · 0% · todo · no deadline"),
        ("Alex: draft three hero copy options by Friday",
         "#1 Draft three hero copy options — @alex · 0% · todo · due Fri 4 Dec 17:00"),
        ("@sam: chase the Henderson invoices tomorrow", "#1 Chase the Henderson invoices — @sam"),
    ],
)
def test_a_name_and_a_colon_gives_the_work_to_that_person(team, said, line):
    assert line in team.say("marcus", said).text


def test_a_request_after_the_colon_is_asked_first_and_chatter_is_no_task(team):
    out = team.say("marcus", "Sam: can you look at the deck?")
    assert "Create this task?\n“Look at the deck” · @sam" in out.text
    assert "Added" not in team.say("marcus", "Sam: thanks!").text
    assert "#1" not in _board(team)


def test_a_name_nobody_has_asks_to_invite(team):
    out = team.say("marcus", "Olga: file the VAT return by Friday")
    assert out.text.startswith("Olga isn't on the team yet. Invite Olga and give them this task?")


# 2. "take" claims a task only when the words name one; otherwise the sentence is new work
@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("take out the recycling friday", "Added #2 Take out the recycling"),
        ("Take out the trash", "Create this task?\n“Take out the trash”"),
        ("take the payroll run", "#1 is yours now"),
        ("take #1", "#1 is yours now"),
    ],
)
def test_take_claims_named_work_and_otherwise_adds_it(team, said, reply):
    team.say("marcus", "add payroll run by Friday")
    assert reply in team.say("marcus", said).text


def test_take_of_a_number_nobody_has_still_says_so(team):
    assert "There is no task #9 here" in team.say("marcus", "take #9").text


# 3. how is it going: one line, not the whole card
@pytest.mark.parametrize(
    "said", ["how's the payroll run going?", "status of payroll run", "what's the status of #1",
             "where are we on the payroll run?", "any update on the payroll run",
             "payroll run status"])
def test_how_is_it_going_answers_in_one_line(team, said):
    team.say("marcus", "add payroll run by Friday @sam")
    team.say("marcus", "progress #1 40%")
    out = team.say("marcus", said)
    assert out.text == ("#1 Payroll run: 40% done (in progress) · Sam owns it · due Fri 4 Dec "
                        "17:00 — in 3 days.")
    assert [b.label for b in out.buttons][-1] == "Details"
    assert "History" in team.press("marcus", "Details").text


def test_how_is_blocked_work_going_says_why(team):
    team.say("marcus", "add payroll run by Friday")
    team.say("marcus", "block #1 waiting for the bank statements")
    out = team.say("marcus", "how's the payroll run going?")
    assert out.text == ("#1 Payroll run is blocked at 0%: waiting for the bank statements · "
                        "nobody owns it · due Fri 4 Dec 17:00 — in 3 days.")
    team.say("marcus", "done #1")
    assert team.say("marcus", "status of the payroll run").text.startswith(
        "#1 Payroll run is done")


def test_details_and_numbers_still_show_the_card(team):
    team.say("marcus", "add payroll run by Friday")
    for said in ("tell me about the payroll run", "#1", "show #1"):
        assert "History:" in team.say("marcus", said).text


# 4. "I'm working on it": the task talked about last, or which one?
def test_working_on_it_means_the_task_just_talked_about(team):
    team.say("marcus", "add payroll run by Friday")
    team.say("marcus", "add VAT return by Friday")
    team.say("marcus", "how's the payroll run going?")
    out = team.say("marcus", "I'm working on it")
    assert out.text.startswith("#1 is now 10% done")
    assert "#3" not in _board(team)


def test_working_on_it_without_a_topic_asks_which(team):
    team.say("marcus", "add payroll run by Friday @marcus")
    team.clock.advance(__import__("datetime").timedelta(hours=2))  # the topic is forgotten
    out = team.say("marcus", "I'm working on it")
    assert out.text.startswith("Which task should I update?\n1. #1 Payroll run")
    assert "#1 is now 10% done" in team.say("marcus", "1").text
    assert "#2" not in _board(team)


# 5. "I'm working on the budget deck", no such task: create it?
@pytest.mark.parametrize("said", ["I'm working on the budget deck", "I've started the budget deck",
                                  "Today, I'm working on the budget deck"])
def test_working_on_unknown_work_offers_to_create_it(team, said):
    out = team.say("marcus", said)
    assert out.text.startswith("No open task is called “budget deck” yet.\nCreate this task?\n"
                               "“Budget deck” · @marcus")
    assert [b.label for b in out.buttons] == ["Create", "Cancel"]
    added = team.say("marcus", "yes").text
    assert "Added #1 Budget deck" in added
    assert "#1 Budget deck — @marcus · 10% · in progress" in added  # under way already


# 6. "yes" to "a task called “Sam”, or invite Sam?" names the two answers
def test_yes_to_task_or_person_names_the_two_answers(chat):
    asked = chat.say("marcus", "add Sam")
    assert asked.text.startswith("Add a task called “Sam”, or invite Sam to the team?")
    out = chat.say("marcus", "yes")
    assert out.text == ("“yes” fits both — reply task for a task called “Sam”, or invite to add "
                        "Sam to the team. Or say cancel.")
    assert out.text != asked.text
    assert "Added Sam (@sam)" in chat.say("marcus", "invite").text


def test_no_to_task_or_person_drops_it(chat):
    chat.say("marcus", "add Sam")
    assert chat.say("marcus", "no").text == "OK, nothing was created or changed."
    assert "#1" not in chat.say("marcus", "tasks all").text


# 7. "now say it again" redoes the sentence that waited on someone
@pytest.mark.parametrize("again", ["Now say it again", "try again", "do it now", "again"])
def test_after_adding_the_person_again_redoes_the_sentence(team, again):
    team.say("marcus", "Olga will file the VAT return by Friday")
    assert "Added Olga (@olga)" in team.say("marcus", "add Olga as a member").text
    out = team.say("marcus", again)
    assert out.text.startswith("Again: Olga will file the VAT return by Friday\n"
                               "Added #1 File the VAT return")
    assert "#1 File the VAT return — @olga" in out.text


def test_again_after_a_typed_yes_to_add_someone(team):
    team.say("marcus", "add payroll run by Friday")
    team.say("marcus", "assign #1 to lee")
    assert "Now say it again: assign #1 to lee" in team.say("marcus", "yes").text
    out = team.say("marcus", "now say it again")
    assert "#1 now belongs to Lee" in out.text or "#1 is Lee's now" in out.text, out.text


def test_again_with_nothing_waiting_says_what_to_do(team):
    out = team.say("marcus", "try again")
    assert out.text.startswith("There is nothing waiting for me to try again.")
    assert "Try again" not in _board(team)


# the held-out batch of stop 23, as a person types it in a chat
def test_a_standup_blocker_asks_which_task_and_keeps_the_reason(team):
    team.say("marcus", "add payroll run by Friday @marcus")
    out = team.say("marcus", "Blocker: waiting on API docs from backend")
    assert out.text.startswith("Which task should I mark blocked?\n1. #1 Payroll run")
    done = team.say("marcus", "1")
    assert "#1 is blocked: API docs from backend" in done.text


def test_a_request_to_a_teammate_is_shown_for_them(team):
    out = team.say("marcus", "@alex can you confirm by EOD?")
    assert out.text.startswith("Create this task?\n“Confirm” · due Tue 1 Dec 17:00 · @alex")
    assert "#1 Confirm — @alex" in team.say("marcus", "yes").text


@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("/newtask Monthly report !high @sam 15/04", "#1 Monthly report — @sam · p1 · 0% · todo · "
                                                     "due Thu 15 Apr 17:00"),
        ("/rem Close report 18:30", "#1 Close report — @marcus · 0% · todo · due Tue 1 Dec 18:30"),
        ("Can someone with infra access take a look this afternoon?",
         "Create this task?\n“Take a look” · due Tue 1 Dec 12:00"),
    ],
)
def test_telegram_task_bot_habits(team, said, line):
    assert line in team.say("marcus", said).text


def test_claim_and_bare_numbers(team):
    for title in ("a", "b", "c", "d", "e"):
        team.say("marcus", f"add {title} by Friday")
    assert "#5 is yours now" in team.say("marcus", "/claim 5").text
    assert "#5 is due" in team.say("marcus", "/due 5 25/04").text
    assert "Done: #5" in team.say("marcus", "/done 5").text


def test_a_standup_start_of_unknown_work_offers_it(team):
    out = team.say("marcus", "starting checkout flow")
    assert out.text.startswith("No open task is called “checkout flow” yet.")


# said of work that moved, or promised by a date (the brief's examples, not held out)
@pytest.mark.parametrize("said", ["the payroll run got pushed to next week",
                                  "payroll run has been moved to Monday",
                                  "I'll have the payroll run done by Monday",
                                  "I'll get the payroll run finished by next week"])
def test_moved_or_promised_work_gets_its_new_deadline(team, said):
    team.say("marcus", "add payroll run by Friday")
    assert team.say("marcus", said).text.startswith("#1 is due Mon 7 Dec 17:00")
    assert "#2" not in _board(team)


def test_a_promise_about_work_nobody_added_adds_it_for_the_speaker(team):
    out = team.say("marcus", "I'll have the budget deck done by Friday")
    assert "#1 Budget deck — @marcus · 0% · todo · due Fri 4 Dec 17:00" in out.text


def test_a_promise_about_it_without_a_topic_asks_which_task(team):
    out = team.say("marcus", "I'll have it done by Friday")
    # no open tasks to offer (the buttons and the pick: tests/bot/handlers/test_pick_keeps_date.py)
    assert out.text.startswith("Which task should I make due Fri 4 Dec 17:00? You have no open "
                               "tasks — name it by its number")
