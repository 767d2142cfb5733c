"""Read-only queries for running Vigil as a service: health checks and metric gauges.

Each takes the Engine and opens (and closes) its own connection: they run
beside the application's units of work, from the readiness probe and the
metrics job, and never write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select, text, union_all

from storage import models as m


def ping(engine: Engine) -> None:
    """Raise unless the database answers ``SELECT 1``."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


_V, _N, _TALLY = m.violations, m.notifications, m.outbox_tally

FIRING_GAUGE = (select(_V.c.rule_id, _V.c.severity, func.count())
                .where(m.FIRING_ONLY).group_by(_V.c.rule_id, _V.c.severity))
OPEN_NOTICES_GAUGE = (select(_N.c.platform, _N.c.status, func.count())
                      .where(m.OPEN_ONLY).group_by(_N.c.platform, _N.c.status))
_DONE = func.sum(_TALLY.c.n)
DONE_NOTICES_GAUGE = (select(_TALLY.c.platform, _TALLY.c.status, _DONE)
                      .group_by(_TALLY.c.platform, _TALLY.c.status).having(_DONE > 0))


def firing_counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Violations firing now: ``{(rule_id, severity): count}`` over every workspace.

    Read from the partial index of firing rows (ix_violations_firing_subject)
    alone: the cost follows the firing rows, not the history of resolved ones.
    """
    with engine.connect() as conn:
        return {(rule, sev): int(n) for rule, sev, n in conn.execute(FIRING_GAUGE)}


def outbox_counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Outbox rows: ``{(platform, status): count}`` over every workspace.

    The rows still on their way are counted over the dispatcher's index
    (ix_notifications_status_next_attempt); the ``sent`` and ``failed`` ones — the
    rows that only grow — are the totals the triggers keep in ``outbox_tally``.
    """
    with engine.connect() as conn:  # one statement: one snapshot of both
        rows = conn.execute(union_all(OPEN_NOTICES_GAUGE, DONE_NOTICES_GAUGE))
        return {(platform, status): int(c) for platform, status, c in rows}


def due_checks(engine: Engine, now: datetime) -> list[datetime]:
    """The ``next_check_at`` of every task whose check has come (<= now)."""
    t = m.tasks
    stmt = select(t.c.next_check_at).where(t.c.next_check_at <= now)
    with engine.connect() as conn:
        return [at for (at,) in conn.execute(stmt) if at is not None]
