"""Initial schema: workspaces, people, identities, projects, tasks, dependencies,
activity, violations, notifications.

Written by hand to match storage/models/ (tests/storage/test_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: 0001
Revises:
Create Date: 2025-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRING_ONLY = sa.text("state = 'firing'")


def _instant(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _workspace_id(table: str) -> sa.Column:
    return sa.Column(
        "workspace_id",
        sa.Integer(),
        sa.ForeignKey(
            "workspaces.id", ondelete="CASCADE", name=f"fk_{table}_workspace_id_workspaces"
        ),
        nullable=False,
    )


def _person(table: str, name: str, ondelete: str = "SET NULL", nullable: bool = True) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("people.id", ondelete=ondelete, name=f"fk_{table}_{name}_people"),
        nullable=nullable,
    )


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "workspaces",
        _id(),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("day_start", sa.Time(), nullable=False),
        sa.Column("day_end", sa.Time(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("next_task_number", sa.Integer(), nullable=False, server_default="1"),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspaces"),
        sa.UniqueConstraint("key", name="uq_workspaces_key"),
    )

    op.create_table(
        "people",
        _id(),
        _workspace_id("people"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("handle", sa.String(100), nullable=True),
        sa.Column("role", sa.String(16), nullable=False, server_default="member"),
        _person("people", "reports_to_id"),
        sa.Column("tz", sa.String(64), nullable=True),
        sa.Column("work_start", sa.Time(), nullable=True),
        sa.Column("work_end", sa.Time(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _instant("ooo_from"),
        _instant("ooo_until"),
        _person("people", "backup_id"),
        _instant("next_check_at"),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.CheckConstraint(_one_of("role", ("admin", "manager", "member")), name="ck_people_role"),
    )
    op.create_index(
        "ix_people_workspace_next_check", "people", ["workspace_id", "next_check_at"]
    )

    op.create_table(
        "identities",
        _id(),
        _workspace_id("identities"),
        _person("identities", "person_id", ondelete="CASCADE", nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_identities"),
        sa.UniqueConstraint(
            "workspace_id",
            "platform",
            "external_id",
            name="uq_identities_workspace_id_platform_external_id",
        ),
    )
    op.create_index("ix_identities_person_id", "identities", ["person_id"])

    op.create_table(
        "projects",
        _id(),
        _workspace_id("projects"),
        sa.Column("name", sa.String(200), nullable=False),
        _person("projects", "manager_id"),
        _instant("due"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
    )
    op.create_index("ix_projects_workspace_id", "projects", ["workspace_id"])

    op.create_table(
        "tasks",
        _id(),
        _workspace_id("tasks"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="SET NULL", name="fk_tasks_project_id_projects"),
            nullable=True,
        ),
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("tasks.id", ondelete="SET NULL", name="fk_tasks_parent_id_tasks"),
            nullable=True,
        ),
        _person("tasks", "owner_id"),
        _person("tasks", "creator_id"),
        _instant("created_at", nullable=False),
        _instant("start"),
        _instant("due"),
        sa.Column("progress", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status", sa.String(16), nullable=False, server_default="todo"),
        _instant("status_since"),
        sa.Column("blocked_reason", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="3"),
        _instant("last_progress_at"),
        _instant("last_activity_at"),
        _instant("completed_at"),
        sa.Column("recurrence", sa.String(500), nullable=True),
        sa.Column("proof_required", sa.String(8), nullable=False, server_default="none"),
        sa.Column("proof", sa.Text(), nullable=True),
        sa.Column(
            "occurrence_of",
            sa.Integer(),
            sa.ForeignKey("tasks.id", ondelete="CASCADE", name="fk_tasks_occurrence_of_tasks"),
            nullable=True,
        ),
        _person("tasks", "backup_id"),
        sa.Column("window", sa.String(32), nullable=True),
        _instant("next_check_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
        sa.UniqueConstraint("workspace_id", "number", name="uq_tasks_workspace_id_number"),
        sa.CheckConstraint(
            _one_of(
                "status", ("todo", "in_progress", "blocked", "in_review", "done", "cancelled")
            ),
            name="ck_tasks_status",
        ),
        sa.CheckConstraint(
            _one_of("proof_required", ("none", "text", "photo", "link", "file")),
            name="ck_tasks_proof_required",
        ),
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="ck_tasks_progress"),
        sa.CheckConstraint("priority >= 1 AND priority <= 4", name="ck_tasks_priority"),
    )
    op.create_index("ix_tasks_workspace_next_check", "tasks", ["workspace_id", "next_check_at"])
    op.create_index("ix_tasks_workspace_owner", "tasks", ["workspace_id", "owner_id"])
    op.create_index("ix_tasks_workspace_project", "tasks", ["workspace_id", "project_id"])
    op.create_index("ix_tasks_parent_id", "tasks", ["parent_id"])
    op.create_index("ix_tasks_occurrence_of", "tasks", ["occurrence_of"])

    op.create_table(
        "task_dependencies",
        sa.Column(
            "task_id",
            sa.Integer(),
            sa.ForeignKey(
                "tasks.id", ondelete="CASCADE", name="fk_task_dependencies_task_id_tasks"
            ),
            nullable=False,
        ),
        sa.Column(
            "depends_on_id",
            sa.Integer(),
            sa.ForeignKey(
                "tasks.id", ondelete="CASCADE", name="fk_task_dependencies_depends_on_id_tasks"
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("task_id", "depends_on_id", name="pk_task_dependencies"),
    )
    op.create_index(
        "ix_task_dependencies_depends_on_id", "task_dependencies", ["depends_on_id"]
    )

    op.create_table(
        "activity",
        _id(),
        _workspace_id("activity"),
        sa.Column(
            "task_id",
            sa.Integer(),
            sa.ForeignKey("tasks.id", ondelete="CASCADE", name="fk_activity_task_id_tasks"),
            nullable=True,
        ),
        _person("activity", "actor_id"),
        _instant("at", nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("human", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint("id", name="pk_activity"),
    )
    op.create_index("ix_activity_workspace_task", "activity", ["workspace_id", "task_id"])
    op.create_index("ix_activity_task_id", "activity", ["task_id"])

    op.create_table(
        "violations",
        _id(),
        _workspace_id("violations"),
        sa.Column("fingerprint", sa.String(300), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(64), nullable=True),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("fixes", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="firing"),
        _instant("fired_at", nullable=False),
        _instant("resolved_at"),
        sa.Column("resolution", sa.Text(), nullable=True),
        _person("violations", "resolved_by_id"),
        sa.Column("resolved_fix", sa.String(64), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False, server_default="0"),
        _instant("level_changed_at"),
        _person("violations", "acked_by_id"),
        _instant("acked_at"),
        _instant("snoozed_until"),
        _instant("severity_changed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_violations"),
        sa.CheckConstraint(_one_of("state", ("firing", "resolved")), name="ck_violations_state"),
        sa.CheckConstraint(
            _one_of("severity", ("info", "warning", "critical")), name="ck_violations_severity"
        ),
        sa.CheckConstraint(
            _one_of("subject_kind", ("task", "person", "project")),
            name="ck_violations_subject_kind",
        ),
    )
    op.create_index(
        "uq_violations_firing_fingerprint",
        "violations",
        ["workspace_id", "fingerprint"],
        unique=True,
        sqlite_where=FIRING_ONLY,
        postgresql_where=FIRING_ONLY,
    )
    op.create_index("ix_violations_workspace_state", "violations", ["workspace_id", "state"])
    op.create_index(
        "ix_violations_workspace_subject",
        "violations",
        ["workspace_id", "subject_kind", "subject_id"],
    )
    op.create_index(
        "ix_violations_workspace_rule", "violations", ["workspace_id", "rule_id", "fired_at"]
    )

    op.create_table(
        "notifications",
        _id(),
        _workspace_id("notifications"),
        _person("notifications", "recipient_id", ondelete="CASCADE", nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedup_key", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        _instant("next_attempt_at"),
        _instant("sent_at"),
        sa.Column("platform_ref", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "violation_id",
            sa.Integer(),
            sa.ForeignKey(
                "violations.id", ondelete="SET NULL", name="fk_notifications_violation_id_violations"
            ),
            nullable=True,
        ),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint(
            "workspace_id", "dedup_key", name="uq_notifications_workspace_id_dedup_key"
        ),
        sa.CheckConstraint(
            _one_of("kind", ("alert", "resolved", "digest", "reply")), name="ck_notifications_kind"
        ),
        sa.CheckConstraint(
            _one_of("status", ("pending", "sending", "sent", "failed")),
            name="ck_notifications_status",
        ),
    )
    op.create_index(
        "ix_notifications_status_next_attempt", "notifications", ["status", "next_attempt_at"]
    )
    op.create_index("ix_notifications_violation_id", "notifications", ["violation_id"])


def downgrade() -> None:
    for table in (
        "notifications",
        "violations",
        "activity",
        "task_dependencies",
        "tasks",
        "projects",
        "identities",
        "people",
        "workspaces",
    ):
        op.drop_table(table)
