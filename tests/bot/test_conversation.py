"""The neutral conversation end to end on a real database, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Action, Incoming, Outgoing

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday


@pytest.fixture
def chat(uow):
    clock = FixedClock(NOW)
    conv = Conversation(uow, clock)
    ws, marcus = conv.onboard(
        "test:chat", "Chat", "test", "U1", "Marcus", "marcus", tz="Europe/London"
    )
    _, priya = conv.onboard("test:chat", "Chat", "test", "U2", "Priya", "priya")
    _, sam = conv.onboard("test:chat", "Chat", "test", "U3", "Sam", "sam")

    class Chat:
        def __init__(self) -> None:
            self.conv, self.clock, self.ws = conv, clock, ws
            self.ids = {"marcus": marcus, "priya": priya, "sam": sam}

        def say(self, who: str, text: str) -> Outgoing:
            return conv.handle(Incoming(ws, self.ids[who], text=text))

        def press(self, who: str, action: str, **args: object) -> Outgoing:
            return conv.handle(Incoming(ws, self.ids[who], action=Action(action, args)))

    return Chat()


def test_first_person_is_admin_and_people_lists_everyone(chat):
    out = chat.say("marcus", "people")
    assert "Marcus (@marcus) — admin" in out.text and "Priya (@priya) — member" in out.text


def test_add_without_owner_answers_with_the_problem_and_fix_buttons(chat):
    out = chat.say("marcus", "add Send the Acme filing by Friday")
    assert "Added #1 Send the Acme filing" in out.text
    assert "missing owner" in out.text and "Fri 27 Nov 17:00" in out.text
    assert [b.label for b in out.sections[1].buttons] == ["Assign to me", "Assign…"]


def test_fix_button_resolves_the_problem_as_the_presser(chat):
    out = chat.say("marcus", "add Send the Acme filing by Friday")
    assign_me = out.sections[1].buttons[0]
    pressed = chat.press("priya", assign_me.action, **assign_me.args)
    assert "is yours now" in pressed.text
    assert "✅ cleared: #1 Send the Acme filing — no longer missing owner" in pressed.text
    shown = chat.say("priya", "show #1")
    assert "@priya" in shown.text


def test_plain_sentences_drive_the_same_intents(chat):
    chat.say("marcus", "remind Priya to send the Acme filing by Friday")
    assert "60% done" in chat.say("priya", "Acme filing is 60% done").text
    blocked = chat.say("priya", "blocked on bank statements for the Acme filing")
    assert "blocked: bank statements" in blocked.text
    moved = chat.say("priya", "push the Acme filing to next Monday")
    assert "is due Mon 30 Nov 17:00" in moved.text
    assert "Your open tasks (1)" in chat.say("priya", "what's on my plate?").text
    assert "Done" in chat.say("priya", "finished the Acme filing").text
    assert "nothing open" in chat.say("priya", "what's on my plate?").text


def test_subtask_due_after_parent_is_flagged_at_once(chat):
    chat.say("marcus", "add Year end close @priya by 30 Nov")
    out = chat.say("marcus", "add Bank reconciliation @priya by 4 Dec under #1")
    assert "child after parent" in out.text
    fix = next(b for b in out.buttons if b.action == "task.move_to_parent_date")
    pressed = chat.press("priya", fix.action, **fix.args)
    assert "no longer child after parent" in pressed.text


def test_members_cannot_change_other_peoples_tasks(chat):
    chat.say("marcus", "add Payroll run @sam by Friday")
    refused = chat.say("priya", "done #1")
    assert (
        "Only the owner or creator of #1" in refused.text and "Nothing was changed" in refused.text
    )
    assert "0% · todo" in chat.say("sam", "show #1").text
    pressed = chat.press("priya", "task.done", task=1)
    assert "Nothing was changed" in pressed.text


def test_managers_may_change_their_reports_tasks(chat):
    chat.say("marcus", "role @priya manager")
    chat.say("marcus", "reports @sam to @priya")
    chat.say("marcus", "add Payroll run @sam by Friday")
    assert "Done" in chat.say("priya", "done #1").text


def test_only_admins_set_roles_and_settings(chat):
    assert "Only an admin" in chat.say("priya", "role @sam admin").text
    assert "Only an admin" in chat.say("priya", "settings task.stalled.after 48h").text
    assert (
        "task.stalled.after is now 48h"
        in chat.say("marcus", "settings task.stalled.after 48h").text
    )
    assert "not a duration" in chat.say("marcus", "settings task.stalled.after soon").text


def test_ambiguous_reference_asks_with_one_button_per_candidate(chat):
    chat.say("marcus", "add Acme filing Q3 @marcus by Friday")
    chat.say("marcus", "add Acme filing Q4 @marcus by Friday")
    out = chat.say("marcus", "progress Acme filing 60%")
    assert "matches several tasks" in out.text
    assert [b.label for b in out.buttons] == ["#1 Acme filing Q3", "#2 Acme filing Q4"]
    picked = chat.press("marcus", out.buttons[1].action, **out.buttons[1].args)
    assert "#2 is now 60% done" in picked.text
    again = chat.press("marcus", out.buttons[0].action, **out.buttons[0].args)
    assert "That question has expired" in again.text  # answered: nothing else is pressed
    assert "#1 Acme filing Q3 — @marcus · 0%" in chat.say("marcus", "show #1").text


def test_ambiguous_reference_is_answered_by_its_number_in_the_list(chat):
    chat.say("marcus", "add Acme filing Q3 @marcus by Friday")
    chat.say("marcus", "add Acme filing Q4 @marcus by Friday")
    out = chat.say("marcus", "progress Acme filing 60%")
    assert "1. #1 Acme filing Q3\n2. #2 Acme filing Q4" in out.text
    assert "#2 is now 60% done" in chat.say("marcus", "2").text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("progress #1 140%", "between 0% and 100%"),
        ("due #1 blorp", "could not understand the date"),
        ("done #99", "no task #99"),
        ("assign #1 @nobody", "don't know @nobody"),
        ("add Something #NoSuchProject", "no project called NoSuchProject"),
        ("", "did not understand"),
        ("asdf qwer zxcv?", "did not understand"),
        # In a direct message words that are nothing else are a task to confirm (issue #12).
        ("asdf qwer zxcv", "Create this task?"),
    ],
)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(chat, text, expected):
    chat.say("marcus", "add Payroll run @marcus by Friday")
    before = chat.say("marcus", "show #1").text
    out = chat.say("marcus", text)
    assert expected in out.text
    assert chat.say("marcus", "show #1").text == before


def test_stale_or_forged_buttons_are_refused(chat):
    assert "no longer exists" in chat.press("marcus", "task.done", task=999).text
    assert "out of date" in chat.press("marcus", "task.done", task="drop table").text
    assert "not something I know" in chat.press("marcus", "system.shutdown").text


def test_out_of_office_makes_owned_tasks_owner_unavailable(chat):
    chat.say("marcus", "add Payroll run @priya by Friday")
    out = chat.say("priya", "ooo until 4 Dec backup @sam")
    assert "out of office until" in out.text and "owner unavailable" in out.text
    fix = next(b for b in out.buttons if b.action == "task.reassign_backup")
    moved = chat.press("marcus", fix.action, **fix.args)
    assert "no longer owner unavailable" in moved.text


def test_time_passing_is_seen_by_the_next_message(chat):
    chat.say("marcus", "add Payroll run @priya by tomorrow")
    chat.clock.advance(timedelta(days=2))
    out = chat.say("priya", "progress #1 50%")
    assert "#1 is now 50% done" in out.text


def test_fix_buttons_show_how_often_the_fix_worked(chat):
    first = chat.say("marcus", "add Book the venue @marcus")
    plus_week = next(
        b for b in first.buttons if b.action == "task.due_plus" and b.args["days"] == 7
    )
    chat.press("marcus", plus_week.action, **plus_week.args)
    second = chat.say("marcus", "add Order the catering @marcus")
    labels = [b.label for b in second.buttons if b.action == "task.due_plus"]
    assert "+1 week · 1/1 fixed within a day" in labels


def test_standup_on_demand(chat):
    chat.say("marcus", "reports @priya to @marcus")
    chat.say("marcus", "add Send the Acme filing @priya by tomorrow")
    member = chat.say("priya", "standup").text
    assert "Standup for Priya" in member and "#1 Send the Acme filing" in member
    assert "Team:" not in member
    manager = chat.say("marcus", "standup").text
    assert "Team:" in manager and "Priya:" in manager


def test_work_that_requires_proof_refuses_done_without_it(chat):
    chat.say("marcus", "add Safety walk @priya by Friday proof: photo")
    refused = chat.say("priya", "done #1")
    assert "needs photo proof" in refused.text and "'#1 done'" in refused.text
    assert "0% · todo" in chat.say("priya", "show #1").text
    with_proof = chat.conv.handle(
        Incoming(chat.ws, chat.ids["priya"], text="done #1 photo:AgAD123", attachment="AgAD123")
    )
    assert "Done: #1" in with_proof.text


def test_people_keep_their_own_time_zone(chat, uow):
    _, ana = chat.conv.onboard(
        "test:chat", "Chat", "test", "U9", "Ana", "ana", tz="America/New_York"
    )
    with uow() as u:
        assert u.people.get(chat.ws, ana).tz == "America/New_York"


def test_every_fix_the_rules_recommend_has_a_button_handler():
    from bot.handlers.actions import HANDLERS
    from engine.rules.base import _REGISTRY

    actions = {spec.action for rule in _REGISTRY.values() for spec in rule.fixes}
    assert actions - set(HANDLERS) == set()


def test_every_button_in_replies_can_be_pressed(chat):
    chat.say("marcus", "project add Website due 30 Nov")
    chat.say("marcus", "project add Office")
    replies = [
        chat.say("marcus", "add Launch the site @priya by 27 Nov #Website"),
        chat.say("marcus", "add Page copy @priya by 4 Dec under #1 #Website"),
        chat.say("marcus", "add Final design @sam by 10 Dec #Website"),
        chat.say("marcus", "add Templates @sam by 2 Dec after #3 #Website"),
        chat.say("marcus", "add Book movers #Office"),
        chat.say("marcus", "add Collect keys @marcus"),
    ]
    chat.clock.advance(timedelta(days=5))
    replies.append(chat.say("marcus", "show #1"))
    buttons = [b for r in replies for b in r.buttons]
    assert len({b.action for b in buttons}) >= 10
    for button in buttons:
        out = chat.press("marcus", button.action, **button.args)
        assert "not something I know" not in out.text, button
        assert "went wrong" not in out.text, button
        assert "out of date" not in out.text, button
