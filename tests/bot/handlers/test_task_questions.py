"""Questions about one task get a short, direct answer; "what should I do first?" one task.

Phrasings: how people ask a colleague or a bot about work — "who is working on that
bug?", "who is on that feature?" (rambli.com, "Who is doing what?"), "when can I expect
to see this item?", "are you still on track for this report?" (ridiculouslyefficient.com,
"10 ways to ask for an overdue item"), "will you be done by the date?", "what percentage
of the task is complete?" (netplaces.com, project execution), "is everything on track?"
(zel.biz, asking about progress), and "figuring out what to work on next" (docs.heygaia.io,
"Can an AI prioritize my tasks?"). The clock: Tuesday 1 Dec 2026 09:30, London.
"""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture
def firm(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "add VAT return @sam due Friday")  # #1, Fri 4 Dec 17:00
    chat.say("marcus", "add Bank rec due tomorrow")  # #2, nobody owns it
    chat.say("marcus", "add Payroll check @marcus")  # #3, no deadline
    return chat


@pytest.mark.parametrize("text", [
    "who owns the VAT return?", "who's working on the VAT return?", "who is on #1?",
    "who is responsible for the VAT return", "whose task is the VAT return?",
    "who has the VAT return?", "who is the VAT return assigned to?",
])
def test_who_owns_says_the_owner_in_one_line(firm, text):
    out = firm.say("marcus", text)
    assert out.text == "Sam owns #1 VAT return (due Fri 4 Dec 17:00)."
    assert [b.label for b in out.buttons] == ["Assign…"]


def test_who_owns_unowned_work_offers_to_take_it(firm):
    out = firm.say("marcus", "who owns the bank rec?")
    assert out.text == "Nobody owns #2 Bank rec yet (due Wed 2 Dec 17:00)."
    assert [b.label for b in out.buttons] == ["Assign to me", "Assign…"]
    assert "#2 is yours now" in firm.press("marcus", "Assign to me").text


@pytest.mark.parametrize(("text", "expected"), [
    ("when is the bank rec due?", "#2 Bank rec is due Wed 2 Dec 17:00 — tomorrow."),
    ("when's the VAT return due", "#1 VAT return is due Fri 4 Dec 17:00 — in 3 days."),
    ("what's the deadline for the VAT return?",
     "#1 VAT return is due Fri 4 Dec 17:00 — in 3 days."),
    ("when is #2 due by?", "#2 Bank rec is due Wed 2 Dec 17:00 — tomorrow."),
    ("what's the due date for #1", "#1 VAT return is due Fri 4 Dec 17:00 — in 3 days."),
])
def test_when_is_it_due_says_the_date_and_how_far_away(firm, text, expected):
    assert firm.say("marcus", text).text == expected


def test_a_task_without_a_deadline_asks_for_one_and_a_typed_date_answers(firm):
    out = firm.say("marcus", "when is the payroll check due?")
    assert out.text.startswith("#3 Payroll check has no deadline. When should it be done?")
    assert [b.label for b in out.buttons] == ["+1 day", "+1 week"]
    assert out.picker is not None and out.picker.kind == "date"
    assert "#3 is due Fri 4 Dec 17:00" in firm.say("marcus", "Friday").text


def test_overdue_work_says_so(firm):
    firm.clock.advance(timedelta(days=2))  # Thursday 3 Dec: the bank rec was due yesterday
    out = firm.say("marcus", "when is the bank rec due?")
    assert out.text == "#2 Bank rec was due Wed 2 Dec 17:00 — yesterday, so it is overdue."
    assert [b.label for b in out.buttons] == ["Move the deadline…"]


@pytest.mark.parametrize(("text", "expected"), [
    ("is the VAT return done?", "No — #1 VAT return is 0% done (not started), due Fri 4 Dec "
                                "17:00 — in 3 days."),
    ("has Sam finished the VAT return yet?", "No — #1 VAT return is 0% done"),
    ("how far along is the VAT return?", "#1 VAT return is 0% done (not started), due Fri 4 "
                                         "Dec 17:00 — in 3 days."),
    ("is the VAT return on track?", "#1 VAT return is 0% done"),
])
def test_done_and_how_far(firm, text, expected):
    assert firm.say("marcus", text).text.startswith(expected)


def test_is_it_done_after_it_was_done(firm):
    firm.say("sam", "done #1")
    assert firm.say("marcus", "is the VAT return done?").text == \
        "Yes — #1 VAT return was done Tue 1 Dec 09:30."
    firm.say("marcus", "progress #2 40%")
    assert firm.say("marcus", "how far along is #2?").text.startswith(
        "#2 Bank rec is 40% done (in progress), due Wed 2 Dec 17:00 — tomorrow.")


@pytest.mark.parametrize("text", ["what is the VAT return waiting for?",
                                  "why is the VAT return blocked?", "what's blocking #1",
                                  "is the VAT return stuck?"])
def test_what_is_it_waiting_for(firm, text):
    firm.say("sam", "block #1 waiting for the client's invoices")
    out = firm.say("marcus", text)
    assert out.text == "#1 VAT return is blocked: waiting for the client's invoices."
    assert "Unblock" in [b.label for b in out.buttons]


def test_work_that_is_not_blocked_says_so(firm):
    assert firm.say("marcus", "why is the VAT return blocked?").text == \
        "#1 VAT return is not blocked (0% done, not started, due Fri 4 Dec 17:00 — in 3 days)."
    firm.clock.advance(timedelta(days=2))
    assert firm.say("marcus", "why is the bank rec late?").text == (
        "#2 Bank rec is not blocked (0% done, not started, overdue since Wed 2 Dec 17:00). "
        "Its problem: missing owner.")  # "overdue" fires at the next tick


def test_who_owns_offers_assign_only_to_those_who_may(firm):
    firm.join("Priya")
    out = firm.say("priya", "who owns the VAT return?")  # a member asking about Sam's work
    assert out.text == "Sam owns #1 VAT return (due Fri 4 Dec 17:00)." and out.buttons == ()
    assert [b.label for b in firm.say("priya", "who owns #2?").buttons] == ["Assign to me"]


@pytest.mark.parametrize("text", ["what should I do first?", "what's next?", "what do I do now?",
                                  "what should I work on?", "what should I work on today",
                                  "where do I start?"])
def test_what_to_do_first_is_the_single_most_urgent_task(firm, text):
    firm.say("marcus", "add Board pack @marcus due tomorrow")  # #4
    firm.say("marcus", "add Client letters @marcus due 10 Dec")  # #5
    out = firm.say("marcus", text)
    lines = out.text.split("\n")
    # Payroll check has a firing problem (missing deadline): problems come before dates.
    assert lines[0] == "Start with #3 Payroll check — missing deadline (warning)."
    assert lines[-1] == "2 more open — say tasks for the list."
    assert [b.label for b in out.buttons] == ["25%", "50%", "75%", "Done", "Blocked"]
    assert all(b.args["task"] != 4 for b in out.buttons)


def test_what_to_do_first_by_due_date_and_when_nothing_is_open(firm):
    assert firm.say("priya", "what should I do first?").text == (
        "Nothing is open for you, nothing waits for an owner and nothing needs you. 🎉")
    firm.say("marcus", "add Board pack @priya due tomorrow")
    out = firm.say("priya", "what's next?").text.split("\n")
    assert out[0] == "Start with #4 Board pack — due tomorrow (Wed 2 Dec 17:00)."
    assert out[-1] == "Nothing else is open for you."


def test_what_next_with_only_unowned_work_offers_the_most_urgent_of_it(firm):
    """Nothing assigned is not "nothing to do": the worst work waiting for an owner comes
    first, with the buttons that give it one (never 🎉 while it waits)."""
    firm.say("marcus", "assign #3 to Priya")  # Marcus owns nothing now; #2 waits for an owner
    firm.say("marcus", "add Unowned by Marcus")
    out = firm.say("marcus", "what's next?")
    assert out.text.split("\n") == [
        "Nothing is assigned to you. Most urgent: #2 Bank rec, which you created and nobody "
        "owns — missing owner (critical).",
        "1 more needs you or waits for an owner — say tasks to see it.",
    ]
    assert [(b.label, b.args["task"]) for b in out.buttons] == [("Take it", 2), ("Assign…", 2)]
    assert firm.say("marcus", "who owns it?").text.startswith("Nobody owns #2 Bank rec")
