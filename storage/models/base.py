"""What every table of the schema shares: the declarative base, its constraint
naming convention, the allowed values of the checked columns and the partial-index
predicates."""

from __future__ import annotations

from sqlalchemy import ForeignKey, MetaData, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "manager", "member")
STATUSES = ("todo", "in_progress", "blocked", "in_review", "done", "cancelled")
PROOF_KINDS = ("none", "text", "photo", "link", "file")
SEVERITIES = ("info", "warning", "critical")
SUBJECT_KINDS = ("task", "person", "project")
VIOLATION_STATES = ("firing", "resolved")
NOTIFICATION_KINDS = ("alert", "resolved", "digest", "reply")
NOTIFICATION_STATUSES = ("pending", "sending", "sent", "failed")

FIRING_ONLY = text("state = 'firing'")
FIXED_ONLY = text("resolved_fix IS NOT NULL")
LADDERED_ONLY = text("next_escalation_at IS NOT NULL")
# Outbox rows still on their way (the gauges count these over an index; the
# sent and failed ones are tallied in outbox_tally by triggers, see i22_gauge_counts).
OPEN_ONLY = text("status IN ('pending', 'sending')")
# Digests on their way: the dispatcher claims these first (i24_digest_first).
OPEN_DIGESTS_ONLY = text("kind = 'digest' AND status IN ('pending', 'sending')")
OBLIGATIONS_ONLY = text("recurrence IS NOT NULL")
UNOWNED_ONLY = text("owner_id IS NULL")


def one_of(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def workspace_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)


def person_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
