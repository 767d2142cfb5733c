"""Columns and indexes that let the scheduled jobs read only what is due.

* ``violations.next_escalation_at``: the earliest instant the escalation
  ladder must look at a firing row again; firing rows start at their
  ``fired_at`` so the first ladder pass after the upgrade looks at each once.
* ``people.next_digest_at``: when the person's next morning digest is due
  (NULL: worked out on the next digest pass).
* ``tasks.next_check_at`` and ``people.next_check_at`` alone: which
  workspaces have anything due, without visiting every workspace.
* ``tasks (workspace_id) WHERE recurrence IS NOT NULL``: the recurring work
  the tick materialises, without reading every task.
* ``people (workspace_id, reports_to_id)``: a person's reports without listing
  everyone.

Revision ID: i18_scale
Revises: i12_capture_drafts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i18_scale"
down_revision: str | None = "i12_capture_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("violations") as batch:
        batch.add_column(sa.Column("next_escalation_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE violations SET next_escalation_at = fired_at WHERE state = 'firing'"
    )
    op.create_index(
        "ix_violations_workspace_escalation", "violations", ["workspace_id", "next_escalation_at"]
    )
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("next_digest_at", sa.DateTime(timezone=True)))
    op.create_index("ix_people_next_check", "people", ["next_check_at"])
    op.create_index("ix_people_workspace_next_digest", "people", ["workspace_id", "next_digest_at"])
    op.create_index("ix_people_workspace_reports_to", "people", ["workspace_id", "reports_to_id"])
    op.create_index("ix_tasks_next_check", "tasks", ["next_check_at"])
    where = sa.text("recurrence IS NOT NULL")
    op.create_index(
        "ix_tasks_obligations", "tasks", ["workspace_id"], sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_obligations", "tasks")
    op.drop_index("ix_tasks_next_check", "tasks")
    op.drop_index("ix_people_workspace_reports_to", "people")
    op.drop_index("ix_people_workspace_next_digest", "people")
    op.drop_index("ix_people_next_check", "people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("next_digest_at")
    op.drop_index("ix_violations_workspace_escalation", "violations")
    with op.batch_alter_table("violations") as batch:
        batch.drop_column("next_escalation_at")
