"""SQLAlchemy 2 declarative models: the schema of one Vigil database.

Every table but ``workspaces``, ``task_dependencies``, ``seen_events`` and
slack_sdk's ``slack_*`` tables carries ``workspace_id``; repositories scope
every query by it. Instants are ``UTCDateTime`` (aware UTC in, aware UTC out).
The migrations in ``migrations/versions`` mirror this file by hand;
``tests/storage/test_storage_migrations.py`` checks parity.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import expression

from storage.types import UTCDateTime

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
OBLIGATIONS_ONLY = text("recurrence IS NOT NULL")
UNOWNED_ONLY = text("owner_id IS NULL")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _ws_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)


def _person_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    tz: Mapped[str] = mapped_column(String(64), nullable=False, server_default="UTC")
    workdays: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    day_start: Mapped[time] = mapped_column(Time, nullable=False)
    day_end: Mapped[time] = mapped_column(Time, nullable=False)
    holidays: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    next_task_number: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Set while the platform chat behind the workspace removed Vigil (a Telegram group
    # kicked the bot): scheduled notices stop, nothing is deleted, re-adding clears it.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES), name="role"),
        Index("ix_people_workspace_next_check", "workspace_id", "next_check_at"),
        Index("ix_people_next_check", "next_check_at"),
        Index("ix_people_workspace_next_digest", "workspace_id", "next_digest_at"),
        Index("ix_people_workspace_reports_to", "workspace_id", "reports_to_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    handle: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), nullable=False, server_default="member")
    reports_to_id: Mapped[int | None] = _person_fk()
    tz: Mapped[str | None] = mapped_column(String(64))
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())
    ooo_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ooo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    backup_id: Mapped[int | None] = _person_fk()
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # When this person's next morning digest is due (None: not yet worked out;
    # bot.notify.digest keeps it), so the digest job reads only who is due.
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Local time of this person's morning digest (``settings me digest 08:30``); None: the
    # workspace's digest.time.
    digest_time: Mapped[time | None] = mapped_column(Time)


class IdentityRow(Base):
    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "external_id"),
        Index("ix_identities_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    external_id: Mapped[str] = mapped_column(String(128), nullable=False)


class ProjectRow(Base):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_workspace_id", "workspace_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    manager_id: Mapped[int | None] = _person_fk()
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("proof_required", PROOF_KINDS), name="proof_required"),
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
        Index("ix_tasks_workspace_owner", "workspace_id", "owner_id"),
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
    workspace_id: Mapped[int] = _ws_fk()
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = _person_fk()
    creator_id: Mapped[int | None] = _person_fk()
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
    backup_id: Mapped[int | None] = _person_fk()
    window: Mapped[str | None] = mapped_column(String(32))
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
    workspace_id: Mapped[int] = _ws_fk()
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = _person_fk()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    human: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())


class ViolationRow(Base):
    __tablename__ = "violations"
    __table_args__ = (
        CheckConstraint(_one_of("state", VIOLATION_STATES), name="state"),
        CheckConstraint(_one_of("severity", SEVERITIES), name="severity"),
        CheckConstraint(_one_of("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        # At most one firing row per fingerprint; resolved history rows stay.
        Index(
            "uq_violations_firing_fingerprint",
            "workspace_id",
            "fingerprint",
            unique=True,
            sqlite_where=FIRING_ONLY,
            postgresql_where=FIRING_ONLY,
        ),
        Index("ix_violations_workspace_state", "workspace_id", "state"),
        Index("ix_violations_workspace_subject", "workspace_id", "subject_kind", "subject_id"),
        Index("ix_violations_workspace_rule", "workspace_id", "rule_id", "fired_at"),
        Index("ix_violations_workspace_escalation", "workspace_id", "next_escalation_at"),
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
    workspace_id: Mapped[int] = _ws_fk()
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
    resolved_by_id: Mapped[int | None] = _person_fk()
    resolved_fix: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    level_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by_id: Mapped[int | None] = _person_fk()
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
        CheckConstraint(_one_of("kind", NOTIFICATION_KINDS), name="kind"),
        CheckConstraint(_one_of("status", NOTIFICATION_STATUSES), name="status"),
        Index("ix_notifications_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_notifications_violation_id", "violation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))


class QuestionRow(Base):
    """A question Vigil asked a person in one chat, waiting for their answer (issue #13).

    The person's next message in that chat answers it (a date, a person, a reason)
    until ``expires_at``; its buttons name it by id, so a button of a question
    that was replaced or answered says it has expired.
    """

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_asker", "workspace_id", "person_id", "chat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = _ws_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    chat: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ChatTopicRow(Base):
    """The task a person last talked about in one chat: what "it" means in their next message.

    One row per person and chat, replaced by each reply about a task; read only while
    fresh (see ``storage.repositories.topics``), so an old topic never answers for "it".
    """

    __tablename__ = "chat_topics"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    chat: Mapped[str] = mapped_column(String(200), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                         nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class SeenEventRow(Base):
    """A platform event already handled (Slack retries carry the same event id)."""

    __tablename__ = "seen_events"
    __table_args__ = (Index("ix_seen_events_created_at", "created_at"),)

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class CaptureDraftRow(Base):
    """What a person asked for while Vigil waits for one tap to confirm it (issue #12).

    A task captured without a verb ("call the Acme CFO") or a date whose year is
    in doubt: the buttons carry only this row's id (Telegram allows 64 bytes).
    """

    __tablename__ = "capture_drafts"
    __table_args__ = (Index("ix_capture_drafts_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = _ws_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    intent: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


# -- slack_sdk's OAuth stores --------------------------------------------------
# ``SQLAlchemyInstallationStore`` and ``SQLAlchemyOAuthStateStore`` read and
# write these tables themselves; they are declared here (copied from slack_sdk's
# ``build_*_table``) so that migrations, not ``create_tables()``, create them.
# tests/storage/test_storage_migrations.py compares them with slack_sdk's own.


def _slack_common_columns() -> list[Column[Any]]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


slack_installations = Table(
    "slack_installations",
    Base.metadata,
    *_slack_common_columns(),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(
        "slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    Base.metadata,
    *_slack_common_columns(),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)

SLACK_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")

workspaces = cast(Table, WorkspaceRow.__table__)
people = cast(Table, PersonRow.__table__)
identities = cast(Table, IdentityRow.__table__)
projects = cast(Table, ProjectRow.__table__)
tasks = cast(Table, TaskRow.__table__)
task_dependencies = cast(Table, TaskDependencyRow.__table__)
activity = cast(Table, ActivityRow.__table__)
violations = cast(Table, ViolationRow.__table__)
notifications = cast(Table, NotificationRow.__table__)
home_refresh = cast(Table, HomeRefreshRow.__table__)
rechecks = cast(Table, RecheckRow.__table__)
seen_events = cast(Table, SeenEventRow.__table__)
capture_drafts = cast(Table, CaptureDraftRow.__table__)
questions = cast(Table, QuestionRow.__table__)
chat_topics = cast(Table, ChatTopicRow.__table__)
