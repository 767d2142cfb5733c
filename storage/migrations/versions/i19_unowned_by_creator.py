"""tasks: a partial index of unowned work by its creator (every digest and Home reads it).

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i19_unowned_by_creator
Revises: i17_person_digest_time
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i19_unowned_by_creator"
down_revision: str | None = "i17_person_digest_time"
branch_labels = None
depends_on = None

UNOWNED_ONLY = sa.text("owner_id IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_tasks_unowned_by_creator",
        "tasks",
        ["workspace_id", "creator_id"],
        sqlite_where=UNOWNED_ONLY,
        postgresql_where=UNOWNED_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_unowned_by_creator", table_name="tasks")
