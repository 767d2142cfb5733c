"""``vigil status``: what the outbox holds — pending, failed, recently sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from storage.records import NotificationRecord
from storage.uow import make_uow_factory


def _row(n: NotificationRecord, names: dict[tuple[int, int], str]) -> dict[str, Any]:
    payload = n.payload or {}
    return {
        "id": n.id,
        "workspace_id": n.workspace_id,
        "to": names.get((n.workspace_id, n.recipient_id), f"person {n.recipient_id}"),
        "platform": n.platform,
        "kind": n.kind,
        "rule": payload.get("rule"),
        "subject": payload.get("subject"),
        "level": payload.get("level"),
        "status": n.status,
        "skipped": bool(n.last_error and n.last_error.startswith("skipped:")),
        "attempts": n.attempts,
        "next_attempt_at": n.next_attempt_at.isoformat() if n.next_attempt_at else None,
        "sent_at": n.sent_at.isoformat() if n.sent_at else None,
        "platform_ref": n.platform_ref,
        "last_error": n.last_error,
    }


def status_report(engine: Engine, limit: int = 20) -> dict[str, Any]:
    """Counts per status and the newest pending, failed and sent rows (JSON-ready).

    ``{"counts": {"pending", "sending", "sent", "failed"}, "pending": [...],
    "failed": [...], "recent": [...]}`` — each row: id, to, platform, kind,
    rule, subject, level, status, skipped, attempts, next_attempt_at, sent_at,
    platform_ref, last_error.
    """
    uow_factory = make_uow_factory(engine)
    with uow_factory() as uow:
        counts = uow.outbox.counts()
        pending = uow.outbox.recent("pending", limit) + uow.outbox.recent("sending", limit)
        failed = uow.outbox.recent("failed", limit)
        recent = uow.outbox.recent("sent", limit)
        names: dict[tuple[int, int], str] = {}
        for ws in {n.workspace_id for n in (*pending, *failed, *recent)}:
            names.update({(ws, p.id): p.name for p in uow.people.list(ws)})
    return {
        "counts": counts,
        "pending": [_row(n, names) for n in sorted(pending, key=lambda n: n.id)],
        "failed": [_row(n, names) for n in failed],
        "recent": [_row(n, names) for n in recent],
    }
