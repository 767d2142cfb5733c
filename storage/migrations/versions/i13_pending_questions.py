"""Questions Vigil asked and is waiting to have answered (issue #13).

* ``questions``: one row per open question (a date, a person, a reason, which
  task); the asker's next message in that chat answers it until it expires.

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i13_pending_questions
Revises: i15_outbox_claims
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i13_pending_questions"
down_revision: str | None = "i15_outbox_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE",
                          name="fk_questions_workspace_id_workspaces"),
            nullable=False,
        ),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE", name="fk_questions_person_id_people"),
            nullable=False,
        ),
        sa.Column("chat", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
    )
    op.create_index("ix_questions_asker", "questions", ["workspace_id", "person_id", "chat"])


def downgrade() -> None:
    op.drop_table("questions")
