"""Violations: one firing row per fingerprint, resolved rows kept as history."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from types import EllipsisType
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    insert,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from engine.model import Severity, SubjectKind, Violation
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
from storage.repositories.violation_reports import (
    _COLUMNS,
    _VERDICT_ONLY,
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


class ViolationRepository(ViolationWrites, ViolationReports):
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

    def firing(
        self,
        workspace_id: int,
        task_ids: Iterable[int] = (),
        person_ids: Iterable[int] = (),
        project_ids: Iterable[int] = (),
        fixes: bool = True,
        lifecycle: bool = True,
    ) -> builtins.list[ViolationRecord]:
        """Firing violations whose subject is one of the given tasks, people or projects.

        ``fixes=False``: the rows come without their fixes (an empty list), for the
        evaluation's diff, which never reads them (decoding them was a fifth of a
        full check's reading). ``lifecycle=False`` (implies no fixes): only the
        verdict (id, fingerprint, rule, subject, stage, severity, wording, state,
        level); the instants, resolution and ack come back None, in id order — for
        a full check's diff, which reads nothing else.
        """
        wanted = {
            kind: set(ids)
            for kind, ids in (("task", task_ids), ("person", person_ids), ("project", project_ids))
        }
        kinds = tuple(kind for kind, ids in wanted.items() if ids)
        if not kinds:
            return []

        def build() -> Any:
            # One SELECT per subject kind so each uses the (workspace, kind, subject)
            # index, sent as one statement.
            columns = _VERDICT_ONLY if not lifecycle else _COLUMNS if fixes else _WITHOUT_FIXES
            parts = [
                select(*columns).where(
                    _V.c.workspace_id == bindparam("ws"),
                    _V.c.subject_kind == kind,
                    self._ids(_V.c.subject_id, f"ids_{kind}"),
                    _V.c.state == "firing",
                )
                for kind in kinds
            ]
            return parts[0] if len(parts) == 1 else union_all(*parts)

        stmt = self._template(("firing_of", kinds, fixes, lifecycle), build)
        params: dict[str, Any] = {"ws": workspace_id}
        params.update({f"ids_{kind}": self._ids_value(wanted[kind]) for kind in kinds})
        found = [_record(row) for row in self._s.execute(stmt, params)]
        if not lifecycle:
            return sorted(found, key=lambda r: r.id)
        return sorted(found, key=lambda r: (r.fired_at, r.id))

    def firing_verdicts(
        self, workspace_id: int, task_ids: Iterable[int]
    ) -> dict[int, tuple[Violation, ...]]:
        """The firing task violations as the engine's verdicts, by task id.

        For tasks the engine counts but does not evaluate: rule, severity and
        wording only (fixes are left out; nothing reads them there).
        """
        wanted = set(task_ids)
        if not wanted:
            return {}
        stmt = self._template(
            "firing_verdicts",
            lambda: select(
                _V.c.subject_id, _V.c.rule_id, _V.c.severity, _V.c.explanation, _V.c.stage
            )
            .where(
                _V.c.workspace_id == bindparam("ws"),
                _V.c.subject_kind == "task",
                self._ids(_V.c.subject_id),
                _V.c.state == "firing",
            )
            .order_by(_V.c.fired_at, _V.c.id),
        )
        found: dict[int, list[Violation]] = {}
        params = {"ws": workspace_id, "ids": self._ids_value(wanted)}
        for subject_id, rule_id, severity, explanation, stage in self._s.execute(stmt, params):
            found.setdefault(subject_id, []).append(
                Violation(
                    rule_id, SubjectKind.TASK, subject_id, Severity(severity), explanation,
                    stage=stage,
                )
            )
        return {tid: tuple(vs) for tid, vs in found.items()}

    def firing_orphans(self, workspace_id: int, limit: int) -> builtins.list[ViolationRecord]:
        """Firing rows whose subject (task, person or project) no longer exists, at most
        ``limit``, oldest first: a full check resolves them, as no evaluation sees them."""

        def build() -> Any:
            gone = [
                (kind, ~select(table.c.id).where(table.c.id == _V.c.subject_id).exists())
                for kind, table in (("task", m.tasks), ("person", m.people),
                                    ("project", m.projects))
            ]
            return (
                select(*_COLUMNS)
                .where(
                    _V.c.workspace_id == bindparam("ws"),
                    _V.c.state == "firing",
                    or_(*(and_(_V.c.subject_kind == kind, missing) for kind, missing in gone)),
                )
                .order_by(_V.c.fired_at, _V.c.id)
                .limit(bindparam("limit"))
            )

        stmt = self._template("firing_orphans", build)
        rows = self._s.execute(stmt, {"ws": workspace_id, "limit": limit})
        return [_record(row) for row in rows]

    def escalation_due(
        self, workspace_id: int, now: datetime, limit: int
    ) -> builtins.list[ViolationRecord]:
        """Firing rows whose next escalation has come, longest due first (at most ``limit``)."""
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        stmt = self._template(
            "escalation_due",
            lambda: select(*_COLUMNS)
            .where(
                _V.c.workspace_id == bindparam("ws"),
                _V.c.next_escalation_at <= bindparam("now"),
                _V.c.state == "firing",
            )
            .order_by(_V.c.next_escalation_at, _V.c.id)
            .limit(bindparam("limit")),
        )
        rows = self._s.execute(stmt, {"ws": workspace_id, "now": now, "limit": limit})
        return [_record(row) for row in rows]

    def set_next_escalation(
        self, workspace_id: int, instants: dict[int, datetime | None]
    ) -> None:
        """Store each row's next escalation instant (None: the ladder never looks again)."""
        set_instants(self, _V, "next_escalation_at", workspace_id, instants)

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

