"""Capture drafts: what a person asked for while Vigil waits for one tap (issue #12).

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i12_capture_drafts
Revises: i16_workspace_paused
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i12_capture_drafts"
down_revision: str | None = "i16_workspace_paused"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.Integer(),
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("intent", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_capture_drafts_created_at", "capture_drafts", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_capture_drafts_created_at", table_name="capture_drafts")
    op.drop_table("capture_drafts")
