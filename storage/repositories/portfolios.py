"""Owners' portfolios: what the person rules read of tasks a world did not load.

A tick re-decides the owner of every task whose verdict moved; the person
rules (``person.overloaded``, ``person.inactive``) look at all the tasks that
person owns, but only at a few facts of each. Loading those tasks whole — and
their stored verdicts — was half of a tick's time when a thousand due tasks
fired at once; one grouped statement summarises them instead, one row per
owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, and_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from engine.model import Status
from engine.world import Portfolio
from storage import models as m
from storage.repositories._base import Repository
from storage.types import UTCDateTime

_T = m.tasks
_R = m.task_risk
_CLOSED = (Status.DONE.value, Status.CANCELLED.value)


class PortfolioReader(Repository):
    """Summaries of owned tasks, by owner, leaving out the ones already loaded."""

    def read(
        self, workspace_id: int, person_ids: Iterable[int], loaded: Iterable[int]
    ) -> dict[int, Portfolio]:
        """The portfolio of each person's owned tasks that are not in ``loaded``.

        A task counts as at risk by its stored firing base violations (warning
        or critical, counted in ``task_risk``): the same verdicts ``World.known``
        hands the engine for tasks it loads but does not decide. The owned
        tasks are read from the covering (workspace, owner, ...) index alone.
        One grouped statement, one row per owner: the open tasks' deadlines
        and at-risk projects come aggregated (a tick's few hundred owners own
        thousands of open tasks; fetching them row by row cost more than the
        database's scan).
        """
        persons = set(person_ids)
        if not persons:
            return {}
        params = {
            "ws": workspace_id,
            "persons": self._ids_value(persons),
            "loaded": self._ids_value(loaded),
        }
        instants, ids = self._unpackers()
        return {
            owner: Portfolio(int(n), latest, instants(dues), ids(risky))
            for owner, n, latest, dues, risky in self._s.execute(self._summary(), params)
        }

    def _unpackers(self) -> tuple[Callable[[Any], tuple[datetime, ...]],
                                  Callable[[Any], tuple[int | None, ...]]]:
        """Turn the aggregated columns into tuples: PostgreSQL's arrays come typed,
        SQLite's ``group_concat`` text is split and parsed as the column type would."""
        if self._dialect == "postgresql":
            return (lambda v: tuple(v or ())), (lambda v: tuple(p or None for p in v or ()))
        dialect = self._s.get_bind().dialect
        processor = _T.c.due.type.result_processor(dialect, None)
        assert processor is not None
        parse = cast(Callable[[str], datetime], processor)

        def instants(value: str | None) -> tuple[datetime, ...]:
            return tuple(map(parse, value.split(","))) if value else ()

        def ids(value: str | None) -> tuple[int | None, ...]:
            return tuple(int(p) or None for p in value.split(",")) if value else ()

        return instants, ids

    def _summary(self) -> Any:
        def build() -> Any:
            # ``task_risk`` counts each task's firing warning or critical base
            # violations (kept by triggers, i25_task_risk): one small lookup a task,
            # not a probe of the wide firing index (most of this statement's time).
            at_risk = select(_R.c.task_id).where(
                _R.c.workspace_id == _T.c.workspace_id, _R.c.task_id == _T.c.id, _R.c.n > 0,
            ).exists()
            active = and_(_T.c.status.not_in(_CLOSED), _T.c.recurrence.is_(None))
            # No project: 0 (ids start at 1), so the aggregate keeps one entry per task.
            project = func.coalesce(_T.c.project_id, 0)
            if self._dialect == "postgresql":
                dues: Any = func.array_agg(_T.c.due, type_=ARRAY(UTCDateTime))
                risky: Any = func.array_agg(project, type_=ARRAY(Integer))
            else:
                dues, risky = func.group_concat(_T.c.due), func.group_concat(project)
            latest = func.max(func.coalesce(_T.c.last_activity_at, _T.c.created_at))
            return (
                select(
                    _T.c.owner_id,
                    func.count(),
                    latest,
                    dues.filter(and_(active, _T.c.due.is_not(None))),
                    risky.filter(and_(active, at_risk)),
                )
                .where(
                    _T.c.workspace_id == bindparam("ws"),
                    self._ids(_T.c.owner_id, "persons"),
                    ~self._ids(_T.c.id, "loaded"),
                )
                .group_by(_T.c.owner_id)
            )

        return self._template("portfolio_summary", build)
