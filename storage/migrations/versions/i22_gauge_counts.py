"""What the gauges count, without reading the whole violations and outbox tables.

* ``violations (rule_id, severity) WHERE state = 'firing'``: the firing gauge
  counts by rule and severity from this index alone (firing rows only).
* ``notifications (status, platform) WHERE status IN ('pending', 'sending')``:
  the outbox gauge counts the rows still on their way from this index alone.
* ``outbox_tally``: how many rows are ``sent`` / ``failed`` per platform — the
  rows that only grow — kept by triggers on ``notifications`` in the
  transaction of each insert, status or platform change and delete (cascades
  included), spread over ``slot = id % 8`` so that concurrent writers on
  PostgreSQL rarely wait on one counter row. Filled from the existing rows here.

Triggers are not part of ``storage/models.py``. A later migration that
rebuilds ``notifications`` with SQLite's batch mode (copy and move) drops them
and has to create them again (``create_tally_triggers``).

Revision ID: i22_gauge_counts
Revises: i21_chat_topics
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i22_gauge_counts"
down_revision: str | None = "i21_chat_topics"
branch_labels = None
depends_on = None

SLOTS = 8
TERMINAL = "('sent', 'failed')"
FIRING_ONLY = sa.text("state = 'firing'")
OPEN_ONLY = sa.text("status IN ('pending', 'sending')")

_SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER tr_outbox_tally_insert AFTER INSERT ON notifications
    WHEN NEW.status IN {TERMINAL}
    BEGIN
        INSERT INTO outbox_tally (platform, status, slot, n)
        VALUES (NEW.platform, NEW.status, NEW.id % {SLOTS}, 1)
        ON CONFLICT (platform, status, slot) DO UPDATE SET n = n + 1;
    END
    """,
    f"""
    CREATE TRIGGER tr_outbox_tally_delete AFTER DELETE ON notifications
    WHEN OLD.status IN {TERMINAL}
    BEGIN
        UPDATE outbox_tally SET n = n - 1
        WHERE platform = OLD.platform AND status = OLD.status AND slot = OLD.id % {SLOTS};
    END
    """,
    f"""
    CREATE TRIGGER tr_outbox_tally_update AFTER UPDATE OF status, platform ON notifications
    WHEN (OLD.status IN {TERMINAL} OR NEW.status IN {TERMINAL})
        AND (OLD.status <> NEW.status OR OLD.platform <> NEW.platform)
    BEGIN
        UPDATE outbox_tally SET n = n - 1
        WHERE OLD.status IN {TERMINAL}
            AND platform = OLD.platform AND status = OLD.status AND slot = OLD.id % {SLOTS};
        INSERT INTO outbox_tally (platform, status, slot, n)
        SELECT NEW.platform, NEW.status, NEW.id % {SLOTS}, 1 WHERE NEW.status IN {TERMINAL}
        ON CONFLICT (platform, status, slot) DO UPDATE SET n = n + 1;
    END
    """,
)

_PG_FUNCTION = f"""
CREATE FUNCTION outbox_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {TERMINAL} THEN
        UPDATE outbox_tally SET n = n - 1
        WHERE platform = OLD.platform AND status = OLD.status AND slot = OLD.id % {SLOTS};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN {TERMINAL} THEN
        INSERT INTO outbox_tally (platform, status, slot, n)
        VALUES (NEW.platform, NEW.status, NEW.id % {SLOTS}, 1)
        ON CONFLICT (platform, status, slot) DO UPDATE SET n = outbox_tally.n + 1;
    END IF;
    RETURN NULL;
END
$$
"""

_PG_TRIGGERS = (
    "CREATE TRIGGER tr_outbox_tally_insert AFTER INSERT ON notifications FOR EACH ROW "
    f"WHEN (NEW.status IN {TERMINAL}) EXECUTE FUNCTION outbox_tally_apply()",
    "CREATE TRIGGER tr_outbox_tally_delete AFTER DELETE ON notifications FOR EACH ROW "
    f"WHEN (OLD.status IN {TERMINAL}) EXECUTE FUNCTION outbox_tally_apply()",
    "CREATE TRIGGER tr_outbox_tally_update AFTER UPDATE OF status, platform ON notifications "
    f"FOR EACH ROW WHEN ((OLD.status IN {TERMINAL} OR NEW.status IN {TERMINAL}) "
    "AND (OLD.status <> NEW.status OR OLD.platform <> NEW.platform)) "
    "EXECUTE FUNCTION outbox_tally_apply()",
)

_TRIGGER_NAMES = ("tr_outbox_tally_insert", "tr_outbox_tally_delete", "tr_outbox_tally_update")


def create_tally_triggers() -> None:
    """The triggers that keep ``outbox_tally`` (SQLite or PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for ddl in _PG_TRIGGERS:
            op.execute(ddl)
        return
    for ddl in _SQLITE_TRIGGERS:
        op.execute(ddl)


def upgrade() -> None:
    op.create_index(
        "ix_violations_firing_rule_severity", "violations", ["rule_id", "severity", "state"],
        sqlite_where=FIRING_ONLY, postgresql_where=FIRING_ONLY,
    )
    op.create_index(
        "ix_notifications_open_platform", "notifications", ["status", "platform"],
        sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY,
    )
    op.create_table(
        "outbox_tally",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "status", "slot", name="pk_outbox_tally"),
    )
    op.execute(
        "INSERT INTO outbox_tally (platform, status, slot, n) "
        f"SELECT platform, status, id % {SLOTS}, count(*) FROM notifications "
        f"WHERE status IN {TERMINAL} GROUP BY platform, status, id % {SLOTS}"
    )
    create_tally_triggers()


def downgrade() -> None:
    for name in _TRIGGER_NAMES:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {name} ON notifications")
        else:
            op.execute(f"DROP TRIGGER {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION outbox_tally_apply()")
    op.drop_table("outbox_tally")
    op.drop_index("ix_notifications_open_platform", "notifications")
    op.drop_index("ix_violations_firing_rule_severity", "violations")
