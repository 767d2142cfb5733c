"""Owners' portfolios: what the person rules read of tasks a world did not load.

A tick re-decides the owner of every task whose verdict moved; the person
rules (``person.overloaded``, ``person.inactive``) look at all the tasks that
person owns, but only at a few facts of each. Loading those tasks whole — and
their stored verdicts — was half of a tick's time when a thousand due tasks
fired at once; two grouped statements summarise them instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, select

from engine.model import AT_RISK, Status, SubjectKind
from engine.rules import registry
from engine.world import Portfolio
from storage import models as m
from storage.repositories._base import Repository

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
        tasks it loads but does not decide.
        """
        persons = set(person_ids)
        if not persons:
            return {}
        params = {
            "ws": workspace_id,
            "persons": self._ids_value(persons),
            "loaded": self._ids_value(loaded),
        }
        counts = {
            owner: (int(n), latest)
            for owner, n, latest in self._s.execute(self._counts(), params)
        }
        dues: dict[int, list[datetime]] = {}
        risky: dict[int, list[int | None]] = {}
        for owner, due, project_id, at_risk in self._s.execute(self._active(), params):
            if due is not None:
                dues.setdefault(owner, []).append(due)
            if at_risk:
                risky.setdefault(owner, []).append(project_id)
        return {
            owner: Portfolio(
                n, latest, tuple(dues.get(owner, ())), tuple(risky.get(owner, ()))
            )
            for owner, (n, latest) in counts.items()
        }

    def _mine(self) -> Any:
        """The conditions every portfolio statement shares: owned by the persons, not loaded."""
        return and_(
            _T.c.workspace_id == bindparam("ws"),
            self._ids(_T.c.owner_id, "persons"),
            ~self._ids(_T.c.id, "loaded"),
        )

    def _counts(self) -> Any:
        def build() -> Any:
            latest = func.max(func.coalesce(_T.c.last_activity_at, _T.c.created_at))
            return (
                select(_T.c.owner_id, func.count(), latest)
                .where(self._mine())
                .group_by(_T.c.owner_id)
            )

        return self._template("portfolio_counts", build)

    def _active(self) -> Any:
        def build() -> Any:
            base_rules = sorted(r.id for r in registry.for_subject(SubjectKind.TASK, False))
            at_risk = exists().where(
                _V.c.workspace_id == _T.c.workspace_id,
                _V.c.subject_kind == SubjectKind.TASK.value,
                _V.c.subject_id == _T.c.id,
                _V.c.state == "firing",
                _V.c.severity.in_(_AT_RISK),
                _V.c.rule_id.in_(base_rules),
            )
            return select(_T.c.owner_id, _T.c.due, _T.c.project_id, at_risk.label("risky")).where(
                self._mine(),
                _T.c.status.not_in(_CLOSED),
                _T.c.recurrence.is_(None),
            )

        return self._template("portfolio_active", build)
