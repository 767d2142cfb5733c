"""Read-only queries for running Vigil as a service: health checks and metric gauges.

Each takes the Engine and opens (and closes) its own connection: they run
beside the application's units of work, from the readiness probe and the
metrics job, and never write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select, text

from storage import models as m


def ping(engine: Engine) -> None:
    """Raise unless the database answers ``SELECT 1``."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def firing_counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Violations firing now: ``{(rule_id, severity): count}`` over every workspace."""
    v = m.violations
    stmt = (select(v.c.rule_id, v.c.severity, func.count())
            .where(v.c.state == "firing").group_by(v.c.rule_id, v.c.severity))
    with engine.connect() as conn:
        return {(rule, severity): int(n) for rule, severity, n in conn.execute(stmt)}


def outbox_counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Outbox rows: ``{(platform, status): count}`` over every workspace."""
    n = m.notifications
    stmt = select(n.c.platform, n.c.status, func.count()).group_by(n.c.platform, n.c.status)
    with engine.connect() as conn:
        return {(platform, status): int(c) for platform, status, c in conn.execute(stmt)}


def due_checks(engine: Engine, now: datetime) -> list[datetime]:
    """The ``next_check_at`` of every task whose check has come (<= now)."""
    t = m.tasks
    stmt = select(t.c.next_check_at).where(t.c.next_check_at <= now)
    with engine.connect() as conn:
        return [at for (at,) in conn.execute(stmt) if at is not None]
