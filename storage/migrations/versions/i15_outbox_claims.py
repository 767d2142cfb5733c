"""Outbox claims with an owner: fencing token, in-doubt flag, age for giving up.

* ``claim_token``: the dispatcher pass that holds a ``sending`` row; a send
  happens, and its result is recorded, only while the row still carries it.
* ``in_doubt``: the last attempt may have reached the platform (its answer was
  lost, or its claimant vanished); the next attempt looks for the message first.
* ``attempts_since``: a notice fails for good only after trying this long
  (``created_at`` when NULL); ``vigil notices retry`` restarts the clock.

Revision ID: i15_outbox_claims
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i15_outbox_claims"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("claim_token", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("attempts_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("attempts_since")
        batch.drop_column("in_doubt")
        batch.drop_column("claim_token")
