"""chat_topics: the task each person last talked about in a chat ("when is it due?").

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i21_chat_topics
Revises: i20_rechecks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i21_chat_topics"
down_revision: str | None = "i20_rechecks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_topics",
        sa.Column("workspace_id", sa.Integer(),
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE",
                                name="fk_chat_topics_workspace_id_workspaces"),
                  nullable=False),
        sa.Column("person_id", sa.Integer(),
                  sa.ForeignKey("people.id", ondelete="CASCADE",
                                name="fk_chat_topics_person_id_people"),
                  nullable=False),
        sa.Column("chat", sa.String(200), nullable=False),
        sa.Column("task_id", sa.Integer(),
                  sa.ForeignKey("tasks.id", ondelete="CASCADE",
                                name="fk_chat_topics_task_id_tasks"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", "chat", name="pk_chat_topics"),
    )


def downgrade() -> None:
    op.drop_table("chat_topics")
