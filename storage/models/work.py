"""The work: projects, tasks, their dependencies and their activity log."""

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
    OBLIGATIONS_ONLY,
    PROOF_KINDS,
    STATUSES,
    UNOWNED_ONLY,
    Base,
    one_of,
    person_fk,
    workspace_fk,
)
from storage.types import UTCDateTime


class ProjectRow(Base):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_workspace_id", "workspace_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    manager_id: Mapped[int | None] = person_fk()
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(one_of("proof_required", PROOF_KINDS), name="proof_required"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint("priority >= 1 AND priority <= 4", name="priority"),
        Index("ix_tasks_workspace_next_check", "workspace_id", "next_check_at"),
        Index("ix_tasks_next_check", "next_check_at"),
        # Recurring work is rare: the tick finds it without reading every task.
        Index(
            "ix_tasks_obligations",
            "workspace_id",
            sqlite_where=OBLIGATIONS_ONLY,
            postgresql_where=OBLIGATIONS_ONLY,
        ),
        # Covering for an owner's portfolio (``storage.repositories.portfolios``).
        Index("ix_tasks_workspace_owner", "workspace_id", "owner_id", "status", "recurrence",
              "due", "project_id", "last_activity_at", "created_at"),
        # "Waiting for an owner (you created these)" in every digest and Home: the
        # creator's unowned work, not every unowned task (20,000 at 1M tasks).
        Index(
            "ix_tasks_unowned_by_creator",
            "workspace_id",
            "creator_id",
            sqlite_where=UNOWNED_ONLY,
            postgresql_where=UNOWNED_ONLY,
        ),
        Index("ix_tasks_workspace_project", "workspace_id", "project_id"),
        Index("ix_tasks_parent_id", "parent_id"),
        Index("ix_tasks_occurrence_of", "occurrence_of"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = person_fk()
    creator_id: Mapped[int | None] = person_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="todo")
    status_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, server_default="3")
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recurrence: Mapped[str | None] = mapped_column(String(500))
    proof_required: Mapped[str] = mapped_column(String(8), nullable=False, server_default="none")
    proof: Mapped[str | None] = mapped_column(Text)
    occurrence_of: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    backup_id: Mapped[int | None] = person_fk()
    window: Mapped[str | None] = mapped_column(String(32))
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The derived task rules (verdicts about other tasks' verdicts): they do not make a
# task count as at risk for its owner. The triggers of i25_task_risk list them too.
DERIVED_TASK_RULES = ("task.dependency_at_risk", "task.subtask_at_risk")


class TaskRiskRow(Base):
    """How many firing warning or critical violations of a base task rule a task has.

    What an owner's portfolio reads to tell whether a task is at risk (one
    small row, not a probe of the violations index). Kept by triggers on
    ``violations`` in the transaction of each write (migration i25_task_risk);
    rows stay at ``n = 0``. No foreign key: a deleted task's row is harmless.
    """

    __tablename__ = "task_risk"
    __table_args__ = {"sqlite_with_rowid": False}

    workspace_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    task_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class TaskDependencyRow(Base):
    __tablename__ = "task_dependencies"
    __table_args__ = (Index("ix_task_dependencies_depends_on_id", "depends_on_id"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )


class ActivityRow(Base):
    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_workspace_task", "workspace_id", "task_id"),
        Index("ix_activity_task_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = person_fk()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    human: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())


