"""Reading violations for reports: counts, the worst firing, history, fixed rows
(reliability scores). Mixed into ``ViolationRepository``; the row shape is here."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, func, null, or_, select

from storage import models as m
from storage.records import ViolationRecord
from storage.repositories._base import Repository, utc_or_none

_V = m.violations
_COLUMNS = tuple(_V.c)
# What a reliability score reads of a fixed row (no fixes JSON to decode).
_FIX_OUTCOME = tuple(
    _V.c[name] for name in (
        "id", "workspace_id", "fingerprint", "rule_id", "subject_kind", "subject_id", "stage",
        "severity", "explanation", "state", "fired_at", "resolved_at", "resolved_fix",
    )
)
FIXED_HISTORY = 500  # fixed rows of a rule a reliability score counts, newest first

_FIXES_AT = [c.name for c in _COLUMNS].index("fixes")
_WITHOUT_FIXES = tuple(null().label("fixes") if c.name == "fixes" else c for c in _COLUMNS)
# The verdict of a row and nothing of its lifecycle (those columns come back None): what
# a full check's diff reads. On SQLite each of the seven instants is a string parsed per
# row; skipping them (and the fixes) is most of the cost of reading 100k firing rows.
_VERDICT = frozenset({"id", "workspace_id", "fingerprint", "rule_id", "subject_kind",
                      "subject_id", "stage", "severity", "explanation", "state", "level"})
_VERDICT_ONLY = tuple(c if c.name in _VERDICT else null().label(c.name) for c in _COLUMNS)
if [c.name for c in _COLUMNS] != [f.name for f in fields(ViolationRecord)]:
    raise RuntimeError("ViolationRecord fields must follow the violations columns (see _record)")



def _record(row: Any) -> ViolationRecord:
    values = list(row)
    values[_FIXES_AT] = list(values[_FIXES_AT] or [])
    return ViolationRecord(*values)


class ViolationReports(Repository):
    """What reports and views read of violations (no writes)."""

    def none_stored(self, workspace_id: int) -> bool:
        """True when the workspace has never had a violation (firing or resolved)."""
        stmt = select(_V.c.id).where(_V.c.workspace_id == workspace_id).limit(1)
        return self._s.execute(stmt).first() is None

    def all_firing(self, workspace_id: int, fixes: bool = True) -> builtins.list[ViolationRecord]:
        """Every firing violation of the workspace (``fixes=False``: without their fixes)."""
        where = (_V.c.workspace_id == workspace_id, _V.c.state == "firing")
        if fixes:
            return self._many(*where)
        return [_record(row) for row in self._s.execute(select(*_WITHOUT_FIXES).where(*where))]

    def firing_counts(self, workspace_id: int) -> dict[tuple[str, str], int]:
        """How many violations fire, by (severity, rule), in one GROUP BY."""
        stmt = (
            select(_V.c.severity, _V.c.rule_id, func.count())
            .where(_V.c.workspace_id == workspace_id, _V.c.state == "firing")
            .group_by(_V.c.severity, _V.c.rule_id)
        )
        return {(str(sev), str(rule)): int(n) for sev, rule, n in self._s.execute(stmt)}

    def worst_firing(self, workspace_id: int, limit: int) -> builtins.list[ViolationRecord]:
        """At most ``limit`` firing violations, the most severe first, then by fingerprint
        (without their fixes): a report's bounded top list."""
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        rank = case({"critical": 0, "warning": 1, "info": 2}, value=_V.c.severity, else_=3)
        stmt = (
            select(*_WITHOUT_FIXES)
            .where(_V.c.workspace_id == workspace_id, _V.c.state == "firing")
            .order_by(rank, _V.c.fingerprint)
            .limit(limit)
        )
        return [_record(row) for row in self._s.execute(stmt)]

    def fixed(
        self, workspace_id: int, rule_ids: Iterable[str], newest: int = FIXED_HISTORY
    ) -> builtins.list[ViolationRecord]:
        """The ``newest`` rows of each of these rules that a fix resolved (for reliability
        scores), without their fixes.

        Bounded: a busy workspace resolves thousands a month, and every chat reply and
        tick batch that shows fix buttons reads this, so a score counts recent history.
        """
        wanted = sorted(set(rule_ids))
        stmt = self._template(
            "fixed_newest",
            lambda: select(*_FIX_OUTCOME)
            .where(
                _V.c.workspace_id == bindparam("ws"),
                _V.c.rule_id == bindparam("rule"),
                _V.c.resolved_fix.is_not(None),
            )
            .order_by(_V.c.resolved_at.desc(), _V.c.id.desc())
            .limit(bindparam("newest")),
        )
        out: builtins.list[ViolationRecord] = []
        for rule in wanted:
            rows = self._s.execute(stmt, {"ws": workspace_id, "rule": rule, "newest": newest})
            out += [ViolationRecord(**row._mapping) for row in rows]
        return out

    def history(
        self, workspace_id: int, rule_id: str | None = None, since: datetime | None = None
    ) -> builtins.list[ViolationRecord]:
        """Firing and resolved rows, oldest first; ``since``: fired or resolved at/after it."""
        where: builtins.list[ColumnElement[bool]] = [_V.c.workspace_id == workspace_id]
        if rule_id is not None:
            where.append(_V.c.rule_id == rule_id)
        if since is not None:
            since = utc_or_none(since, "since")
            where.append(or_(_V.c.fired_at >= since, _V.c.resolved_at >= since))
        return self._many(*where)

    def _one(self, *where: ColumnElement[bool]) -> ViolationRecord | None:
        row = self._s.execute(select(*_COLUMNS).where(*where)).first()
        return _record(row) if row else None

    def _many(self, *where: ColumnElement[bool]) -> builtins.list[ViolationRecord]:
        rows = self._s.execute(select(*_COLUMNS).where(*where).order_by(_V.c.fired_at, _V.c.id))
        return [_record(row) for row in rows]
