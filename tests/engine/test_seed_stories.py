"""The seed stories of DESIGN.md §4, with default settings, as named tests."""

from __future__ import annotations

import pytest
from builders import LONDON, NEW_YORK, SYDNEY, at, fired, person, project, task, verdict, world

from engine.evaluate import evaluate
from engine.model import WorkCalendar

LDN = "Europe/London"


def test_seed_filing_stalled_on_day_four():
    w = world(person(1), task(1, tz=LDN, owner_id=1, start="2026-02-23 09:00",
                              due="2026-03-12 17:00", status="in_progress", progress=40,
                              last_progress_at="2026-03-02 09:00"), calendar=LONDON)
    assert verdict("task.stalled", w, at("2026-03-05 08:59", LDN)) is None
    assert verdict("task.stalled", w, at("2026-03-05 09:00", LDN)) == "warning"


def test_seed_twenty_percent_after_sixty_percent_of_the_time_is_behind_schedule():
    tz = "America/New_York"
    w = world(person(1), task(1, tz=tz, owner_id=1, start="2026-03-09 09:00",
                              due="2026-03-18 17:00", status="in_progress", progress=20),
              calendar=NEW_YORK)
    # 8 working days = 64h; 60% = 38.4h -> Fri 13 Mar 15:24 local.
    assert verdict("task.behind_schedule", w, at("2026-03-13 15:24", tz)) == "warning"


def test_seed_thirty_percent_due_tomorrow_is_behind_schedule():
    w = world(person(1), task(1, owner_id=1, start="2026-03-02 09:00", due="2026-03-10 17:00",
                              status="in_progress", progress=30))
    # 40 of 56 working hours used (71%) at 30%: past the 25-point tolerance.
    assert verdict("task.behind_schedule", w, at("2026-03-09 09:00")) == "warning"


def test_seed_subtask_due_after_parent_fires_at_creation():
    w = world(person(1), task(1, owner_id=1, due="2026-03-09 17:00"),
              task(2, owner_id=1, parent_id=1, due="2026-03-10 17:00",
                   created_at="2026-03-04 12:00"))
    assert verdict("task.child_after_parent", w, at("2026-03-04 12:00"), 2) == "warning"


def test_seed_task_created_without_owner_is_missing_owner_at_once():
    created = at("2026-03-04 12:00")
    w = world(task(1, created_at=created, due="2026-03-20 17:00"))
    assert ("task.missing_owner:task:1", "warning") in fired(w, created)


def test_seed_blocked_for_six_days_is_long_blocked():
    w = world(person(1), task(1, owner_id=1, status="blocked", status_since="2026-05-29 10:00",
                              due="2026-06-30 17:00"))
    assert verdict("task.long_blocked", w, at("2026-06-04 10:00")) == "warning"


def test_seed_person_with_at_risk_tasks_in_three_projects_is_overloaded():
    tz = "Europe/Dublin"
    items = [person(1), *(project(p) for p in (1, 2, 3))]
    items += [task(p, tz=tz, owner_id=1, project_id=p, start="2026-04-20 09:00",
                   due="2026-05-08 17:00", status="in_progress", progress=10,
                   last_progress_at="2026-05-01 09:00") for p in (1, 2, 3)]
    w = world(*items, calendar=WorkCalendar(tz=tz))
    assert verdict("person.overloaded", w, at("2026-05-04 09:00", tz), 1) == "warning"


def test_seed_insurance_renewal_warns_in_three_stages():
    leads = {"task.deadline_approaching.lead": ["30d", "14d", "7d"]}
    w = world(person(1), project(1, settings=leads),
              task(1, tz=LDN, owner_id=1, project_id=1, created_at="2026-08-20 09:00",
                   due="2026-10-16 17:00"), calendar=LONDON)
    stages = []
    now = at("2026-09-01 09:00", LDN)
    while now < at("2026-10-17 09:00", LDN):
        ev = evaluate(w, now, task_ids=[1])
        stages += [v.stage for v in ev.violations
                   if v.rule_id == "task.deadline_approaching" and v.stage not in stages]
        nxt = ev.task_next_check[1]
        if nxt is None:
            break
        now = nxt  # jump exactly as the production tick would
    assert stages == ["30d", "14d", "7d"]


@pytest.mark.parametrize(
    "project_id, fires_at, quiet_before",
    [(1, "2026-07-05 10:00", "2026-07-05 09:59"),  # Hiring: 48 clock hours, over a Sunday
     (2, "2026-07-08 10:00", "2026-07-08 09:59")],  # Admin: the default 3 working days
)
def test_seed_recruitment_stalls_after_48_clock_hours(project_id, fires_at, quiet_before):
    tz = "Australia/Sydney"
    w = world(person(1), project(1, settings={"task.stalled.after": "48h"}), project(2),
              task(1, tz=tz, owner_id=1, project_id=project_id, start="2026-07-01 09:00",
                   due="2026-07-24 17:00", status="in_progress", progress=30,
                   last_progress_at="2026-07-03 10:00"), calendar=SYDNEY)
    assert verdict("task.stalled", w, at(quiet_before, tz)) is None
    assert verdict("task.stalled", w, at(fires_at, tz)) == "warning"
