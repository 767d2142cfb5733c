"""Stored ``next_check_at`` instants, shared by people and tasks: which have come, bulk writes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from storage.repositories._base import Repository, same_workspace, set_instants


def due_ids(repo: Repository, table: Any, workspace_id: int, now: datetime,
            limit: int | None = None) -> list[int]:
    """Ids of ``table``'s rows whose ``next_check_at`` has come (<= now), longest due first.

    ``limit``: at most that many (a tick's bounded batch).
    """
    stmt = (
        select(table.c.id)
        .where(table.c.workspace_id == workspace_id, table.c.next_check_at <= now)
        .order_by(table.c.next_check_at, table.c.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(repo._s.scalars(stmt))


def set_next_check(
    repo: Repository, table: Any, workspace_id: int, checks: Mapping[int, datetime | None],
    read_first: bool = True,
) -> None:
    """Bulk ``UPDATE table SET next_check_at = ? WHERE workspace_id = ? AND id = ?``,
    for the rows whose stored instant differs (a full check re-decides every row
    and most keep theirs: reading them is far cheaper than rewriting them).

    ``read_first=False``: every row is written unread, for a caller that knows
    nearly all of them differ (a tick's due rows, whose stored instant has come).
    """
    if not checks:
        return
    # A change's few rows: writing beats reading first.
    if not read_first or len(checks) < SKIP_UNCHANGED_FROM:
        _write_next_checks(repo, table, workspace_id, checks)
        return
    stored_stmt = repo._template(
        ("next_checks_of", table.name),
        lambda: select(table.c.id, table.c.next_check_at).where(
            same_workspace(table.c.workspace_id, bindparam("ws")), repo._ids(table.c.id)
        ),
    )
    rows = repo._s.execute(stored_stmt, {"ws": workspace_id, "ids": repo._ids_value(checks)})
    stored: dict[int, datetime | None] = {row[0]: row[1] for row in rows}
    changed = {k: at for k, at in checks.items() if k not in stored or stored[k] != at}
    _write_next_checks(repo, table, workspace_id, changed)


SKIP_UNCHANGED_FROM = 100  # rows from which only the changed next checks are written


def _write_next_checks(
    repo: Repository, table: Any, workspace_id: int, checks: Mapping[int, datetime | None]
) -> None:
    set_instants(repo, table, "next_check_at", workspace_id, checks)
