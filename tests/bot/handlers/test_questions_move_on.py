"""A question of Vigil's never swallows a clear new request, and confirmations take yes/no.

Phrasings from the lead's console session (Dec 2026): the second recurring task was lost
behind the backup question; "yep go ahead" to "Delete #3 for good?" became a new task.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def team(chat):
    chat.say("marcus", "invite Chris as manager and Jo")
    return chat


def test_a_new_recurring_task_runs_past_the_backup_question(team):
    asked = team.say("marcus", "every monday 9am: payroll check @jo")
    assert "Who should be the backup for #1 Payroll check?" in asked.text
    out = team.say("marcus", "every weekday at 8: open the office @jo")
    assert "Added #2 Open the office" in out.text
    assert "every weekday at 08:00" in out.text.lower() or "08:00" in out.text
    assert out.sections[0].text == ("(I left the backup for #1 unset — say “backup #1 @name” "
                                    "any time.)")
    assert "I'm still waiting" not in out.text
    # the command the line names exists, and the new question is the one now open
    assert "Chris is now the backup for #1" in team.say("marcus", "backup #1 @chris").text
    assert "Chris is now the backup for #2" in team.say("marcus", "backup #2 chris").text


@pytest.mark.parametrize(("ask", "reply", "left"), [
    ("due #1", "add call the bank", "(I left #1's due date as it was — say “due #1 Friday”"),
    ("assign #1", "every friday at 5: timesheets", "(I left #1's owner as it was"),
    ("progress #1", "done #1", None),  # done #1 answers nothing but finishes the task
    ("block #1", "add chase Acme for receipts", "(I left #1 without a reason"),
    ("delete #1", "add chase Acme for receipts", "(I left #1 as it was — say “delete #1” again"),
])
def test_every_question_kind_lets_a_clear_command_through(team, ask, reply, left):
    team.say("marcus", "add Send the Acme filing @jo friday")
    team.say("marcus", ask)
    out = team.say("marcus", reply)
    assert "I'm still waiting" not in out.text
    assert "Create this task?" not in out.text
    if left:
        assert out.sections[0].text.startswith(left)


def test_a_which_question_keeps_its_buttons_after_a_new_command(team):
    team.say("marcus", "add Call the bank about the loan")
    team.say("marcus", "add Call the bank about fees")
    asked = team.say("marcus", "done call the bank")
    assert "which one?" in asked.text
    out = team.say("marcus", "add chase Acme for receipts")
    assert "Added #3 Chase Acme for receipts" in out.text
    assert "(I left" not in out.text  # a question about no task: its buttons just stay
    assert "✔ Done: #2" in team.press("marcus", "#2", asked).text


def test_a_non_answer_that_is_no_command_still_gets_the_question_again(team):
    team.say("marcus", "every monday 9am: payroll check @jo")
    assert "I'm still waiting for a person" in team.say("marcus", "hmm, good question").text


@pytest.mark.parametrize("reply", ["yes", "yep go ahead", "Yeah", "sure", "ok", "go ahead",
                                   "delete it", "do it", "yes please"])
def test_a_typed_yes_confirms_the_delete(team, reply):
    team.say("marcus", "add Call the bank")
    asked = team.say("marcus", "delete #1")
    assert "(Tap one, or reply yes or no.)" in asked.text
    out = team.say("marcus", reply)
    assert "🗑 Deleted #1 Call the bank." in out.text
    assert "Create this task?" not in out.text


@pytest.mark.parametrize("reply", ["no", "nope", "keep it", "don't", "no, keep it",
                                   "don't delete it"])
def test_a_typed_no_keeps_the_task(team, reply):
    team.say("marcus", "add Call the bank")
    team.say("marcus", "delete #1")
    out = team.say("marcus", reply)
    assert "#1 stays" in out.text
    assert "Call the bank" in team.say("marcus", "show #1").text


def test_a_mixed_reply_to_a_delete_is_asked_again(team):
    team.say("marcus", "add Call the bank")
    team.say("marcus", "delete #1")
    out = team.say("marcus", "yes no")
    assert "I'm still waiting for a yes or no about #1 Call the bank" in out.text
    assert "Call the bank" in team.say("marcus", "show #1").text
