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
from dataclasses import replace
from datetime import datetime, timedelta

from engine.context import span
from engine.evaluate import evaluate
from storage.records import NotificationRecord, ViolationRecord
from storage.uow import UnitOfWork

Key = tuple[str, str, int]  # rule, subject kind, subject id
# Relative wording ("1 minute ago") is in whole minutes: a notice sent within the minute
# it was worded keeps its words; later ones are worded again.
REWORD_AFTER = timedelta(minutes=1)
DAY = 86400.0  # seconds


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
    # As bot.reevaluation.reevaluate loads it: the owners come along (their load, absence).
    world = uow.tasks.load_world(ws, tasks, people | uow.tasks.owner_ids(ws, tasks), projects,
                                 stored_verdicts=True)
    fresh: dict[Key, str] = {
        (v.rule_id, v.subject_kind.value, v.subject_id): v.explanation
        for v in evaluate(world, now, tasks, people, projects).violations
    }
    return {vid: fresh[key] for vid, key in wanted.items() if key in fresh}


def waited_since(row: ViolationRecord, now: datetime) -> datetime | None:
    """Since when nobody has acted on ``row``: its firing, or the end of a snooze.

    An escalation says "no action from Priya for 3 hours" with this span as of the
    moment it is sent, not the ladder's configured wait.
    """
    since = row.fired_at
    if since is not None and row.snoozed_until is not None and since < row.snoozed_until <= now:
        since = row.snoozed_until
    return since


def waited(since: datetime, now: datetime) -> str:
    """'3 hours', '1 hour 20 minutes', '1 day 16 hours', '4 days': from ``since`` to ``now``."""
    seconds = (now - since).total_seconds()
    if not DAY <= seconds < 3 * DAY:
        return span(seconds)
    days, hours_left = divmod(round(seconds / 3600), 24)  # a day or two and some hours
    head = f"{days} day{'' if days == 1 else 's'}"
    return head if not hours_left else f"{head} {hours_left} hour{'' if hours_left == 1 else 's'}"


def reworded(
    uow: UnitOfWork, ws: int, rows: list[NotificationRecord], now: datetime
) -> list[NotificationRecord]:
    """The alert rows with each explanation worded as of ``now``, the moment they are sent.

    The row was queued with the wording of its firing (or of the ladder step);
    a notice released later must not say "1 minute ago" an hour on.
    """
    stale = [r for r in rows if r.violation_id is not None and _stale(r, now)]
    if not stale:  # the usual case: queued and sent in the same minute
        return rows
    violations = [v for v in (uow.violations.get(ws, r.violation_id) for r in stale
                              if r.violation_id is not None) if v is not None]
    worded = current(uow, ws, violations, now)
    out = []
    for row in rows:
        text = worded.get(row.violation_id) if row.violation_id is not None else None
        changes: dict[str, str] = {}
        if text is not None and text != row.payload.get("explanation"):
            changes["explanation"] = text
        since = row.payload.get("waited_since")
        if since and _stale(row, now):  # "no action from Priya for …" as of sending too
            changes["waited"] = waited(datetime.fromisoformat(str(since)), now)
        if changes and any(row.payload.get(k) != v for k, v in changes.items()):
            row = replace(row, payload={**row.payload, **changes, "worded_at": now.isoformat()})
        out.append(row)
    return out


def _stale(row: NotificationRecord, now: datetime) -> bool:
    """The row's explanation was written a minute or more before ``now`` (or when unknown)."""
    at = row.payload.get("worded_at")
    if not at:
        return True
    return now - datetime.fromisoformat(str(at)) >= REWORD_AFTER
