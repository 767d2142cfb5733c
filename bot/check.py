"""``vigil check``: evaluate now and report firing violations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from bot.clock import SystemClock
from bot.evaluation import full_check, tick
from bot.workspace_names import matching
from engine.model import SubjectKind
from storage.records import ViolationRecord
from storage.uow import UnitOfWork, make_uow_factory


def run_check(
    engine: Engine, full: bool = False, workspace: str | None = None, clock: Any = None
) -> dict[str, Any] | None:
    """Tick (or fully re-evaluate) each workspace and list what is firing.

    Returns None when ``workspace`` names no workspace.
    """
    now = (clock or SystemClock()).now()
    factory = make_uow_factory(engine)
    with factory() as uow:
        spaces = uow.workspaces.list()
    if workspace is not None:
        spaces = matching(spaces, workspace)
        if len(spaces) != 1:
            return None
    report: dict[str, Any] = {"now": now.isoformat(), "full": full, "workspaces": []}
    for ws in spaces:
        with factory() as uow:
            changes = full_check(uow, ws.id, now) if full else tick(uow, ws.id, now)
            rows = uow.violations.all_firing(ws.id)
            report["workspaces"].append(
                {
                    "key": ws.key,
                    "name": ws.name,
                    "changes": len(changes),
                    "violations": [_row(uow, ws.id, r) for r in _ordered(rows)],
                }
            )
            uow.commit()
    return report


def _ordered(rows: list[ViolationRecord]) -> list[ViolationRecord]:
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda r: (rank.get(str(r.severity), 3), r.fingerprint))


def _row(uow: UnitOfWork, ws: int, r: ViolationRecord) -> dict[str, Any]:
    return {
        "rule": r.rule_id,
        "severity": str(r.severity),
        "subject": _subject(uow, ws, r),
        "subject_kind": str(r.subject_kind),
        "subject_id": r.subject_id,
        "fingerprint": r.fingerprint,
        "explanation": r.explanation,
        "fired_at": r.fired_at.isoformat() if r.fired_at else None,
        "level": r.level,
        "acked": r.acked_at is not None,
        "snoozed_until": r.snoozed_until.isoformat() if r.snoozed_until else None,
    }


def _subject(uow: UnitOfWork, ws: int, r: ViolationRecord) -> str:
    kind = SubjectKind(r.subject_kind)
    if kind is SubjectKind.TASK:
        t = uow.tasks.get(ws, r.subject_id)
        return f"#{t.number} {t.title}" if t else f"task {r.subject_id}"
    if kind is SubjectKind.PERSON:
        p = uow.people.get(ws, r.subject_id)
        return p.name if p else f"person {r.subject_id}"
    pr = uow.projects.get(ws, r.subject_id)
    return f"project {pr.name}" if pr else f"project {r.subject_id}"
