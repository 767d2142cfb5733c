"""Workspaces can be paused: ``workspaces.paused_at``.

Set while the platform chat behind a workspace removed Vigil (a Telegram
group kicked the bot): the scheduled tick, ladder and digests skip it;
nothing is deleted, and re-adding the bot clears it.

Revision ID: i16_workspace_paused
Revises: i13_pending_questions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i16_workspace_paused"
down_revision: str | None = "i13_pending_questions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("paused_at")
