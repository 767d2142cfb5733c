"""Set-based writes of violations: what one evaluation batch fired, resolved or reworded.

A tick or full-check batch can change thousands of rows; one statement per
row (and a savepoint each) was most of a burst's cost. Here a batch is a few
multi-row statements whatever its size.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import bindparam, select, text, update

from engine.model import Fix, Violation
from storage import models as m
from storage.repositories._base import Repository, chunks, enum_value, utc_or_none

_V = m.violations
CHUNK = 200  # rows per multi-row INSERT (9 binds each: far below both databases' limits)

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


# What differs between the rows of one batch's INSERT; the rest (workspace, state,
# instants, level) is the same for all of them and bound once per statement.
PER_ROW = (
    "fingerprint", "rule_id", "subject_kind", "subject_id", "stage", "severity",
    "explanation", "fixes", "next_escalation_at",
)
INSTANTS = frozenset({"next_escalation_at"})
SHARED = {"workspace_id": ":ws", "state": "'firing'", "fired_at": ":at", "level": "0",
          "level_changed_at": ":at", "severity_changed_at": ":at"}


def _fire_many_sql(rows: int) -> Any:
    """``rows`` firing rows in one INSERT that yields to rows already firing, as SQL text
    (compiled once per size; the same SQL runs on SQLite 3.35+ and PostgreSQL).

    Only the ``PER_ROW`` columns are bound per row: binding (and converting) the
    shared instant three times a row was a large part of a first check's writes.
    """
    def value(name: str, i: int) -> str:
        return SHARED.get(name) or f":{name}_{i}"

    values = ", ".join(
        "(" + ", ".join(value(name, i) for name in FIRED) + ")" for i in range(rows)
    )
    sql = (
        f"INSERT INTO violations ({', '.join(FIRED)}) VALUES {values} "
        "ON CONFLICT (workspace_id, fingerprint) WHERE state = 'firing' DO NOTHING "
        "RETURNING fingerprint, id"
    )
    # The instants come converted for the database already (``_instants``): untyped.
    binds = [bindparam("ws", type_=_V.c.workspace_id.type), bindparam("at")]
    binds += [
        bindparam(f"{name}_{i}") if name in INSTANTS else bindparam(f"{name}_{i}",
                                                                   type_=_V.c[name].type)
        for i in range(rows) for name in PER_ROW
    ]
    return text(sql).bindparams(*binds)


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
        Multi-row INSERTs of ``CHUNK`` rows, no savepoint.
        """
        when = utc_or_none(at, "at")
        rows = [
            firing_values(workspace_id, v, when, utc_or_none(ladder, "next_escalation_at"))
            for v, ladder in found
        ]
        ids: dict[str, int] = {}
        convert = self._instants()
        for start, stop in chunks(len(rows), CHUNK):
            chunk = rows[start:stop]
            size = len(chunk)
            stmt = self._template(("violation_fire_many", size), partial(_fire_many_sql, size))
            params: dict[str, Any] = {"ws": workspace_id, "at": convert(when)}
            params.update(
                (f"{k}_{i}", convert(row[k]) if k in INSTANTS else row[k])
                for i, row in enumerate(chunk) for k in PER_ROW
            )
            ids.update((fp, vid) for fp, vid in self._s.execute(stmt, params))
        missing = {row["fingerprint"] for row in rows} - ids.keys()
        if missing:  # fired by another transaction meanwhile: keep its row
            ids.update(self._firing_ids(workspace_id, missing))
        return ids

    def _instants(self) -> Callable[[datetime | None], Any]:
        """Instants as the database's driver takes them (the column type's own conversion),
        each distinct value converted once: a batch's rows share a handful of instants."""
        process = _V.c.fired_at.type.bind_processor(self._s.get_bind().dialect)
        return lru_cache(maxsize=256)(process or (lambda value: value))

    def _firing_ids(self, workspace_id: int, fingerprints: Iterable[str]) -> dict[str, int]:
        stmt = select(_V.c.fingerprint, _V.c.id).where(
            _V.c.workspace_id == workspace_id,
            _V.c.state == "firing",
            _V.c.fingerprint.in_(sorted(fingerprints)),
        )
        return {fp: vid for fp, vid in self._s.execute(stmt)}

    def resolve_many(
        self,
        workspace_id: int,
        violation_ids: Iterable[int],
        at: datetime,
        resolution: str,
        by_id: int | None = None,
        fix: str | None = None,
    ) -> None:
        """Mark many rows resolved the same way, in one executemany."""
        ids = sorted(set(violation_ids))
        if not ids:
            return
        self._check_refs(workspace_id, people=(by_id,))
        stmt = self._template(
            "violation_resolve_many",
            lambda: update(_V)
            .where(_V.c.workspace_id == bindparam("_ws"), _V.c.id == bindparam("_id"))
            .values(
                state="resolved",
                next_escalation_at=None,
                resolved_at=bindparam("_at"),
                resolution=bindparam("_how"),
                resolved_by_id=bindparam("_by"),
                resolved_fix=bindparam("_fix"),
            ),
        )
        when = utc_or_none(at, "at")
        params = [
            {"_ws": workspace_id, "_id": vid, "_at": when, "_how": resolution, "_by": by_id,
             "_fix": fix}
            for vid in ids
        ]
        self._s.execute(stmt, params)

    def redecide_many(
        self, workspace_id: int, changes: Sequence[tuple[int, dict[str, Any]]]
    ) -> None:
        """New wording (``REWORDED`` columns) or severity (``SEVERITY``) of firing rows,
        one executemany per shape; ``changes`` = (violation id, values)."""
        shapes: dict[tuple[str, ...], builtins.list[dict[str, Any]]] = {}
        for vid, values in changes:
            shape: tuple[str, ...] = SEVERITY if "severity" in values else REWORDED
            row = {f"_{k}": values[k] for k in shape}
            if "_severity" in row:
                row["_severity"] = enum_value(row["_severity"])
            for k in ("_severity_changed_at", "_next_escalation_at"):
                if k in row:
                    row[k] = utc_or_none(row[k], k)
            row.update(_ws=workspace_id, _id=vid)
            shapes.setdefault(shape, []).append(row)
        for shape, params in shapes.items():
            self._s.execute(self._redecide(shape), params)

    def _redecide(self, shape: tuple[str, ...]) -> Any:
        def build() -> Any:
            return (
                update(_V)
                .where(_V.c.workspace_id == bindparam("_ws"), _V.c.id == bindparam("_id"))
                .values({k: bindparam(f"_{k}") for k in shape})
            )

        return self._template(("violation_redecide", shape), build)
