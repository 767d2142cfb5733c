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
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect

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
