"""What Vigil found and says: violations, the outbox of notices, Home refreshes
and the rechecks a tick left for later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import expression

from storage.models.base import (
    FIRING_ONLY,
    FIXED_ONLY,
    LADDERED_ONLY,
    NOTIFICATION_KINDS,
    NOTIFICATION_STATUSES,
    OPEN_DIGESTS_ONLY,
    SEVERITIES,
    SUBJECT_KINDS,
    VIOLATION_STATES,
    Base,
    one_of,
    person_fk,
    workspace_fk,
)
from storage.types import UTCDateTime


class ViolationRow(Base):
    __tablename__ = "violations"
    __table_args__ = (
        CheckConstraint(one_of("state", VIOLATION_STATES), name="state"),
        CheckConstraint(one_of("severity", SEVERITIES), name="severity"),
        CheckConstraint(one_of("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        # At most one firing row per fingerprint; resolved history rows stay.
        Index(
            "uq_violations_firing_fingerprint",
            "workspace_id",
            "fingerprint",
            unique=True,
            sqlite_where=FIRING_ONLY,
            postgresql_where=FIRING_ONLY,
        ),
        # The firing rows of some subjects (every tick and change reads them), a
        # workspace's firing rows (reports, orphans), and the firing gauge's counts
        # by rule and severity (covering: ``state`` in it so SQLite sees that) — one
        # partial index since i23_lean_indexes, where three were written before; a
        # resolved row leaves it, so it follows what fires, not the history.
        Index(
            "ix_violations_firing_subject",
            "workspace_id",
            "subject_kind",
            "subject_id",
            "rule_id",
            "severity",
            "state",
            sqlite_where=FIRING_ONLY,
            postgresql_where=FIRING_ONLY,
        ),
        # History by rule, and any read of a workspace's rows firing or resolved.
        Index("ix_violations_workspace_rule", "workspace_id", "rule_id", "fired_at"),
        # The escalation ladder's due rows: only rows with a next escalation (a
        # resolution clears it, so history never enters this index).
        Index(
            "ix_violations_workspace_escalation",
            "workspace_id",
            "next_escalation_at",
            sqlite_where=LADDERED_ONLY,
            postgresql_where=LADDERED_ONLY,
        ),
        # Reliability scores read only the rows a fix resolved.
        Index(
            "ix_violations_fixed",
            "workspace_id",
            "rule_id",
            sqlite_where=FIXED_ONLY,
            postgresql_where=FIXED_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    fingerprint: Mapped[str] = mapped_column(String(300), nullable=False)
    rule_id: Mapped[str] = mapped_column(String(64), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    subject_id: Mapped[int] = mapped_column(Integer, nullable=False)
    stage: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16), nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False)
    fixes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, server_default="firing")
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = person_fk()
    resolved_fix: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    level_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by_id: Mapped[int | None] = person_fk()
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    severity_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The earliest instant the escalation ladder must look at this row again
    # (None: never; bot.notify.escalation.escalate keeps it), so the ladder reads
    # only the rows whose time has come.
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationRow(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("workspace_id", "dedup_key"),
        CheckConstraint(one_of("kind", NOTIFICATION_KINDS), name="kind"),
        CheckConstraint(one_of("status", NOTIFICATION_STATUSES), name="status"),
        # The dispatcher's due rows (status, next attempt), and the outbox gauge's
        # count of the rows on their way by platform, covering (one index since
        # i23_lean_indexes; a notice was written to both before).
        Index("ix_notifications_status_next_attempt", "status", "next_attempt_at", "platform"),
        # The digests on their way, by next attempt: the dispatcher claims them ahead
        # of the alerts quiet hours held (i24_digest_first). Partial, so an alert
        # writes nothing to it and a sent digest leaves it.
        Index("ix_notifications_digest_due", "kind", "next_attempt_at", "id",
              sqlite_where=OPEN_DIGESTS_ONLY, postgresql_where=OPEN_DIGESTS_ONLY),
        Index("ix_notifications_violation_id", "violation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    dedup_key: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    platform_ref: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    violation_id: Mapped[int | None] = mapped_column(
        ForeignKey("violations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The dispatcher pass holding the row while ``sending`` (fencing token).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # The last attempt may have reached the platform (lost answer, expired lease).
    in_doubt: Mapped[bool] = mapped_column(
        Boolean, nullable=False, server_default=expression.false()
    )
    # Age for giving up counts from here (``vigil notices retry`` restarts it).
    attempts_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxTallyRow(Base):
    """How many outbox rows are ``sent`` / ``failed``, per platform (the gauge's totals).

    Kept by triggers on ``notifications`` in the transaction of each insert,
    status change and delete (migration i22_gauge_counts), spread over
    ``slot`` (the row id modulo 8) so concurrent writers rarely update one
    counter row; a reader sums the slots.
    """

    __tablename__ = "outbox_tally"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class HomeRefreshRow(Base):
    """A person whose Home (Slack App Home) no longer shows their current tasks.

    One row per person, upserted in the transaction of the change; ``version``
    grows with every mark so the publisher clears only what it published.
    """

    __tablename__ = "home_refresh"
    __table_args__ = (Index("ix_home_refresh_due_at", "due_at"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    workspace_id: Mapped[int] = workspace_fk()
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    dirty_since: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class RecheckRow(Base):
    """A task or person to decide again: a neighbour's verdict moved while another
    transaction held its row (PostgreSQL ticks, ``bot.tick_rounds._decide_due``).

    Written in the transaction of the move, so it lands exactly when the moved
    verdict does; the tick's next batch of the subject's shard decides it and
    deletes the row. Exactly one of ``task_id`` and ``person_id`` is set.
    """

    __tablename__ = "rechecks"
    __table_args__ = (Index("ix_rechecks_workspace_id", "workspace_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = workspace_fk()
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))


