"""Time-driven task rules: one firing and one quiet edge each, with next_check."""

from __future__ import annotations

import pytest
from builders import LONDON, NEW_YORK, UTC_CAL, WorkCalendar, at, day, task, verdict, world
from builders import outcome as run_rule

HOLIDAY_WED = WorkCalendar(holidays=frozenset({day("2026-03-04")}))
HOLIDAY_MON = WorkCalendar(holidays=frozenset({day("2026-03-09")}))

# (rule, task fields, calendar, tz, now, expected verdict, expected next_check or None)
CASES = [
    # task.missing_owner: critical once due within 2wd (= 2wd before the deadline).
    ("task.missing_owner", {}, UTC_CAL, "UTC", "2026-03-02 09:00", "warning", None),
    ("task.missing_owner", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC", "2026-03-04 16:59",
     "warning", "2026-03-04 17:00"),
    ("task.missing_owner", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC", "2026-03-04 17:00",
     "critical", None),
    ("task.missing_owner", {"due": "2026-03-09 17:00"}, UTC_CAL, "UTC", "2026-03-05 16:59",
     "warning", "2026-03-05 17:00"),  # Monday due: the weekend does not count
    ("task.missing_owner", {"due": "2026-03-10 17:00"}, HOLIDAY_MON, "UTC", "2026-03-05 17:00",
     "critical", None),  # the Monday holiday pulls the window back to Thursday
    ("task.missing_owner", {"owner_id": 1}, UTC_CAL, "UTC", "2026-03-02 09:00", None, None),
    ("task.missing_owner", {"status": "done"}, UTC_CAL, "UTC", "2026-03-02 09:00", None, None),
    ("task.missing_owner", {"occurrence_of": 9, "due": "2026-03-02 09:00"}, UTC_CAL, "UTC",
     "2026-03-02 09:00", None, None),
    # task.missing_deadline
    ("task.missing_deadline", {}, UTC_CAL, "UTC", "2026-03-02 09:00", "warning", None),
    ("task.missing_deadline", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC", "2026-03-02 09:00",
     None, None),
    ("task.missing_deadline", {"recurrence": "FREQ=DAILY"}, UTC_CAL, "UTC", "2026-03-02 09:00",
     None, None),
    # task.overdue
    ("task.overdue", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC", "2026-03-06 16:59", None,
     "2026-03-06 17:00"),
    ("task.overdue", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC", "2026-03-06 17:00",
     "critical", None),
    # task.behind_schedule: Mon 09:00 -> Fri 17:00 is 40 working hours; 20% + 25 -> 18h.
    ("task.behind_schedule", {"start": "2026-03-02 09:00", "due": "2026-03-06 17:00",
                              "progress": 20, "status": "in_progress"},
     UTC_CAL, "UTC", "2026-03-04 10:59", None, "2026-03-04 11:00"),
    ("task.behind_schedule", {"start": "2026-03-02 09:00", "due": "2026-03-06 17:00",
                              "progress": 20, "status": "in_progress"},
     UTC_CAL, "UTC", "2026-03-04 11:00", "warning", "2026-03-05 13:00"),
    ("task.behind_schedule", {"start": "2026-03-02 09:00", "due": "2026-03-06 17:00",
                              "progress": 20, "status": "blocked"},
     UTC_CAL, "UTC", "2026-03-05 13:00", "critical", "2026-03-06 17:00"),
    ("task.behind_schedule", {"start": "2026-03-02 09:00", "due": "2026-03-06 17:00",
                              "progress": 20, "status": "in_review"},
     UTC_CAL, "UTC", "2026-03-05 13:00", None, None),
    ("task.behind_schedule", {"start": "2026-03-02 09:00", "due": "2026-03-06 17:00",
                              "progress": 20}, UTC_CAL, "UTC", "2026-03-06 17:00", None, None),
    # A weekend does not use up time: Thu 09:00 -> Tue 17:00, 0% done, critical from Fri 17:00.
    ("task.behind_schedule", {"start": "2026-03-05 09:00", "due": "2026-03-10 17:00"},
     UTC_CAL, "UTC", "2026-03-08 23:00", "critical", "2026-03-10 17:00"),
    # London DST (29 Mar): Thu 26 -> Wed 1 Apr, 0%: critical after 20 working hours, Mon 13:00 BST.
    ("task.behind_schedule", {"start": "2026-03-26 09:00", "due": "2026-04-01 17:00"},
     LONDON, "Europe/London", "2026-03-30 12:59", "warning", "2026-03-30 13:00"),
    ("task.behind_schedule", {"start": "2026-03-26 09:00", "due": "2026-04-01 17:00"},
     LONDON, "Europe/London", "2026-03-30 13:00", "critical", "2026-04-01 17:00"),
    # task.stalled: 3wd after the last progress; critical once due within 3wd.
    ("task.stalled", {"status": "in_progress", "last_progress_at": "2026-03-02 09:00",
                      "due": "2026-03-12 17:00"}, UTC_CAL, "UTC", "2026-03-05 08:59", None,
     "2026-03-05 09:00"),
    ("task.stalled", {"status": "in_progress", "last_progress_at": "2026-03-02 09:00",
                      "due": "2026-03-12 17:00"}, UTC_CAL, "UTC", "2026-03-05 09:00", "warning",
     "2026-03-09 17:00"),
    ("task.stalled", {"status": "in_progress", "last_progress_at": "2026-03-02 09:00",
                      "due": "2026-03-09 17:00"}, UTC_CAL, "UTC", "2026-03-05 09:00", "critical",
     None),
    ("task.stalled", {"status": "in_progress", "last_progress_at": "2026-03-02 09:00"},
     HOLIDAY_WED, "UTC", "2026-03-05 09:00", None, "2026-03-06 09:00"),
    ("task.stalled", {"status": "in_progress", "last_progress_at": "2026-03-05 09:00"},
     UTC_CAL, "UTC", "2026-03-09 23:00", None, "2026-03-10 09:00"),  # weekend skipped
    ("task.stalled", {"status": "todo", "last_progress_at": "2026-03-02 09:00"},
     UTC_CAL, "UTC", "2026-03-20 09:00", None, None),
    # task.deadline_approaching (default lead 2wd, quiet 2wd)
    ("task.deadline_approaching", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC",
     "2026-03-04 16:59", None, "2026-03-04 17:00"),
    ("task.deadline_approaching", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC",
     "2026-03-04 17:00", "warning:2wd", "2026-03-06 17:00"),
    ("task.deadline_approaching", {"due": "2026-03-06 17:00",
                                   "last_activity_at": "2026-03-04 10:00"},
     UTC_CAL, "UTC", "2026-03-05 12:00", None, "2026-03-06 10:00"),
    ("task.deadline_approaching", {"due": "2026-03-06 17:00"}, UTC_CAL, "UTC",
     "2026-03-06 17:00", None, None),
    # task.long_blocked (after 3wd; critical once due within 2wd)
    ("task.long_blocked", {"status": "blocked", "status_since": "2026-03-02 10:00"},
     UTC_CAL, "UTC", "2026-03-05 09:59", None, "2026-03-05 10:00"),
    ("task.long_blocked", {"status": "blocked", "status_since": "2026-03-02 10:00",
                           "due": "2026-03-10 17:00"}, UTC_CAL, "UTC", "2026-03-05 10:00",
     "warning", "2026-03-06 17:00"),
    ("task.long_blocked", {"status": "blocked", "status_since": "2026-03-02 10:00",
                           "due": "2026-03-10 17:00"}, UTC_CAL, "UTC", "2026-03-06 17:00",
     "critical", None),
    ("task.long_blocked", {"status": "in_progress", "status_since": "2026-03-02 10:00"},
     UTC_CAL, "UTC", "2026-03-20 10:00", None, None),
    # task.review_stale (after 2wd)
    ("task.review_stale", {"status": "in_review", "status_since": "2026-03-05 15:00"},
     NEW_YORK, "America/New_York", "2026-03-09 14:59", None, "2026-03-09 15:00"),
    ("task.review_stale", {"status": "in_review", "status_since": "2026-03-05 15:00"},
     NEW_YORK, "America/New_York", "2026-03-09 15:00", "warning", None),
    ("task.review_stale", {"status": "done", "status_since": "2026-03-05 15:00"},
     NEW_YORK, "America/New_York", "2026-03-19 15:00", None, None),
]


@pytest.mark.parametrize("rule, fields, cal, tz, now, expected, next_check", CASES)
def test_time_rules(rule, fields, cal, tz, now, expected, next_check):
    w = world(task(1, tz=tz, **fields), calendar=cal)
    assert verdict(rule, w, at(now, tz)) == expected
    got = run_rule(rule, w, at(now, tz)).next_check
    assert got == (at(next_check, tz) if next_check else None)


@pytest.mark.parametrize(
    "now, expected",
    [
        ("2026-09-16 16:59", None),
        ("2026-09-16 17:00", "warning:30d"),
        ("2026-10-02 16:59", "warning:30d"),
        ("2026-10-02 17:00", "warning:14d"),
        ("2026-10-09 17:00", "warning:7d"),
        ("2026-10-16 16:59", "warning:7d"),
        ("2026-10-16 17:00", None),
    ],
)
def test_deadline_approaching_only_the_tightest_begun_lead_fires(now, expected):
    from builders import project

    tz = "Europe/London"
    w = world(
        project(1, settings={"task.deadline_approaching.lead": ["30d", "14d", "7d"]}),
        task(1, tz=tz, project_id=1, owner_id=None, created_at="2026-08-20 09:00",
             due="2026-10-16 17:00"),
        calendar=LONDON,
    )
    assert verdict("task.deadline_approaching", w, at(now, tz)) == expected


def test_explanations_carry_the_numbers():
    from builders import only

    w = world(task(1, status="in_progress", progress=40, last_progress_at="2026-03-02 09:00",
                   due="2026-03-12 17:00"))
    assert only("task.stalled", w, at("2026-03-05 09:00")).explanation == (
        "no progress for 3 days (since Mon 2 Mar 09:00), still at 40%; "
        "stalls after 3 working days"
    )
    w = world(task(1, start="2026-03-02 09:00", due="2026-03-06 17:00", progress=20))
    assert only("task.behind_schedule", w, at("2026-03-05 09:00")).explanation == (
        "20% done but 60% of the time is used (expected at least 35%)"
    )
    w = world(task(1, status="blocked", status_since="2026-03-02 10:00", blocked_reason="bank"))
    assert only("task.long_blocked", w, at("2026-03-06 10:00")).explanation == (
        "blocked for 4 days (since Mon 2 Mar 10:00) on 'bank'; limit 3 working days"
    )
