"""rechecks: tasks and people a PostgreSQL tick batch hands to the next batch of
their shard (a neighbour's verdict moved while another transaction held their row).

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i20_rechecks
Revises: i19_unowned_by_creator
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i20_rechecks"
down_revision: str | None = "i19_unowned_by_creator"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rechecks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "workspace_id", sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE")),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id", ondelete="CASCADE")),
    )
    op.create_index("ix_rechecks_workspace_id", "rechecks", ["workspace_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_rechecks_workspace_id", table_name="rechecks")
    op.drop_table("rechecks")
