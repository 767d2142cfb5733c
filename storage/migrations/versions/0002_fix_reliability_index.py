"""Partial index for reliability scores: violations resolved by a fix.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

FIXED_ONLY = sa.text("resolved_fix IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_violations_fixed",
        "violations",
        ["workspace_id", "rule_id"],
        sqlite_where=FIXED_ONLY,
        postgresql_where=FIXED_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_violations_fixed", table_name="violations")
