"""Explanations worded as of the moment they are shown (issue #13, item 8).

A violation's stored explanation was written when the engine last evaluated
it: "due 09:00, 1 minute ago" is true at 09:01 and wrong in an escalation sent
at 10:00, a notice released after quiet hours, or ``show #n`` an hour later.
Whatever shows an explanation later asks for it again here: the subjects are
evaluated afresh at the showing instant (read only; nothing is persisted) and
the same rule's new wording replaces the stored one. When the rule no longer
fires at that instant (the next tick will resolve it), the stored wording stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from engine.evaluate import evaluate
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

Key = tuple[str, str, int]  # rule, subject kind, subject id


def current(
    uow: UnitOfWork, ws: int, rows: Iterable[ViolationRecord], now: datetime
) -> dict[int, str]:
    """Violation id -> its explanation worded at ``now`` (only the rows still firing then)."""
    wanted = {r.id: (r.rule_id, r.subject_kind, r.subject_id) for r in rows}
    if not wanted:
        return {}
    tasks = {sid for _, kind, sid in wanted.values() if kind == "task"}
    people = {sid for _, kind, sid in wanted.values() if kind == "person"}
    projects = {sid for _, kind, sid in wanted.values() if kind == "project"}
    # As bot.evaluation.reevaluate loads it: the owners come along (their load, absence).
    world = uow.tasks.load_world(ws, tasks, people | uow.tasks.owner_ids(ws, tasks), projects,
                                 stored_verdicts=True)
    fresh: dict[Key, str] = {
        (v.rule_id, v.subject_kind.value, v.subject_id): v.explanation
        for v in evaluate(world, now, tasks, people, projects).violations
    }
    return {vid: fresh[key] for vid, key in wanted.items() if key in fresh}


def explanation(uow: UnitOfWork, ws: int, row: ViolationRecord, now: datetime) -> str:
    """One violation's explanation as of ``now`` (the stored one if it no longer fires)."""
    return current(uow, ws, [row], now).get(row.id, row.explanation)
