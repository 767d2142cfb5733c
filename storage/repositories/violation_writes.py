"""Set-based writes of violations: what one evaluation batch fired, resolved or reworded.

A tick or full-check batch can change thousands of rows; one statement per
row (and a savepoint each) was most of a burst's cost. Here a batch is a few
multi-row statements whatever its size.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from engine.model import Fix, Violation
from storage import models as m
from storage.records import ViolationRecord
from storage.repositories._base import Repository, enum_value, utc_or_none
from storage.repositories.driver_sql import (
    Convert,
    insert_chunks,
    instants,
    mark,
    processor,
    run_many,
)

_V = m.violations
CHUNK = 200  # rows per multi-row INSERT (13 binds each: far below both databases' limits)

FIRED = (
    "workspace_id", "fingerprint", "rule_id", "subject_kind", "subject_id", "stage",
    "severity", "explanation", "fixes", "state", "fired_at", "level", "level_changed_at",
    "severity_changed_at", "next_escalation_at",
)
# Columns a re-decided violation changes: its wording, or its severity too.
REWORDED = ("explanation", "fixes")
SEVERITY = ("severity", "severity_changed_at", "next_escalation_at", *REWORDED)


def fixes_json(fixes: Iterable[Fix | dict[str, Any]]) -> builtins.list[dict[str, Any]]:
    """Fixes as JSON-ready dicts ``{action, label, args}``."""
    out: builtins.list[dict[str, Any]] = []
    for fix in fixes:
        if isinstance(fix, Fix):
            out.append({"action": fix.action, "label": fix.label, "args": dict(fix.args)})
        else:
            out.append(
                {"action": fix["action"], "label": fix["label"], "args": fix.get("args", {})}
            )
    return out


def firing_values(
    workspace_id: int, violation: Violation, at: Any, ladder: Any = None
) -> dict[str, Any]:
    """The row of a newly firing violation (``ladder``: its first escalation instant)."""
    return {
        "workspace_id": workspace_id,
        "fingerprint": violation.fingerprint,
        "rule_id": violation.rule_id,
        "subject_kind": enum_value(violation.subject_kind),
        "subject_id": violation.subject_id,
        "stage": violation.stage,
        "severity": enum_value(violation.severity),
        "explanation": violation.explanation,
        "fixes": fixes_json(violation.fixes),
        "state": "firing",
        "fired_at": at,
        "level": 0,
        "level_changed_at": at,
        "severity_changed_at": at,
        "next_escalation_at": ladder,
    }


# The firing INSERT's row: the constant columns as SQL literals, the rest bound
# (positional, in ``FIRED`` order; see ``storage.repositories.driver_sql``).
LITERALS = {"state": "'firing'", "level": "0"}
BOUND = tuple(c for c in FIRED if c not in LITERALS)
_FIRE_HEAD = f"INSERT INTO violations ({', '.join(FIRED)})"
_FIRE_TAIL = ("ON CONFLICT (workspace_id, fingerprint) WHERE state = 'firing' DO NOTHING "
              "RETURNING fingerprint, id")


def _fire_row(mark: str) -> str:
    return "(" + ", ".join(LITERALS.get(c, mark) for c in FIRED) + ")"


class ViolationWrites(Repository):
    """The bulk half of ``ViolationRepository``."""

    def insert_many(
        self,
        workspace_id: int,
        found: builtins.list[tuple[Violation, datetime | None]],
        at: datetime,
    ) -> dict[str, int]:
        """Store newly firing violations, each with its first escalation instant.

        Returns ``fingerprint -> id``. Idempotent under races like ``fire``: a
        violation another transaction fired meanwhile keeps its row (and id).
        Multi-row INSERTs of ``CHUNK`` rows straight to the driver, no savepoint.
        """
        return {fp: row.id for fp, row in self.fire_many(workspace_id, found, at).items()}

    def fire_many(
        self,
        workspace_id: int,
        found: builtins.list[tuple[Violation, datetime | None]],
        at: datetime,
    ) -> dict[str, ViolationRecord]:
        """``insert_many``, answering each fingerprint's firing row: as written for the
        rows this call inserted (not read back), read for those another transaction
        fired meanwhile (their row, with its own lifecycle, is kept)."""
        if not found:
            return {}
        when = utc_or_none(at, "at")
        conn = self._s.connection()
        instant = instants(conn.dialect, _V, "next_escalation_at")
        to_json = processor(conn.dialect, _V, "fixes") or (lambda value: value)
        fired_at = instant(when)
        fixes = [fixes_json(v.fixes) for v, _ in found]
        prints = [v.fingerprint for v, _ in found]  # a property: worked out once a row
        rows = [
            (workspace_id, fp, v.rule_id, enum_value(v.subject_kind), v.subject_id,
             v.stage, enum_value(v.severity), v.explanation, to_json(f),
             fired_at, fired_at, fired_at, instant(ladder))
            for (v, ladder), f, fp in zip(found, fixes, prints, strict=True)
        ]
        returned = insert_chunks(conn, _FIRE_HEAD, _fire_row(mark(conn.dialect)), _FIRE_TAIL,
                                 rows, CHUNK)
        ids: dict[str, int] = {fp: vid for fp, vid in returned}
        out: dict[str, ViolationRecord] = {}
        ladders: dict[datetime | None, datetime | None] = {}  # a handful of instants
        for (v, ladder), f, fp in zip(found, fixes, prints, strict=True):
            vid = ids.get(fp)
            if vid is not None:
                if ladder not in ladders:
                    ladders[ladder] = utc_or_none(ladder, "next_escalation_at")
                out[fp] = ViolationRecord(
                    vid, workspace_id, fp, v.rule_id, enum_value(v.subject_kind),
                    v.subject_id, v.stage, enum_value(v.severity), v.explanation, f,
                    fired_at=when, level_changed_at=when, severity_changed_at=when,
                    next_escalation_at=ladders[ladder],
                )
        missing = {row[1] for row in rows} - ids.keys()
        if missing:  # fired by another transaction meanwhile: keep its row
            out.update(self._firing_rows(workspace_id, missing))
        return out

    def _firing_rows(
        self, workspace_id: int, fingerprints: Iterable[str]
    ) -> dict[str, ViolationRecord]:
        stmt = select(*_V.c).where(
            _V.c.workspace_id == workspace_id,
            _V.c.state == "firing",
            _V.c.fingerprint.in_(sorted(fingerprints)),
        )
        found = [ViolationRecord(**row._mapping) for row in self._s.execute(stmt)]
        return {r.fingerprint: r for r in found}

    def resolve_many(
        self,
        workspace_id: int,
        violation_ids: Iterable[int],
        at: datetime,
        resolution: str,
        by_id: int | None = None,
        fix: str | None = None,
    ) -> None:
        """Mark many rows resolved the same way, in one executemany (straight to the driver)."""
        ids = sorted(set(violation_ids))
        if not ids:
            return
        self._check_refs(workspace_id, people=(by_id,))
        conn = self._s.connection()
        q = mark(conn.dialect)
        sql = (f"UPDATE violations SET state = 'resolved', next_escalation_at = NULL, "
               f"resolved_at = {q}, resolution = {q}, resolved_by_id = {q}, resolved_fix = {q} "
               f"WHERE workspace_id = {q} AND id = {q}")
        to_instant = processor(conn.dialect, _V, "resolved_at") or (lambda value: value)
        when = to_instant(utc_or_none(at, "at"))
        run_many(conn, sql, [(when, resolution, by_id, fix, workspace_id, vid) for vid in ids])

    def redecide_many(
        self, workspace_id: int, changes: Sequence[tuple[int, dict[str, Any]]]
    ) -> None:
        """New wording (``REWORDED`` columns) or severity (``SEVERITY``) of firing rows,
        one executemany per shape (straight to the driver); ``changes`` = (violation id,
        values)."""
        if not changes:
            return
        conn = self._s.connection()
        dialect = conn.dialect
        shapes: dict[tuple[str, ...], builtins.list[tuple[Any, ...]]] = {}
        convert: dict[tuple[str, ...], builtins.list[Convert]] = {
            shape: _redecide_converters(dialect, shape) for shape in (REWORDED, SEVERITY)}
        for vid, values in changes:
            shape: tuple[str, ...] = SEVERITY if "severity" in values else REWORDED
            row = tuple(f(values[k]) for k, f in zip(shape, convert[shape], strict=True))
            shapes.setdefault(shape, []).append((*row, workspace_id, vid))
        q = mark(dialect)
        for shape, params in shapes.items():
            sets = ", ".join(f"{k} = {q}" for k in shape)
            run_many(conn, f"UPDATE violations SET {sets} WHERE workspace_id = {q} AND id = {q}",
                     params)


def _redecide_converters(dialect: Any, shape: tuple[str, ...]) -> builtins.list[Convert]:
    """Per column of ``shape``: the value as the driver takes it (severity: the enum's
    value; instants: UTC, naive refused; fixes: JSON)."""
    out: builtins.list[Convert] = []
    for name in shape:
        driver: Convert = processor(dialect, _V, name) or _same
        if name == "severity":
            out.append(partial(_enum_then, driver))
        elif name in ("severity_changed_at", "next_escalation_at"):
            out.append(partial(_utc_then, driver, name))
        else:
            out.append(driver)
    return out


def _same(value: Any) -> Any:
    return value


def _enum_then(driver: Convert, value: Any) -> Any:
    return driver(enum_value(value))


def _utc_then(driver: Convert, name: str, value: Any) -> Any:
    return driver(utc_or_none(value, name))
