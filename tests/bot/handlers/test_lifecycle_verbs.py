"""Item 5 of #13: cancel, reopen, delete, take, rename, projects, plain-words ooo, help."""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "add Send the Acme filing @priya by Friday")
    return chat


def test_cancel_with_a_reason_then_reopen(team):
    out = team.say("marcus", "cancel #1 client withdrew")
    assert out.text.startswith("✖ Cancelled #1 Send the Acme filing (client withdrew).")
    assert [b.label for b in out.buttons] == ["Reopen"]
    assert "nothing open" in team.say("priya", "tasks").text
    assert "already cancelled" in team.say("marcus", "cancel #1").text
    back = team.press("marcus", "Reopen", out)
    assert back.text.startswith("↺ Reopened #1 Send the Acme filing")
    assert "Your open tasks (1)" in team.say("priya", "tasks").text
    assert "still open" in team.say("marcus", "reopen #1").text


def test_reopening_done_work_starts_it_again(team):
    team.say("priya", "done #1")
    out = team.say("priya", "reopen #1")
    assert "progress is back to 0%" in out.text and "· 0% · todo" in out.text


def test_delete_asks_first_and_keeps_a_record(team, uow):
    asked = team.say("marcus", "delete #1")
    assert "Delete #1 Send the Acme filing for good?" in asked.text
    assert [b.label for b in asked.buttons] == ["Delete #1", "Keep it"]
    assert "Send the Acme filing" in team.say("priya", "tasks").text  # not yet
    gone = team.press("marcus", "Delete #1", asked)
    assert gone.text.startswith("🗑 Deleted #1 Send the Acme filing.")
    assert "There is no task #1 here" in team.say("marcus", "show #1").text
    with uow() as u:
        records = [a for a in u.activity.list(team.ws) if a.kind == "deleted"]
    assert len(records) == 1 and records[0].before["title"] == "Send the Acme filing"
    assert records[0].actor_id == team.ids["marcus"]


def test_deleting_a_task_with_problems_does_not_report_them_cleared_by_id(chat):
    chat.say("marcus", "add Payroll for December")  # no owner, no deadline: two problems
    gone = chat.press("marcus", "Delete #1", chat.say("marcus", "delete #1"))
    assert gone.text == "🗑 Deleted #1 Payroll for December."  # no "cleared: task 1" lines


def test_keep_it_changes_nothing(team):
    asked = team.say("marcus", "delete #1")
    assert "stays" in team.press("marcus", "Keep it", asked).text
    assert "Send the Acme filing" in team.say("priya", "tasks").text


def test_only_the_creator_or_an_admin_deletes(team):
    refused = team.say("priya", "delete #1")
    assert "Only whoever created #1 or an admin can delete it" in refused.text
    assert "Nothing was changed" in refused.text


def test_take_work_nobody_owns(team):
    team.say("marcus", "add Chase the bank")
    out = team.say("sam", "take #2")
    assert "#2 is yours now" in out.text and "no longer missing owner" in out.text
    assert "Only the owner or creator of #1" in team.say("sam", "take #1").text


def test_rename(team):
    out = team.say("priya", "rename #1 Send the Q4 Acme filing")
    assert "Renamed #1: “Send the Acme filing” → “Send the Q4 Acme filing”" in out.text


def test_projects_with_health(team):
    assert "No projects yet" in team.say("marcus", "projects").text
    team.say("marcus", "project add Acme @marcus due 31 Dec")
    team.say("marcus", "project add Bolt")
    team.say("marcus", "add Acme payroll @priya by yesterday #Acme")
    out = team.say("marcus", "projects").text
    assert "2 projects:" in out
    # "by yesterday" is a deadline already past: the task is overdue, the project red
    assert "🔴 Acme · @marcus · due Thu 31 Dec 17:00 · 1 open 🔴1" in out
    assert "🟠 Bolt · no manager · no deadline · nothing open — missing manager" in out


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I'm on holiday next week",
         "You're out of office from Mon 7 Dec through Fri 11 Dec (back Mon 14 Dec)"),
        ("I am off tomorrow", "out of office on Wed 2 Dec (back Thu 3 Dec)"),
        ("I'm away until Friday", "from now until Fri 4 Dec 17:00"),
        ("I'm on leave from 14 Dec to 18 Dec",
         "from Mon 14 Dec until Fri 18 Dec 17:00"),
        ("I'm on vacation next week backup @sam", "Sam is your backup"),
    ],
)
def test_out_of_office_in_plain_words(team, said, expected):
    out = team.say("priya", said)
    assert expected in out.text
    assert "away" in [line for line in team.say("marcus", "people").text.splitlines()
                      if line.startswith("• Priya")][0]


def test_back_in_the_office(team):
    team.say("priya", "I'm away until Friday")
    out = team.say("priya", "back in the office")
    assert "no longer out of office" in out.text
    assert "away" not in team.say("marcus", "people").text
    assert "weren't marked out of office" in team.say("priya", "I'm back").text


def test_the_command_form_still_works(team):
    assert "until Fri 4 Dec" in team.say("priya", "ooo until Friday backup @sam").text
    assert "no longer out of office" in team.say("priya", "ooo off").text


def test_help_lists_every_verb_with_an_example(team):
    text = team.say("marcus", "help").text
    for verb in ("add ", "every Monday", "progress #14", "done #14", "block #14", "unblock #14",
                 "assign #14", "take #14", "due #14", "note #14", "rename #14", "cancel #14",
                 "reopen #14", "delete #14", "tasks", "show #14", "standup", "board", "gantt",
                 "team", "projects", "invite Priya", "people", "role @sam", "reports @sam",
                 "project add", "ooo until", "ooo off", "holiday", "settings", "/as Priya"):
        assert verb in text, verb
