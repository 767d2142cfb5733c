"""Fewer index writes per violation and notice: merged and partial indexes.

Every violation a tick fires was written to seven indexes (the primary key,
the firing fingerprint, (workspace, state), (workspace, subject), (workspace,
rule, fired at), (workspace, next escalation) and the firing gauge's (rule,
severity, state)), every resolution rewrote four, and every notice went to
five. What the queries need (docs/scale.md, "Fewer index writes a due task"):

* ``ix_violations_firing_subject (workspace_id, subject_kind, subject_id,
  rule_id, severity, state) WHERE state = 'firing'`` replaces
  ``ix_violations_workspace_state``, ``ix_violations_workspace_subject`` and
  ``ix_violations_firing_rule_severity``: every reader of those reads firing
  rows only (a subject's, a workspace's, the gauge's counts: covering).
* ``ix_violations_workspace_escalation`` becomes partial (``next_escalation_at
  IS NOT NULL``): a resolution clears the instant, so history leaves it.
* ``ix_notifications_status_next_attempt`` gains ``platform`` and replaces
  ``ix_notifications_open_platform`` (the outbox gauge counts the rows on
  their way from it alone, covering).

Indexes only: no table is rebuilt, so the outbox tally triggers of
i22_gauge_counts stay as they are (PostgreSQL's statistics are refreshed by
``storage.db.upgrade`` after every migration run).

Revision ID: i23_lean_indexes
Revises: i22_gauge_counts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i23_lean_indexes"
down_revision: str | None = "i22_gauge_counts"
branch_labels = None
depends_on = None

FIRING_ONLY = sa.text("state = 'firing'")
LADDERED_ONLY = sa.text("next_escalation_at IS NOT NULL")
OPEN_ONLY = sa.text("status IN ('pending', 'sending')")
FIRING_SUBJECT = ["workspace_id", "subject_kind", "subject_id", "rule_id", "severity", "state"]


def upgrade() -> None:
    op.create_index("ix_violations_firing_subject", "violations", FIRING_SUBJECT,
                    sqlite_where=FIRING_ONLY, postgresql_where=FIRING_ONLY)
    op.drop_index("ix_violations_workspace_state", "violations")
    op.drop_index("ix_violations_workspace_subject", "violations")
    op.drop_index("ix_violations_firing_rule_severity", "violations")
    op.drop_index("ix_violations_workspace_escalation", "violations")
    op.create_index("ix_violations_workspace_escalation", "violations",
                    ["workspace_id", "next_escalation_at"],
                    sqlite_where=LADDERED_ONLY, postgresql_where=LADDERED_ONLY)
    op.drop_index("ix_notifications_status_next_attempt", "notifications")
    op.create_index("ix_notifications_status_next_attempt", "notifications",
                    ["status", "next_attempt_at", "platform"])
    op.drop_index("ix_notifications_open_platform", "notifications")


def downgrade() -> None:
    op.create_index("ix_notifications_open_platform", "notifications", ["status", "platform"],
                    sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY)
    op.drop_index("ix_notifications_status_next_attempt", "notifications")
    op.create_index("ix_notifications_status_next_attempt", "notifications",
                    ["status", "next_attempt_at"])
    op.drop_index("ix_violations_workspace_escalation", "violations")
    op.create_index("ix_violations_workspace_escalation", "violations",
                    ["workspace_id", "next_escalation_at"])
    op.create_index("ix_violations_firing_rule_severity", "violations",
                    ["rule_id", "severity", "state"],
                    sqlite_where=FIRING_ONLY, postgresql_where=FIRING_ONLY)
    op.create_index("ix_violations_workspace_subject", "violations",
                    ["workspace_id", "subject_kind", "subject_id"])
    op.create_index("ix_violations_workspace_state", "violations", ["workspace_id", "state"])
    op.drop_index("ix_violations_firing_subject", "violations")
