"""people.digest_time: a person's own morning digest time (``settings me digest 08:30``).

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: i17_person_digest_time
Revises: i18_scale
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i17_person_digest_time"
down_revision: str | None = "i18_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("digest_time", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("digest_time")
