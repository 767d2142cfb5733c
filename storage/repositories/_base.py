"""Shared plumbing for repositories: the session, id-list predicates, reference checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Executable,
    Table,
    any_,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Integer

from storage import models as m
from storage.errors import InvalidReference
from storage.types import check_instants

S = TypeVar("S", bound=Executable)
_TEMPLATES: dict[tuple[str, Hashable], Any] = {}


class Repository:
    """Base of every repository: holds the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    @property
    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

    def _in(self, column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
        """``column IN ids`` as ONE bound parameter, whatever the list's length.

        PostgreSQL: ``= ANY(:array)``; SQLite: ``IN (SELECT value FROM json_each(:json))``.
        """
        values = sorted({int(i) for i in ids})
        if self._dialect == "postgresql":
            return column == any_(bindparam(None, values, type_=ARRAY(Integer), unique=True))
        if len(values) <= 16:
            return column.in_(values)
        table = func.json_each(bindparam(None, json.dumps(values), unique=True)).table_valued(
            "value"
        )
        return column.in_(select(table.c.value))

    def _ids(self, column: Any, name: str = "ids") -> ColumnElement[bool]:
        """``column IN :name`` for a statement template; bind ``_ids_value(ids)`` to it."""
        if self._dialect == "postgresql":
            return column == any_(bindparam(name, type_=ARRAY(Integer)))
        table = func.json_each(bindparam(name)).table_valued("value")
        return column.in_(select(table.c.value))

    def _ids_value(self, ids: Iterable[int]) -> list[int] | str:
        """The value to bind to an ``_ids`` parameter."""
        values = sorted({int(i) for i in ids})
        return values if self._dialect == "postgresql" else json.dumps(values)

    def _template(self, key: Hashable, build: Callable[[], S]) -> S:
        """A statement built once per dialect and reused (parameters bound at execution).

        Building and cache-keying a SQLAlchemy statement costs more than running
        a small indexed query; hot paths reuse immutable templates instead.
        """
        full_key = (self._dialect, key)
        stmt = _TEMPLATES.get(full_key)
        if stmt is None:
            stmt = _TEMPLATES[full_key] = build()
        return stmt  # type: ignore[no-any-return]

    def _pick_locked(self, pick: Any) -> list[int]:
        """The ids ``pick`` selects, their rows locked for this transaction.

        PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers never take
        the same rows; SQLite has a single writer and needs no lock.
        """
        if self._dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        return list(self._s.scalars(pick))

    def _existing(self, table: Table, ws: int, ids: Collection[int]) -> set[int]:
        if not ids:
            return set()
        stmt = self._template(
            ("existing", table.name),
            lambda: select(table.c.id).where(
                same_workspace(table.c.workspace_id, bindparam("ws")), self._ids(table.c.id)
            ),
        )
        return set(self._s.scalars(stmt, {"ws": ws, "ids": self._ids_value(ids)}))

    def _check_refs(
        self,
        ws: int,
        people: Iterable[int | None] = (),
        projects: Iterable[int | None] = (),
        tasks: Iterable[int | None] = (),
    ) -> None:
        """Raise InvalidReference unless every given id exists in workspace ``ws``.

        One statement for all the kinds asked about (a UNION of id lookups).
        """
        wanted = {
            label: ids
            for label, ids in (
                ("person", {i for i in people if i is not None}),
                ("project", {i for i in projects if i is not None}),
                ("task", {i for i in tasks if i is not None}),
            )
            if ids
        }
        if not wanted:
            return
        kinds = tuple(wanted)
        stmt = self._template(("refs", kinds), lambda: _refs_statement(self, kinds))
        params: dict[str, Any] = {"ws": ws}
        params.update({f"ids_{k}": self._ids_value(ids) for k, ids in wanted.items()})
        found: dict[str, set[int]] = {k: set() for k in kinds}
        for kind, ref_id in self._s.execute(stmt, params):
            found[kind].add(ref_id)
        for kind, ids in wanted.items():
            missing = ids - found[kind]
            if missing:
                raise InvalidReference(f"no {kind} {sorted(missing)} in workspace {ws}")


_REF_TABLES = {"person": m.people, "project": m.projects, "task": m.tasks}


def _refs_statement(repo: Repository, kinds: tuple[str, ...]) -> Any:
    parts = [
        select(literal(kind).label("kind"), _REF_TABLES[kind].c.id).where(
            same_workspace(_REF_TABLES[kind].c.workspace_id, bindparam("ws")),
            repo._ids(_REF_TABLES[kind].c.id, f"ids_{kind}"),
        )
        for kind in kinds
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def set_instants(
    repo: Repository, table: Table, column: str, workspace_id: int,
    instants: Mapping[int, datetime | None],
) -> None:
    """``UPDATE table SET column = ? WHERE workspace_id = ? AND id = ?`` for many ids,
    in one executemany, by id (ValueError on a naive instant, before any write)."""
    if not instants:
        return
    checked = [(int(key), utc_or_none(at, column)) for key, at in sorted(instants.items())]
    conn = repo._s.connection()
    dialect = conn.dialect
    # Straight to the driver's executemany: SQLAlchemy's per-row parameter processing
    # was most of the cost of a first check's 100,000 next checks. Each distinct
    # instant goes through the column type's own conversion once.
    convert = table.c[column].type.bind_processor(dialect) or (lambda value: value)
    seen: dict[datetime | None, Any] = {}
    rows = [
        (seen[at] if at in seen else seen.setdefault(at, convert(at)), workspace_id, key)
        for key, at in checked
    ]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"UPDATE {table.name} SET {column} = {mark} "
           f"WHERE workspace_id = {mark} AND id = {mark}")
    conn.exec_driver_sql(sql, rows)


def chunks(count: int, size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` slices covering ``count`` rows for multi-row statements: full
    chunks of ``size``, then the rest in powers of two (137 -> 128, 8, 1).

    Each row count is its own statement to compile; this way a process compiles
    a handful of them, not one per remainder it ever meets.
    """
    if size < 1:
        raise ValueError(f"chunk size must be >= 1, not {size}")
    out: list[tuple[int, int]] = []
    start = 0
    while count - start >= size:
        out.append((start, start + size))
        start += size
    rest = count - start
    while rest:
        part = 1 << (rest.bit_length() - 1)
        out.append((start, start + part))
        start += part
        rest -= part
    return out


def same_workspace(column: Any, workspace_id: Any) -> ColumnElement[bool]:
    """``column = workspace_id`` as a row filter that no index can serve.

    For lookups by id: without table statistics SQLite would otherwise pick a
    (workspace_id, ...) covering index and walk the whole workspace instead of
    fetching the few ids by primary key.
    """
    return (column + 0) == workspace_id


def clean_fields(fields: Mapping[str, Any], allowed: Collection[str], what: str) -> dict[str, Any]:
    """Refuse unknown field names; normalise datetimes to UTC (ValueError when naive)."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} field(s): {', '.join(sorted(unknown))}")
    return check_instants(dict(fields))


def enum_value(value: Any) -> Any:
    """The ``.value`` of an Enum member, anything else unchanged."""
    return getattr(value, "value", value)


def utc_or_none(value: datetime | None, name: str) -> datetime | None:
    """Validate an optional instant (ValueError when naive)."""
    return check_instants({name: value})[name]
