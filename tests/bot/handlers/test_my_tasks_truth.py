"""Item 3 of #13: My Tasks, the standup and the Home never say 🎉 while something needs you."""

from __future__ import annotations

from datetime import timedelta

import pytest


def test_ownerless_tasks_you_created_are_waiting_for_an_owner(chat):
    chat.say("marcus", "add Send the Acme filing by Friday")
    chat.say("marcus", "add Chase the bank by Thursday")
    out = chat.say("marcus", "tasks")
    assert "nothing open" not in out.text
    assert "Your open tasks: none." in out.text
    assert "Waiting for an owner (2) — you created these and nobody owns them yet:" in out.text
    assert "#2 Chase the bank" in out.text and "#1 Send the Acme filing" in out.text
    assert "missing owner" in out.text
    assert {b.label for b in out.buttons} == {"Assign…", "Take it"}
    standup = chat.say("marcus", "standup").text
    assert "Waiting for an owner (you created these):" in standup and "🎉" not in standup


def test_a_manager_sees_what_needs_them(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "Priya reports to me")
    chat.say("marcus", "project add Acme @marcus")
    chat.say("marcus", "add VAT return @priya by tomorrow 10am")
    chat.say("marcus", "add Acme payroll @sam by tomorrow 10am #Acme")
    chat.say("marcus", "add Sam's own thing @sam by tomorrow 10am")
    chat.clock.advance(timedelta(days=2))
    from bot.jobs import tick_all

    tick_all(chat.conv.uow_factory, chat.clock)
    out = chat.say("marcus", "tasks").text
    assert "Needs you (2) — problems in your projects and your team's work:" in out
    assert "#1 VAT return · @priya" in out and "#2 Acme payroll · @sam" in out
    assert "Sam's own thing" not in out  # neither his project nor his report
    assert "overdue" in out
    standup = chat.say("marcus", "standup").text
    assert "Needs you:" in standup and "#1 VAT return" in standup


def test_nothing_open_only_when_nothing_concerns_you(chat):
    chat.say("marcus", "invite Priya")
    chat.join("Priya")
    out = chat.say("priya", "tasks")
    assert out.text == ("Your open tasks: nothing open, nothing waiting for an owner, "
                        "nothing that needs you. 🎉")
    assert "🎉" in chat.say("priya", "standup").text


def test_blocked_work_is_shown_blocked_with_unblock(chat):
    chat.say("marcus", "add Send the Acme filing @marcus by Friday p1")
    chat.say("marcus", "block #1 waiting for bank statements")
    out = chat.say("marcus", "tasks")
    line = next(s for s in out.sections if "#1" in s.text)
    assert line.text.startswith("⛔ #1 Send the Acme filing · p1 · 0% · blocked: waiting for "
                                "bank statements")
    assert "🟢" not in line.text
    assert [b.label for b in line.buttons] == ["Open", "Unblock"]
    shown = chat.say("marcus", "show #1")
    assert "Unblock" in [b.label for b in shown.buttons]
    assert "Blocked" not in [b.label for b in shown.buttons]
    assert "— @marcus · p1 · 0% · blocked" in shown.text
    unblocked = chat.press("marcus", "Unblock", out)
    assert "#1 is moving again" in unblocked.text


def test_the_home_screen_tells_the_same_truth(chat):
    chat.say("marcus", "add Send the Acme filing by Friday")
    home = chat.conv.home(chat.ws, chat.ids["marcus"])
    assert "Waiting for an owner (1)" in home.text and "🎉" not in home.text


def _morning_with_problems(chat):
    """Marcus made an ownerless task due at 10:00; Sam (his report) owns one due at 11:00."""
    from bot.jobs import tick_all

    chat.say("marcus", "invite Sam and Priya")
    chat.say("marcus", "Sam reports to me")
    chat.say("marcus", "add Chase the Acme VAT return by today 10am")
    chat.say("marcus", "add Beacon payroll run @sam by today 11am")
    chat.say("marcus", "add Harlow bank reconciliation @marcus by Friday")
    chat.say("marcus", "add Block me @sam by Thursday")
    chat.say("marcus", "block #4 waiting for the client")
    chat.clock.advance(timedelta(hours=3))  # Tue 12:30: #1 and #2 are overdue
    tick_all(chat.conv.uow_factory, chat.clock)


@pytest.mark.parametrize(
    ("who", "question", "present", "absent"),
    [
        ("marcus", "what is overdue?",
         ["Your open tasks that are overdue: none.",
          "Waiting for an owner (1, overdue)", "#1 Chase the Acme VAT return",
          "Needs you (1, overdue)", "#2 Beacon payroll run · @sam"],
         ["🎉", "Harlow", "Block me"]),
        ("marcus", "what's due today?",
         ["Waiting for an owner (1, due today or overdue)", "Needs you (1, due today or overdue)"],
         ["🎉", "Harlow"]),
        ("marcus", "what's due this week",
         ["Your open tasks due this week (or overdue) (1)", "#3 Harlow bank reconciliation",
          "Waiting for an owner (1, due this week or overdue)", "#2 Beacon payroll run"],
         ["🎉"]),
        ("marcus", "what is due next week?", ["Nothing due next week that concerns you."],
         ["🎉", "#1", "#2"]),
        ("sam", "what is overdue?", ["Your open tasks that are overdue (1)", "#2 Beacon payroll"],
         ["Chase the Acme", "Needs you"]),
        ("sam", "what is blocked?", ["#4 Block me", "blocked: waiting for the client"],
         ["#2 Beacon"]),
        ("marcus", "what is blocked?",  # Sam's blocked work needs his manager
         ["Your open tasks that are blocked: none.", "Needs you (1, blocked)",
          "⛔ #4 Block me · @sam · 0% · blocked: waiting for the client"], ["#1", "#2", "🎉"]),
        ("sam", "tasks", ["Your open tasks (2): 🔴1 ⛔1", "⛔ #4 Block me"], ["🟢"]),
        ("priya", "what is overdue?", ["Nothing overdue that concerns you."], ["🎉"]),
        ("priya", "what is blocked?", ["Nothing blocked that concerns you."], ["🎉"]),
    ],
)
def test_scoped_questions_show_every_section_that_concerns_you(chat, who, question, present,
                                                               absent):
    _morning_with_problems(chat)
    if who != "marcus":
        chat.join(who.capitalize())
    text = chat.say(who, question).text
    for words in present:
        assert words in text, text
    for words in absent:
        assert words not in text, text


def test_the_standup_shows_blocked_team_work_as_blocked(chat):
    _morning_with_problems(chat)
    standup = chat.say("marcus", "standup").text
    assert "Needs you:" in standup and "#4 Block me" in standup and "⛔ blocked" in standup
    assert "Sam: 🔴1 🟠0 ⛔1 🟢0" in standup
    # Work waiting for an owner says what is wrong with it, as My Tasks does.
    assert "• #1 Chase the Acme VAT return · 0% · due Tue 1 Dec 10:00 — 🔴 " in standup
