"""My Tasks, Kanban board and team portfolio: empty, small and large portfolios."""

from __future__ import annotations

import pytest
from views_data import NOW, build, request

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.permissions import Refused
from bot.views.board import board
from bot.views.my_tasks import LIST_CAP, my_tasks
from bot.views.team import team


@pytest.fixture
def small(uow):
    with uow() as u:
        pf = build(u, "small")
        u.commit()
    return pf


def test_my_tasks_empty(uow):
    with uow() as u:
        pf = build(u, "empty")
        out = my_tasks(request(u, pf, "priya"))
    assert out.text == ("Your open tasks: nothing open, nothing waiting for an owner, "
                        "nothing that needs you. 🎉")


def test_my_tasks_small_most_urgent_first_with_colour_due_progress_problem(uow, small):
    with uow() as u:
        out = my_tasks(request(u, small, "priya"))
    lines = out.text.splitlines()
    assert lines[0] == "Your open tasks (4): 🔴1 🟠1 🟢2"
    # red first (overdue), then amber (subtask due after its parent), then green by due date
    assert lines[1].startswith("🔴 #1 Send the Acme filing · 30% · due Mon 23 Nov 10:00 — overdue")
    assert lines[2].startswith("🟠 #6 Gather bank statements")
    assert "child after parent" in lines[2]
    assert lines[3].startswith("🟢 #3 Review payroll run · 80% · in review · due Mon 30 Nov")
    assert lines[4].startswith("🟢 #2 Draft contract")
    assert "Bank reconciliation" not in out.text  # done, and Sam's
    first = out.sections[1].buttons
    assert [b.label for b in first] == ["Open", "50%", "Done"]
    assert first[0].args == {"task": small.tasks["overdue"]}


def test_my_tasks_times_are_in_the_readers_zone(uow, small):
    with uow() as u:
        u.people.update(small.ws, small.people["priya"], tz="Asia/Tokyo")
        out = my_tasks(request(u, small, "priya"))
    assert "due Mon 23 Nov 19:00" in out.text  # 10:00 UTC is 19:00 in Tokyo


def test_tasks_of_someone_else_or_a_project_is_for_managers(uow, small):
    with uow() as u:
        assert "Priya's open tasks (4)" in my_tasks(request(u, small, "sam"), "priya").text
        project = my_tasks(request(u, small, "marcus"), project="Payroll").text
        assert project.startswith("Open tasks in Payroll (2)")
        assert "#5 Collect receipts · no owner" in project and "missing owner" in project
        with pytest.raises(Refused):
            my_tasks(request(u, small, "priya"), "sam")
        with pytest.raises(Refused):
            my_tasks(request(u, small, "priya"), project="Acme")


def test_my_tasks_large_is_capped(uow):
    with uow() as u:
        pf = build(u, "large")
        u.commit()
    with uow() as u:
        out = my_tasks(request(u, pf, "marcus"), project="Acme")
    assert len(out.sections) == 1 + LIST_CAP + 1
    assert out.sections[-1].text.startswith("…and ") and "more" in out.sections[-1].text
    dots = [s.text[0] for s in out.sections[1:-1]]
    order = {"🔴": 0, "🟠": 1, "🟢": 2}
    assert [order[d] for d in dots] == sorted(order[d] for d in dots)
    assert sum(1 for s in out.sections if s.buttons) == 5


def test_board_small_columns_counts_and_red_first(uow, small):
    with uow() as u:
        out = board(request(u, small, "priya"))
        acme = board(request(u, small, "priya"), "Acme")
    text = out.text
    assert text.splitlines()[0] == "📋 Board — everyone — 5 open · 🔴1 🟠2"
    for column in ("── TO DO (2) ──", "── IN PROGRESS (2) ──", "── BLOCKED (0) ──",
                   "── IN REVIEW (1) ──", "── DONE (last 7 days) (1) ──"):
        assert column in text
    progress = next(s.text for s in out.sections if s.text.startswith("── IN PROGRESS"))
    assert progress.index("🔴 #1") < progress.index("🟢 #2")
    assert max(len(line) for line in text.splitlines()) <= 70  # phone width
    assert "Collect receipts" not in acme.text and "Board — Acme" in acme.text


def test_board_empty_and_large(uow):
    with uow() as u:
        pf = build(u, "empty")
        assert "nothing on the board yet" in board(request(u, pf, "marcus")).text
    with uow() as u:
        pf = build(u, "large")
        out = board(request(u, pf, "marcus"))
    assert "…and" in out.text
    for section in out.sections[1:]:
        assert section.text.count("\n#") == 0
        assert section.text.count("     ") <= 8  # at most 8 cards per column


def test_team_is_for_managers_and_counts_per_person_and_project(uow, small):
    with uow() as u:
        with pytest.raises(Refused):
            team(request(u, small, "priya"))
        u.tasks.update(small.ws, small.tasks["draft"], status="blocked", blocked_reason="bank")
        out = team(request(u, small, "sam"))
    text = out.text
    assert text.splitlines()[0] == "👥 Team — 3 people, 5 open · 🔴1 🟠2 🟢2"
    priya = next(s for s in out.sections if s.text.startswith("Priya"))
    assert priya.text.startswith("Priya (@priya) — 4 open · 🔴1 🟠1 🟢2")
    assert "⛔ blocked: #2" in priya.text
    assert "oldest problem: " in priya.text
    assert priya.buttons[0].action == "person.portfolio"
    assert priya.buttons[0].args == {"person": small.people["priya"]}
    assert "Nobody (no owner) — 1 open" in text
    assert "Acme — 3 open · 🔴1 🟠1 🟢1 · due Fri 18 Dec" in text
    assert "Payroll — 2 open" in text


def test_team_flags_overloaded_people(uow):
    with uow() as u:
        pf = build(u, "large")
        u.commit()
    with uow() as u:
        overloaded = {v.subject_id for v in u.violations.all_firing(pf.ws)
                      if v.rule_id == "person.overloaded"}
        out = team(request(u, pf, "marcus"))
        names = {u.people.get(pf.ws, i).name for i in overloaded}
    assert overloaded, "the large portfolio should overload someone"
    for section in out.sections:
        name = section.text.split(" (", 1)[0]
        if name in names:
            assert "⚠ overloaded" in section.text.splitlines()[0]
    assert len(out.sections) <= 30


def test_team_empty_workspace(uow):
    with uow() as u:
        pf = build(u, "empty")
        out = team(request(u, pf, "marcus"))
    assert out.text.splitlines()[0] == "👥 Team — 3 people, 0 open · 🔴0 🟠0 🟢0"
    assert "none yet" in out.text


def test_list_tasks_through_the_conversation_uses_my_tasks(uow, small):
    conv = Conversation(uow, FixedClock(NOW))
    out = conv.handle(Incoming(small.ws, small.people["priya"], text="tasks"))
    assert out.text.startswith("Your open tasks (4): 🔴1 🟠1 🟢2")
    refused = conv.handle(Incoming(small.ws, small.people["priya"], text="tasks @sam"))
    assert "managers" in refused.text
