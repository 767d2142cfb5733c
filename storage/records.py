"""Plain frozen records the repositories return besides the engine's dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.model import Fix, Severity, SubjectKind, Violation, WorkCalendar


@dataclass(frozen=True)
class WorkspaceRecord:
    """One workspace (tenant) with its calendar and rule settings."""

    id: int
    key: str
    name: str
    calendar: WorkCalendar
    settings: dict[str, Any]
    created_at: datetime
    paused_at: datetime | None = None  # the platform removed Vigil; scheduled notices stop


@dataclass(frozen=True)
class IdentityRecord:
    """A person's account on one platform (Slack user id, Telegram user id...)."""

    id: int
    workspace_id: int
    person_id: int
    platform: str
    external_id: str


@dataclass(frozen=True)
class ActivityRecord:
    """One entry of the append-only activity log."""

    id: int
    workspace_id: int
    task_id: int | None
    actor_id: int | None
    at: datetime
    kind: str
    before: Any = None
    after: Any = None
    human: bool = True


@dataclass(frozen=True)
class ViolationRecord:
    """A stored violation: the engine's verdict plus its lifecycle columns."""

    id: int
    workspace_id: int
    fingerprint: str
    rule_id: str
    subject_kind: str
    subject_id: int
    stage: str | None
    severity: str
    explanation: str
    fixes: list[dict[str, Any]] = field(default_factory=list)
    state: str = "firing"
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str | None = None
    resolved_by_id: int | None = None
    resolved_fix: str | None = None
    level: int = 0
    level_changed_at: datetime | None = None
    acked_by_id: int | None = None
    acked_at: datetime | None = None
    snoozed_until: datetime | None = None
    severity_changed_at: datetime | None = None
    next_escalation_at: datetime | None = None

    @property
    def is_firing(self) -> bool:
        return self.state == "firing"

    def to_violation(self) -> Violation:
        """The engine's view of this row (for diffing against a new evaluation)."""
        return Violation(
            rule_id=self.rule_id,
            subject_kind=SubjectKind(self.subject_kind),
            subject_id=self.subject_id,
            severity=Severity(self.severity),
            explanation=self.explanation,
            fixes=tuple(
                Fix(f["action"], f["label"], dict(f.get("args") or {})) for f in self.fixes
            ),
            stage=self.stage,
        )


@dataclass(frozen=True)
class NotificationRecord:
    """One outbox row."""

    id: int
    workspace_id: int
    recipient_id: int
    platform: str
    kind: str
    payload: dict[str, Any]
    dedup_key: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    platform_ref: str | None
    last_error: str | None
    violation_id: int | None
    created_at: datetime
    claim_token: str | None = None
    in_doubt: bool = False
    attempts_since: datetime | None = None


@dataclass(frozen=True)
class HomeMark:
    """A person whose Home must be published again, as a publisher claimed it.

    ``version`` is the mark's version when claimed: clearing it succeeds only
    when no change marked the person again meanwhile.
    """

    person_id: int
    workspace_id: int
    version: int
    dirty_since: datetime
    attempts: int = 0
