"""Stop 22, end to end through the conversation (the console's core) with a FixedClock.

One test or table per item of the brief: people added in words, past deadlines,
who will do it, someone new or away or covering, progress in words, typos.
Now is Tuesday 1 Dec 2026 09:30 in London (tests/bot/handlers/conftest.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Priya as manager, Sam and Jo")
    return chat


def _tasks(team) -> str:
    return team.say("marcus", "tasks all").text + team.say("marcus", "board").text


# 1. "add Priya as a member" invites; it never creates a task "Priya as a member"
@pytest.mark.parametrize(
    ("said", "reply", "listed"),
    [
        ("add Lee as a member", "Added Lee (@lee)", "Lee (@lee) — member"),
        ("add Lee as manager", "Added Lee (@lee) as manager", "Lee (@lee) — manager"),
        ("add Lee and Ola as managers", "• Ola (@ola) as manager", "Ola (@ola) — manager"),
        ("add Lee to the team as a member", "Added Lee (@lee)", "Lee (@lee) — member"),
    ],
)
def test_add_someone_as_a_role_invites_them(team, said, reply, listed):
    out = team.say("marcus", said)
    assert reply in out.text and "#" not in out.text
    assert listed in team.say("marcus", "people").text


def test_add_someone_already_on_the_team_as_a_member_changes_nothing(team):
    out = team.say("marcus", "add Priya as a member")
    assert "Priya (@priya) is already on the team. Nothing was changed." in out.text


# 2. a past deadline is kept, and the reply says the task is already overdue
@pytest.mark.parametrize(
    ("said", "headline"),
    [
        ("add bank rec due yesterday", "Added #1 Bank rec — due Mon 30 Nov 17:00, so it is "
                                       "already overdue"),
        ("add bank rec due last Friday", "Added #1 Bank rec — due Fri 27 Nov 17:00, so it is "
                                         "already overdue"),
        ("add bank rec due 1 Dec", "Added #1 Bank rec"),
        ("add bank rec by EOD", "Added #1 Bank rec"),
    ],
)
def test_deadlines_in_add_even_past_ones(team, said, headline):
    out = team.say("marcus", said)
    assert out.text.startswith(headline)
    if "overdue" in headline:
        assert "overdue —" in out.text  # the rule's own line with its fix buttons
    else:
        assert "already overdue" not in out.text
    assert "due " in team.say("marcus", "show #1").text


# 3. who will do it
@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("Sam will chase the Henderson invoices by next tuesday",
         "#1 Chase the Henderson invoices — @sam · 0% · todo · due Tue 8 Dec 17:00"),
        ("Sam is doing the bank rec by Friday", "#1 Bank rec — @sam · 0% · todo · due Fri 4 Dec"),
        ("Sam needs to chase the invoices by Friday", "#1 Chase the invoices — @sam"),
        ("Sam to chase the invoices by Friday", "#1 Chase the invoices — @sam"),
        ("I will send the pack by Friday", "#1 Send the pack — @marcus"),
        ("I'll send the pack by Friday", "#1 Send the pack — @marcus"),
        ("Sam will handle the client deck", "#1 Client deck — @sam"),  # no such task: new
    ],
)
def test_the_person_named_first_owns_the_task(team, said, line):
    out = team.say("marcus", said)
    assert line in out.text


def test_said_in_passing_is_shown_first_then_created_for_them(team):
    out = team.say("marcus", "can Sam do the board pack by Friday?")
    assert "Create this task?\n“Board pack” · due Fri 4 Dec 17:00 · @sam" in out.text
    assert "#1 Board pack — @sam" in team.press("marcus", "Create").text


@pytest.mark.parametrize("said", ["Sam will handle the client deck",
                                  "Sam is doing the client deck this week",
                                  "Sam is working on the client deck"])
def test_handing_over_existing_work_assigns_it(team, said):
    team.say("marcus", "add client deck by Friday")
    out = team.say("marcus", said)
    assert "#1 now belongs to Sam" in out.text
    assert "#2" not in team.say("marcus", "board").text


# 4. someone not on the team, someone away, someone covering
def test_an_unknown_owner_is_invited_with_the_task(team):
    out = team.say("marcus", "Marcus is doing payroll this week")  # Marcus is the admin here
    assert "#1 Payroll — @marcus" in out.text
    out = team.say("marcus", "Olga is doing the bank rec this week")
    assert out.text.startswith("Olga isn't on the team yet. Invite Olga and give them this "
                               "task?\n“Bank rec” · due Fri 4 Dec 17:00")
    assert [b.label for b in out.buttons] == ["Invite Olga and give it to them",
                                              "Create it without an owner"]
    done = team.press("marcus", "Invite Olga")
    assert done.text.startswith("Added Olga (@olga)\nAdded #2 Bank rec")
    assert "#2 Bank rec — @olga" in done.text
    assert "Olga (@olga) — member" in team.say("marcus", "people").text


def test_an_unknown_owner_can_be_left_out_by_a_typed_answer(team):
    team.say("marcus", "Olga will file the VAT return by Friday")
    out = team.say("marcus", "without owner")
    assert "Added #1 File the VAT return" in out.text
    assert "Nobody owns it yet, because Olga isn't on the team" in out.text
    assert "Olga" not in team.say("marcus", "people").text


def test_a_member_who_cannot_invite_is_offered_the_task_without_owner(team):
    team.join("Sam")
    out = team.say("sam", "Olga will file the VAT return by Friday")
    assert "only a manager can invite people" in out.text
    assert [b.label for b in out.buttons] == ["Create it without an owner"]


@pytest.mark.parametrize(
    ("said", "first_person"),
    [
        ("Jo is off Friday", "“I'm off Friday”"),
        ("Jo's on holiday next week", "“I'm on holiday next week”"),
        ("Jo will be out of office tomorrow", "“I'll be out of office tomorrow”"),
        ("Jo is away", "“I'm away Friday”"),
        ("Jo off Friday", "“I'm off Friday”"),
    ],
)
def test_someone_away_is_never_a_task(team, said, first_person):
    out = team.say("marcus", said)
    assert "I haven't made that a task. Only Jo can mark themselves away" in out.text
    assert first_person in out.text and "Nothing was changed." in out.text
    assert "#1" not in _tasks(team)


@pytest.mark.parametrize("said", ["Jo will cover for me",
                                  "Jo is covering for me while I'm away",
                                  "Jo is my backup"])
def test_someone_covering_becomes_the_writers_backup(team, said):
    out = team.say("marcus", said)
    assert out.text.startswith("Jo is your backup: they cover your work while you're away.")
    assert "#1" not in _tasks(team)
    team.say("marcus", "I'm off tomorrow")
    assert "Jo is your backup" in team.say("marcus", "I'm off tomorrow").text


# 5. progress in words; 6. typos in task names
@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("I'm at 50% on VAT return", "#1 is now 50% done"),
        ("three quarters of the way through the VAT return", "#1 is now 75% done"),
        ("halfway through the VAT return", "#1 is now 50% done"),
        ("done about half of the VAT return", "#1 is now 50% done"),
        ("VAT return 50%", "#1 is now 50% done"),
        ("VAT return is almost finished", "#1 is now 90% done"),
        ("started the VAT return", "#1 is now 10% done"),
        ("yaer-end pack is 50% done", "#2 is now 50% done"),
    ],
)
def test_progress_in_words_and_typos(team, said, reply):
    team.say("marcus", "add VAT return by Friday")
    team.say("marcus", "add Year-end pack by Friday")
    out = team.say("marcus", said)
    assert out.text.startswith(reply)
    assert "Done:" not in out.text


def test_two_close_titles_ask_which_one(team):
    team.say("marcus", "add Year-end pack by Friday")
    team.say("marcus", "add Year-end back up by Friday")
    out = team.say("marcus", "yaer-end pack is 50% done")
    assert "#1 is now 50% done" in out.text  # "pack" is clear: "back" is another word
    out = team.say("marcus", "yaer-end is 60% done")
    assert "matches several tasks — which one?" in out.text


@pytest.mark.parametrize(("said", "reply"),
                         [("VAT return is in progress", "#1 is already 60% done, so I left it"),
                          ("started the VAT return", "#1 is already 60% done, so I left it"),
                          ("VAT return 40%", "#1 is now 40% done")])
def test_progress_in_words_never_takes_back_progress(team, said, reply):
    team.say("marcus", "add VAT return by Friday")
    team.say("marcus", "VAT return 60%")
    assert team.say("marcus", said).text.startswith(reply)
    kept = "40%" if "40%" in said else "60%"
    assert f"#1 VAT return — no owner · {kept} · in progress" in team.say("marcus", "show #1").text
