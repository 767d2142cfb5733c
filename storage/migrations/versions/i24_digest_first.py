"""The morning digests are claimed ahead of the alerts quiet hours held.

At 10,000 workspaces the night before a working day queued ~135,000 alerts
that quiet hours hold until 09:00; the dispatcher claimed by (next attempt,
id), so at 09:00 every person's digest — the message that replaces the status
meeting — waited behind all of them, and none of 50,000 was sent by 09:30
(docs/scale.md, "The 10,000-workspace window, measured"). The dispatcher now
claims due digests first (``OutboxDelivery.claim_due``); this partial index
keeps that claim an index read in next-attempt order: only digests on their
way are in it, so an alert writes nothing to it and a digest leaves it once
sent.

Revision ID: i24_digest_first
Revises: i23_lean_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i24_digest_first"
down_revision: str | None = "i23_lean_indexes"
branch_labels = None
depends_on = None

OPEN_DIGESTS_ONLY = sa.text("kind = 'digest' AND status IN ('pending', 'sending')")


def upgrade() -> None:
    op.create_index("ix_notifications_digest_due", "notifications",
                    ["kind", "next_attempt_at", "id"],
                    sqlite_where=OPEN_DIGESTS_ONLY, postgresql_where=OPEN_DIGESTS_ONLY)


def downgrade() -> None:
    op.drop_index("ix_notifications_digest_due", "notifications")
