"""The lifecycle decision is a pure function of stored rows and findings."""

from datetime import UTC, datetime

from bot.lifecycle import ChangeKind, diff
from engine.model import Severity, SubjectKind, Violation
from storage.records import ViolationRecord

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def found(rule: str, subject: int, severity: Severity, text: str = "x") -> Violation:
    return Violation(rule, SubjectKind.TASK, subject, severity, text)


def stored(v: Violation, row_id: int = 1) -> ViolationRecord:
    fields = {name: None for name in ViolationRecord.__dataclass_fields__}
    fields.update(
        id=row_id,
        workspace_id=1,
        fingerprint=v.fingerprint,
        rule_id=v.rule_id,
        subject_kind=v.subject_kind.value,
        subject_id=v.subject_id,
        stage=v.stage,
        severity=v.severity.value,
        explanation=v.explanation,
        fixes=[],
        state="firing",
        fired_at=AT,
        level=0,
    )
    return ViolationRecord(**fields)


def test_new_finding_fires():
    v = found("task.overdue", 1, Severity.CRITICAL)
    assert [c.kind for c in diff([], [v])] == [ChangeKind.FIRED]


def test_missing_finding_resolves():
    v = found("task.overdue", 1, Severity.CRITICAL)
    changes = diff([stored(v)], [])
    assert [c.kind for c in changes] == [ChangeKind.RESOLVED]
    assert changes[0].stored is not None and changes[0].stored.fingerprint == v.fingerprint


def test_severity_change_is_its_own_event():
    before = found("task.stalled", 1, Severity.WARNING)
    after = found("task.stalled", 1, Severity.CRITICAL)
    assert [c.kind for c in diff([stored(before)], [after])] == [ChangeKind.SEVERITY]


def test_new_numbers_only_reword():
    before = found("task.overdue", 1, Severity.CRITICAL, "1 day late")
    after = found("task.overdue", 1, Severity.CRITICAL, "2 days late")
    assert [c.kind for c in diff([stored(before)], [after])] == [ChangeKind.REWORDED]


def test_unchanged_finding_is_silent():
    v = found("task.overdue", 1, Severity.CRITICAL)
    assert diff([stored(v)], [v]) == []


def test_changes_are_ordered_by_fingerprint():
    a = found("task.overdue", 2, Severity.CRITICAL)
    b = found("task.missing_owner", 1, Severity.WARNING)
    c = found("task.stalled", 3, Severity.WARNING)
    assert [ch.fingerprint for ch in diff([stored(c)], [a, b])] == sorted(
        [a.fingerprint, b.fingerprint, c.fingerprint]
    )
