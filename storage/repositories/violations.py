"""Violations: one firing row per fingerprint, resolved rows kept as history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import EllipsisType
from typing import Any

from sqlalchemy import (
    bindparam,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from engine.model import Violation
from storage import models as m
from storage.errors import Duplicate, NotFound
from storage.records import ViolationRecord
from storage.repositories._base import (
    clean_fields,
    enum_value,
    same_workspace,
    set_instants,
    utc_or_none,
)
from storage.repositories.violation_firing import FiringViolations
from storage.repositories.violation_reports import (
    _COLUMNS,
    _WITHOUT_FIXES,
    ViolationReports,
    _record,
)
from storage.repositories.violation_writes import (
    FIRED,
    ViolationWrites,
    firing_values,
    fixes_json,
)

_V = m.violations
UPDATABLE = (
    "severity",
    "explanation",
    "fixes",
    "stage",
    "level",
    "level_changed_at",
    "acked_by_id",
    "acked_at",
    "snoozed_until",
    "severity_changed_at",
    "next_escalation_at",
)


_FIRED = FIRED
_firing_values = firing_values


def _fire_ignoring() -> Any:
    """The firing insert that yields to a row already firing, as SQL text (compiled once;
    the same SQL runs on SQLite 3.35+ and PostgreSQL)."""
    sql = (
        f"INSERT INTO violations ({', '.join(_FIRED)}) "
        f"VALUES ({', '.join(':' + name for name in _FIRED)}) "
        "ON CONFLICT (workspace_id, fingerprint) WHERE state = 'firing' DO NOTHING "
        f"RETURNING {', '.join(c.name for c in _COLUMNS)}"
    )
    binds = [bindparam(name, type_=_V.c[name].type) for name in _FIRED]
    return text(sql).bindparams(*binds).columns(*_COLUMNS)


class ViolationRepository(ViolationWrites, ViolationReports, FiringViolations):
    """Store what the engine found and follow each violation's lifecycle."""

    def insert(
        self,
        workspace_id: int,
        violation: Violation,
        at: datetime,
        next_escalation_at: datetime | None | EllipsisType = ...,
    ) -> ViolationRecord:
        """Store a newly firing violation (Duplicate if its fingerprint is already firing).

        ``next_escalation_at``: when the ladder first looks at it (None: never;
        left out: at once, so the next ladder pass works the instant out).
        """
        at = utc_or_none(at, "at")  # type: ignore[assignment]
        ladder: datetime | None
        if isinstance(next_escalation_at, EllipsisType):
            ladder = at
        else:
            ladder = utc_or_none(next_escalation_at, "next_escalation_at")
        values = _firing_values(workspace_id, violation, at, ladder)
        try:
            stmt = self._template("violation_insert", lambda: insert(_V).returning(*_COLUMNS))
            with self._s.begin_nested():
                row = self._s.execute(stmt, values).one()
        except IntegrityError as exc:
            raise Duplicate(f"{violation.fingerprint} is already firing") from exc
        return _record(row)

    def get_many(
        self, workspace_id: int, violation_ids: Iterable[int], fixes: bool = True
    ) -> dict[int, ViolationRecord]:
        """The rows with these ids in the workspace, by id (unknown ids left out).

        ``fixes=False``: without their fixes (an empty list), for readers that never
        look at them (a full check's summaries: decoding them was a third of the read).
        """
        ids = set(violation_ids)
        if not ids:
            return {}
        stmt = self._template(
            ("violations_many", fixes),
            # By primary key: SQLite would otherwise walk the workspace's index.
            lambda: select(*(_COLUMNS if fixes else _WITHOUT_FIXES)).where(
                same_workspace(_V.c.workspace_id, bindparam("ws")), self._ids(_V.c.id)
            ),
        )
        rows = self._s.execute(stmt, {"ws": workspace_id, "ids": self._ids_value(ids)})
        return {r.id: r for r in map(_record, rows)}

    def fire(
        self,
        workspace_id: int,
        violation: Violation,
        at: datetime,
        next_escalation_at: datetime | None | EllipsisType = ...,
    ) -> ViolationRecord:
        """Store a newly firing violation, or return the row already firing for it.

        ``next_escalation_at`` as for ``insert`` (left out: the ladder looks at once).

        ``INSERT ... ON CONFLICT (workspace_id, fingerprint) WHERE state = 'firing'
        DO NOTHING``: two transactions that both found the problem new (a change
        and a tick racing on PostgreSQL) end with one row and no error, and the
        outbox's dedup key (per violation id) keeps the notice single too.
        """
        when = utc_or_none(at, "at")
        if isinstance(next_escalation_at, EllipsisType):
            ladder = when
        else:
            ladder = utc_or_none(next_escalation_at, "next_escalation_at")
        values = _firing_values(workspace_id, violation, when, ladder)
        stmt = self._template("violation_fire", _fire_ignoring)
        row = self._s.execute(stmt, values).first()
        if row is not None:
            return _record(row)
        existing = self.by_fingerprint(workspace_id, violation.fingerprint)
        if existing is None:  # pragma: no cover - the conflicting row is visible to us
            raise Duplicate(f"{violation.fingerprint} is firing in another transaction")
        return existing

    def get(self, workspace_id: int, violation_id: int) -> ViolationRecord | None:
        """The violation with this id in the workspace, or None."""
        stmt = self._template(
            "violation",
            lambda: select(*_COLUMNS).where(
                _V.c.workspace_id == bindparam("ws"), _V.c.id == bindparam("id")
            ),
        )
        row = self._s.execute(stmt, {"ws": workspace_id, "id": violation_id}).first()
        return _record(row) if row else None

    def by_fingerprint(self, workspace_id: int, fingerprint: str) -> ViolationRecord | None:
        """The FIRING violation with this fingerprint, or None."""
        return self._one(
            _V.c.workspace_id == workspace_id,
            _V.c.fingerprint == fingerprint,
            _V.c.state == "firing",
        )

    def set_next_escalation(
        self, workspace_id: int, instants: dict[int, datetime | None]
    ) -> None:
        """Store each row's next escalation instant (None: the ladder never looks again)."""
        set_instants(self, _V, "next_escalation_at", workspace_id, instants)

    def climb(self, workspace_id: int, levels: Mapping[int, tuple[int, datetime]]) -> None:
        """Set each row's escalation ``(level, level_changed_at)``, by id, in one executemany
        (the ladder climbs hundreds of rows a batch; one UPDATE ... RETURNING each was
        half of its cost). Ids not in the workspace are left alone; ValueError on a naive
        instant, before any write."""
        if not levels:
            return
        checked = [(int(vid), int(level), utc_or_none(at, "level_changed_at"))
                   for vid, (level, at) in sorted(levels.items())]
        conn = self._s.connection()
        convert = _V.c.level_changed_at.type.bind_processor(conn.dialect) or (lambda v: v)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"UPDATE violations SET level = {mark}, level_changed_at = {mark} "
            f"WHERE workspace_id = {mark} AND id = {mark}",
            [(level, convert(at), workspace_id, vid) for vid, level, at in checked],
        )

    def update(self, workspace_id: int, violation_id: int, **fields: Any) -> ViolationRecord:
        """Change lifecycle fields (severity, explanation, fixes, level, ack, snooze...)."""
        values = clean_fields(fields, UPDATABLE, "violation")
        if "severity" in values:
            values["severity"] = enum_value(values["severity"])
        if "fixes" in values:
            values["fixes"] = fixes_json(values["fixes"])
        self._check_refs(workspace_id, people=(values.get("acked_by_id"),))
        return self._update(workspace_id, violation_id, values)

    def resolve(
        self,
        workspace_id: int,
        violation_id: int,
        at: datetime,
        resolution: str,
        by_id: int | None = None,
        fix: str | None = None,
    ) -> ViolationRecord:
        """Mark resolved: when, how ("changed elsewhere"...), by whom, with which fix."""
        self._check_refs(workspace_id, people=(by_id,))
        values = {
            "state": "resolved",
            "next_escalation_at": None,
            "resolved_at": utc_or_none(at, "at"),
            "resolution": resolution,
            "resolved_by_id": by_id,
            "resolved_fix": fix,
        }
        return self._update(workspace_id, violation_id, values)

    def ack(
        self, workspace_id: int, violation_id: int, person_id: int, at: datetime
    ) -> ViolationRecord:
        """Acknowledge: stops the escalation ladder, keeps the violation firing."""
        return self.update(workspace_id, violation_id, acked_by_id=person_id, acked_at=at)

    def snooze(self, workspace_id: int, violation_id: int, until: datetime) -> ViolationRecord:
        """Mute notifications until ``until``; the violation stays firing."""
        return self.update(workspace_id, violation_id, snoozed_until=until)

    def _update(
        self, workspace_id: int, violation_id: int, values: dict[str, Any]
    ) -> ViolationRecord:
        stmt = (
            update(_V)
            .where(_V.c.workspace_id == workspace_id, _V.c.id == violation_id)
            .values(values)
            .returning(*_COLUMNS)
        )
        row = self._s.execute(stmt).first()
        if row is None:
            raise NotFound(f"no violation {violation_id} in workspace {workspace_id}")
        return _record(row)

