"""Each rule's words stay true as time passes what they describe (explicit ``now``).

A window that has closed ("within 2 working days" after the deadline) is worded
as what it has become: "due Fri 6 Mar 17:00, 2 days ago".
"""

from __future__ import annotations

import pytest
from builders import at, only, person, task, world

DUE = "2026-03-06 17:00"  # Friday

CASES = [
    # task.missing_owner
    ("task.missing_owner", {}, "2026-03-02 09:00", "nobody owns this task"),
    ("task.missing_owner", {"due": DUE}, "2026-03-02 09:00",
     "nobody owns this task and it is due Fri 6 Mar 17:00"),
    ("task.missing_owner", {"due": DUE}, "2026-03-05 09:00",
     "nobody owns this task and it is due Fri 6 Mar 17:00 (within 2 working days)"),
    ("task.missing_owner", {"due": DUE}, "2026-03-06 18:30",
     "due Fri 6 Mar 17:00, 1 hour 30 minutes ago, and nobody owns it"),
    ("task.missing_owner", {"due": DUE}, "2026-03-08 17:00",
     "due Fri 6 Mar 17:00, 2 days ago, and nobody owns it"),
    # task.long_blocked (after 3 working days; critical once due within 2)
    ("task.long_blocked", {"status": "blocked", "status_since": "2026-03-02 09:00",
                           "due": DUE}, "2026-03-05 10:00",
     "blocked for 3 days (since Mon 2 Mar 09:00); limit 3 working days; "
     "due Fri 6 Mar 17:00, within 2 working days"),
    ("task.long_blocked", {"status": "blocked", "status_since": "2026-03-02 09:00",
                           "due": DUE}, "2026-03-09 10:00",
     "blocked for 7 days (since Mon 2 Mar 09:00); limit 3 working days; "
     "it was due Fri 6 Mar 17:00, 3 days ago"),
    # task.stalled (after 3 working days; critical once due within them)
    ("task.stalled", {"status": "in_progress", "progress": 40,
                      "last_progress_at": "2026-03-02 09:00", "due": DUE}, "2026-03-05 10:00",
     "no progress for 3 days (since Mon 2 Mar 09:00), still at 40%; stalls after 3 working "
     "days, and it is due Fri 6 Mar 17:00"),
    ("task.stalled", {"status": "in_progress", "progress": 40,
                      "last_progress_at": "2026-03-02 09:00", "due": DUE}, "2026-03-06 19:00",
     "no progress for 4 days (since Mon 2 Mar 09:00), still at 40%; stalls after 3 working "
     "days, and it was due Fri 6 Mar 17:00, 2 hours ago"),
]


@pytest.mark.parametrize(("rule", "fields", "now", "words"), CASES)
def test_task_rule_words_as_of_now(rule, fields, now, words):
    assert only(rule, world(task(1, **fields)), at(now)).explanation == words


IDLE = "2026-02-25 12:00"  # the person's last activity: inactive from 2026-03-04 12:00


@pytest.mark.parametrize(("dues", "now", "words"), [
    (["2026-03-10 17:00"], "2026-03-05 09:00", "1 task due within 10 working days"),
    (["2026-03-04 17:00"], "2026-03-05 09:00", "1 task overdue"),
    (["2026-03-04 17:00", "2026-03-10 17:00", "2026-03-11 17:00"], "2026-03-05 09:00",
     "1 task overdue and 2 due within 10 working days"),
])
def test_person_inactive_counts_overdue_work_apart(dues, now, words):
    tasks = [task(i + 1, owner_id=1, due=d, last_activity_at=IDLE) for i, d in enumerate(dues)]
    v = only("person.inactive", world(person(1), *tasks), at(now))
    assert v.explanation.endswith(f"while {words}"), v.explanation


@pytest.mark.parametrize(("overdue", "words"), [
    (0, "11 tasks due within 5 working days (capacity 10)"),
    (2, "2 tasks overdue and 9 due within 5 working days (capacity 10)"),
])
def test_person_overloaded_counts_overdue_work_apart(overdue, words):
    tasks = [task(i, owner_id=1, due="2026-03-04 17:00" if i <= overdue else "2026-03-10 17:00",
                  last_activity_at="2026-03-04 09:00") for i in range(1, 12)]
    v = only("person.overloaded", world(person(1), *tasks), at("2026-03-05 09:00"))
    assert v.explanation.endswith(words), v.explanation
