"""The routing table of DESIGN.md §6 as a pure function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.notify.routing import Directory, Route, Subject, route, subject_of
from engine.model import Person, Project, Role, Severity, SubjectKind, Task

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ADA, BOSS, PM, PRIYA, SAM, CREATOR, BACKUP = 1, 2, 3, 4, 5, 6, 7


def people(**overrides: dict) -> dict[int, Person]:
    base = {
        ADA: Person(ADA, "Ada", role=Role.ADMIN),
        BOSS: Person(BOSS, "Boss", role=Role.MANAGER, reports_to_id=ADA),
        PM: Person(PM, "Pam", role=Role.MANAGER, reports_to_id=BOSS),
        PRIYA: Person(PRIYA, "Priya", reports_to_id=BOSS),
        SAM: Person(SAM, "Sam"),
        CREATOR: Person(CREATOR, "Carl", reports_to_id=BOSS),
        BACKUP: Person(BACKUP, "Bea"),
    }
    for pid, fields in overrides.items():
        person = base[int(pid.strip("p"))]
        base[person.id] = Person(**{**person.__dict__, **fields})
    return base


def directory(owner=PRIYA, manager=PM, creator=CREATOR, ppl=None) -> Directory:
    task = Task(10, 14, "Q3 filing", NOW, project_id=20, owner_id=owner, creator_id=creator)
    return Directory(
        ppl or people(), {20: Project(20, "Acme", manager_id=manager)}, {10: task}
    )


def to(rule: str, severity=Severity.WARNING, d: Directory | None = None, kind=SubjectKind.TASK,
       subject_id: int = 10, level: int = 0, now: datetime = NOW) -> list[int]:
    d = d or directory()
    return [r.person_id for r in route(rule, severity, subject_of(kind, subject_id, d), d, now,
                                       level)]


@pytest.mark.parametrize("rule", ["task.stalled", "task.overdue", "task.behind_schedule",
                                  "task.missing_deadline", "recurring.missed"])
def test_owner_facing_rules_go_to_the_owner(rule):
    assert to(rule, Severity.WARNING) == [PRIYA]


def test_owner_facing_without_owner_goes_to_the_creator():
    assert to("task.missing_deadline", d=directory(owner=None)) == [CREATOR]


def test_owner_facing_with_nobody_goes_to_the_manager_then_admins():
    assert to("task.stalled", d=directory(owner=None, creator=None)) == [PM]
    assert to("task.stalled", d=directory(owner=None, creator=None, manager=None)) == [ADA]


@pytest.mark.parametrize("rule", ["task.missing_owner", "task.owner_unavailable",
                                  "recurring.repeat_failure"])
def test_manager_facing_rules_go_to_the_project_manager(rule):
    assert to(rule) == [PM]


def test_manager_facing_without_project_manager_goes_to_reports_to():
    assert to("task.owner_unavailable", d=directory(manager=None)) == [BOSS]  # Priya's manager
    # No owner: the creator's manager.
    assert to("task.missing_owner", d=directory(owner=None, manager=None)) == [BOSS]


def test_person_rules_go_to_their_manager():
    assert to("person.overloaded", kind=SubjectKind.PERSON, subject_id=PRIYA) == [BOSS]
    assert to("person.inactive", kind=SubjectKind.PERSON, subject_id=SAM) == [ADA]  # no manager


def test_missing_manager_goes_to_admins():
    ppl = people(p5={"role": Role.ADMIN})
    d = Directory(ppl, {20: Project(20, "Acme")})
    assert to("project.missing_manager", d=d, kind=SubjectKind.PROJECT, subject_id=20) == [
        ADA, SAM]


def test_critical_goes_to_owner_and_project_manager_at_once():
    assert to("task.overdue", Severity.CRITICAL) == [PRIYA, PM]
    assert to("task.missing_owner", Severity.CRITICAL, directory(owner=None)) == [PM]


def test_out_of_office_goes_to_the_backup():
    away = people(p4={"ooo_from": NOW - timedelta(days=1), "ooo_until": NOW + timedelta(days=3),
                      "backup_id": BACKUP})
    d = directory(ppl=away)
    routes = route("task.stalled", Severity.WARNING, subject_of(SubjectKind.TASK, 10, d), d, NOW)
    assert routes == [Route(BACKUP, instead_of=PRIYA)]
    # Back from holiday: Priya again.
    assert to("task.stalled", d=d, now=NOW + timedelta(days=4)) == [PRIYA]


def test_out_of_office_without_usable_backup_keeps_the_person():
    away = people(p4={"ooo_until": NOW + timedelta(days=3)})
    assert to("task.stalled", d=directory(ppl=away)) == [PRIYA]
    both = people(p4={"ooo_until": NOW + timedelta(days=3), "backup_id": BACKUP},
                  p7={"ooo_until": NOW + timedelta(days=3)})
    assert to("task.stalled", d=directory(ppl=both)) == [PRIYA]


def test_backup_already_a_recipient_is_not_told_twice():
    away = people(p4={"ooo_until": NOW + timedelta(days=3), "backup_id": PM})
    assert to("task.overdue", Severity.CRITICAL, directory(ppl=away)) == [PM]


def test_inactive_recipient_goes_to_backup_else_manager():
    gone = people(p4={"active": False})
    assert to("task.stalled", d=directory(ppl=gone)) == [BOSS]


def test_escalation_ladder_levels():
    assert to("task.stalled", level=1) == [PM, BOSS]  # project manager + owner's manager
    assert to("task.stalled", level=2) == [ADA]  # next up the owner's chain
    assert to("task.stalled", level=3) == []  # nobody further: the ladder ends


def test_ladder_without_owner_chain_climbs_from_the_project_manager():
    d = directory(owner=SAM)  # Sam reports to nobody
    assert to("task.stalled", d=d, level=1) == [PM]
    assert to("task.stalled", d=d, level=2) == [BOSS]
    assert to("task.stalled", d=d, level=3) == [ADA]


def test_reporting_cycle_does_not_loop():
    loop = people(p2={"reports_to_id": PRIYA})
    d = directory(ppl=loop)
    assert to("task.stalled", d=d, level=2) == []


def test_project_violations_do_not_climb():
    d = Directory(people(), {20: Project(20, "Acme")})
    assert route("project.missing_manager", Severity.WARNING,
                 Subject(SubjectKind.PROJECT, 20, project_id=20), d, NOW, level=1) == []


def test_the_admins_are_read_once_per_directory_however_many_problems_are_routed():
    calls: list[int] = []

    def find_admins() -> list[int]:
        calls.append(1)
        return [ADA]

    task = Task(10, 14, "Q3 filing", NOW, project_id=20, owner_id=None, creator_id=None)
    d = Directory(people(), {20: Project(20, "Acme", manager_id=None)}, {10: task},
                  find_admins=find_admins)
    for _ in range(50):
        assert to("project.missing_manager", d=d, kind=SubjectKind.PROJECT, subject_id=20) == [ADA]
    assert len(calls) == 1
