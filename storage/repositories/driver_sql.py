"""Bulk statements sent straight to the DB-API driver, their values converted once.

A tick batch writes a thousand violations and outbox rows in a handful of
multi-row statements. Through SQLAlchemy each of those statements bound
thousands of named parameters: a dict of ``name_i`` keys built per row, then
looked up and run through its column type's processor one by one — more
Python than the database's own work on the rows. Here the values go to the
driver as one positional tuple, each column's processor (the same one
SQLAlchemy would apply: the JSON serializer, the UTC instant's form) called
directly, and constant columns written as SQL literals. The statements are
the same SQL on SQLite (3.35+) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect

from storage.repositories._base import chunks, utc_or_none

Convert = Callable[[Any], Any]


def processor(dialect: Dialect, table: Table, column: str) -> Convert | None:
    """The driver-side conversion SQLAlchemy applies to ``table.column``'s values on
    ``dialect`` (None: passed as they are), looked up once per dialect (kept on the
    dialect itself: it depends on the engine's JSON serializer too)."""
    cache: dict[tuple[str, str], Convert | None] = dialect.__dict__.setdefault(
        "_vigil_bind_processors", {})
    key = (table.name, column)
    if key not in cache:
        col_type = table.c[column].type
        cache[key] = col_type.dialect_impl(dialect).bind_processor(dialect)
    return cache[key]


def instants(dialect: Dialect, table: Table, column: str) -> Callable[..., Any]:
    """``convert(value, name)``: an optional instant as the driver takes ``table.column``'s
    (ValueError naming ``name`` when naive), each distinct value converted once — a
    batch's rows share a handful of instants."""
    to_driver = processor(dialect, table, column) or (lambda value: value)
    seen: dict[datetime | None, Any] = {}

    def convert(value: datetime | None, name: str = column) -> Any:
        if value not in seen:
            seen[value] = to_driver(utc_or_none(value, name))
        return seen[value]

    return convert


def insert_chunks(
    conn: Connection, head: str, row: str, tail: str, rows: Sequence[Sequence[Any]], size: int
) -> list[Any]:
    """``rows`` in multi-row INSERTs of at most ``size`` rows (``chunks``); every row the
    statements return."""
    out: list[Any] = []
    for start, stop in chunks(len(rows), size):
        sql = multi_row_sql(head, row, stop - start, tail)
        out += run(conn, sql, [value for values in rows[start:stop] for value in values])
    return out


def converters(dialect: Dialect, table: Table, columns: Sequence[str]) -> list[Convert | None]:
    """``processor`` of each of ``columns``."""
    return [processor(dialect, table, c) for c in columns]


def mark(dialect: Dialect) -> str:
    """The driver's positional placeholder (sqlite3: ``?``, psycopg: ``%s``)."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


@lru_cache(maxsize=256)
def multi_row_sql(head: str, row: str, rows: int, tail: str) -> str:
    """``head VALUES row, row, ... tail`` with ``rows`` copies of the row (cached by size)."""
    return f"{head} VALUES {', '.join([row] * rows)} {tail}"


def run(conn: Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    """One statement with positional ``params``; the rows it returns, as tuples."""
    result = conn.exec_driver_sql(sql, tuple(params))
    return list(result) if result.returns_rows else []


def run_many(conn: Connection, sql: str, params: Sequence[Sequence[Any]]) -> None:
    """One executemany of ``sql`` over ``params`` (positional tuples)."""
    if params:
        conn.exec_driver_sql(sql, list(params))
