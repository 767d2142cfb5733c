"""SQLAlchemy 2 declarative models: the schema of one Vigil database.

Every table but ``workspaces``, ``task_dependencies``, ``seen_events`` and
slack_sdk's ``slack_*`` tables carries ``workspace_id``; repositories scope
every query by it. Instants are ``UTCDateTime`` (aware UTC in, aware UTC out).
The migrations in ``migrations/versions`` mirror these modules by hand;
``tests/storage/test_storage_migrations.py`` checks parity.

One module per concern (``base``, ``directory``, ``work``, ``alerts``,
``conversation``, ``slack``); this package names every table in one place, so
importing it registers the whole schema on ``Base.metadata`` — which
``create_tables()``, the migrations' environment and the parity test rely on.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from storage.models.alerts import (
    HomeRefreshRow,
    NotificationRow,
    OutboxTallyRow,
    RecheckRow,
    ViolationRow,
)
from storage.models.base import (
    FIRING_ONLY,
    FIXED_ONLY,
    NAMING_CONVENTION,
    NOTIFICATION_KINDS,
    NOTIFICATION_STATUSES,
    OBLIGATIONS_ONLY,
    OPEN_DIGESTS_ONLY,
    OPEN_ONLY,
    PROOF_KINDS,
    ROLES,
    SEVERITIES,
    STATUSES,
    SUBJECT_KINDS,
    UNOWNED_ONLY,
    VIOLATION_STATES,
    Base,
)
from storage.models.conversation import CaptureDraftRow, ChatTopicRow, QuestionRow, SeenEventRow
from storage.models.directory import IdentityRow, PersonRow, WorkspaceRow
from storage.models.slack import SLACK_TABLES, slack_bots, slack_installations, slack_oauth_states
from storage.models.work import (
    DERIVED_TASK_RULES,
    ActivityRow,
    ProjectRow,
    TaskDependencyRow,
    TaskRiskRow,
    TaskRow,
)

__all__ = [
    "DERIVED_TASK_RULES", "FIRING_ONLY", "FIXED_ONLY", "NAMING_CONVENTION", "NOTIFICATION_KINDS",
    "NOTIFICATION_STATUSES", "OBLIGATIONS_ONLY", "OPEN_DIGESTS_ONLY", "OPEN_ONLY", "PROOF_KINDS",
    "ROLES", "SEVERITIES", "SLACK_TABLES", "STATUSES", "SUBJECT_KINDS", "UNOWNED_ONLY",
    "VIOLATION_STATES",
    "ActivityRow", "Base", "CaptureDraftRow", "ChatTopicRow", "HomeRefreshRow", "IdentityRow",
    "NotificationRow", "OutboxTallyRow", "PersonRow", "ProjectRow", "QuestionRow", "RecheckRow",
    "SeenEventRow",
    "TaskDependencyRow", "TaskRiskRow", "TaskRow", "ViolationRow", "WorkspaceRow",
    "activity", "capture_drafts", "chat_topics", "home_refresh", "identities", "notifications",
    "outbox_tally",
    "people", "projects", "questions", "rechecks", "seen_events", "slack_bots",
    "slack_installations", "slack_oauth_states", "task_dependencies", "task_risk", "tasks",
    "violations",
    "workspaces",
]

workspaces = cast(Table, WorkspaceRow.__table__)
people = cast(Table, PersonRow.__table__)
identities = cast(Table, IdentityRow.__table__)
projects = cast(Table, ProjectRow.__table__)
tasks = cast(Table, TaskRow.__table__)
task_dependencies = cast(Table, TaskDependencyRow.__table__)
task_risk = cast(Table, TaskRiskRow.__table__)
activity = cast(Table, ActivityRow.__table__)
violations = cast(Table, ViolationRow.__table__)
notifications = cast(Table, NotificationRow.__table__)
home_refresh = cast(Table, HomeRefreshRow.__table__)
outbox_tally = cast(Table, OutboxTallyRow.__table__)
rechecks = cast(Table, RecheckRow.__table__)
seen_events = cast(Table, SeenEventRow.__table__)
capture_drafts = cast(Table, CaptureDraftRow.__table__)
questions = cast(Table, QuestionRow.__table__)
chat_topics = cast(Table, ChatTopicRow.__table__)
