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
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from engine.model import AT_RISK, Status, SubjectKind
from engine.rules import registry
from engine.world import Portfolio
from storage import models as m
from storage.repositories._base import Repository
from storage.types import UTCDateTime

_T = m.tasks
_V = m.violations
_CLOSED = (Status.DONE.value, Status.CANCELLED.value)
_AT_RISK = tuple(sorted(s.value for s in AT_RISK))


class PortfolioReader(Repository):
    """Summaries of owned tasks, by owner, leaving out the ones already loaded."""

    def read(
        self, workspace_id: int, person_ids: Iterable[int], loaded: Iterable[int]
    ) -> dict[int, Portfolio]:
        """The portfolio of each person's owned tasks that are not in ``loaded``.

        A task counts as at risk by its stored firing base violations (warning
        or critical): the same verdicts ``World.known`` hands the engine for
        tasks it loads but does not decide. One grouped statement, one row per
        owner: the open tasks' deadlines and at-risk projects come aggregated
        (a tick's few hundred owners own thousands of open tasks; fetching them
        row by row cost more than the database's scan).
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

    def _filter_only(self, column: Any) -> Any:
        """SQLite: ``+column``, the same value, which the planner does not use to
        search an index. The firing index holds rule and severity after the
        subject; given the lists, SQLite searched it once per (rule, severity)
        pair — 30 probes per task instead of one (i23_lean_indexes made the
        portfolio read twice as slow before this)."""
        if self._dialect != "sqlite":
            return column
        return UnaryExpression(column, operator=custom_op("+"), type_=column.type)

    def _summary(self) -> Any:
        def build() -> Any:
            base_rules = sorted(r.id for r in registry.for_subject(SubjectKind.TASK, False))
            # ``SELECT id``, not ``SELECT *``: SQLite then reads the index alone.
            at_risk = select(_V.c.id).where(
                _V.c.workspace_id == _T.c.workspace_id,
                _V.c.subject_kind == SubjectKind.TASK.value,
                _V.c.subject_id == _T.c.id,
                _V.c.state == "firing",
                self._filter_only(_V.c.severity).in_(_AT_RISK),
                self._filter_only(_V.c.rule_id).in_(base_rules),
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
