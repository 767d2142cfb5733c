"""How often a fix resolved a rule's violation within one working day (DESIGN §5).

"resolved 12 of 14" beside the button: of the 14 violations of this rule that
were resolved with this fix, 12 were resolved within one working day of firing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from engine import calendar as cal_ops
from engine.model import WorkCalendar
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

Score = tuple[int, int]  # (resolved within one working day, resolved with this fix)


def scores(history: Iterable[ViolationRecord], cal: WorkCalendar) -> dict[tuple[str, str], Score]:
    """Per (rule id, fix action): resolved within 1 working day, and in total. Pure."""
    quick: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for row in history:
        if row.state != "resolved" or not row.resolved_fix or row.resolved_at is None:
            continue
        key = (row.rule_id, row.resolved_fix)
        total[key] += 1
        if row.fired_at is not None and row.resolved_at <= cal_ops.add_working_days(
            cal, row.fired_at, 1
        ):
            quick[key] += 1
    return {key: (quick[key], n) for key, n in total.items()}


def workspace_scores(
    uow: UnitOfWork, ws: int, rule_ids: Iterable[str]
) -> dict[tuple[str, str], Score]:
    """Scores for the given rules from the workspace's violation history."""
    record = uow.workspaces.get(ws)
    if record is None:
        return {}
    return scores(uow.violations.fixed(ws, rule_ids), record.calendar)


def labelled(
    rule_id: str, fixes: Iterable[Mapping[str, Any]], table: Mapping[tuple[str, str], Score]
) -> list[dict[str, Any]]:
    """Fixes with their score in the label: 'Extend… · 12/14 fixed within a day'."""
    out = []
    for fix in fixes:
        item = dict(fix)
        score = table.get((rule_id, str(fix.get("action"))))
        if score is not None:
            item["label"] = f"{fix.get('label')} · {score[0]}/{score[1]} fixed within a day"
        out.append(item)
    return out
