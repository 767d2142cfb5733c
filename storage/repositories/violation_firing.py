"""The firing rows as the evaluation, the escalation ladder and a full check read them:
by subject, as the engine's verdicts, orphans whose subject is gone, and the rows whose
next escalation has come (the read half of ``ViolationRepository``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, union_all

from engine.model import Severity, SubjectKind, Violation
from storage import models as m
from storage.records import ViolationRecord
from storage.repositories._base import Repository, utc_or_none
from storage.repositories.violation_reports import (
    _COLUMNS,
    _VERDICT_ONLY,
    _WITHOUT_FIXES,
    _record,
)

_V = m.violations


def firing_rows(
    repo: Repository,
    workspace_id: int,
    key: tuple[Any, ...],
    columns: Sequence[Any],
    task_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
) -> builtins.list[Any]:
    """``columns`` of the firing rows whose subject is one of these tasks, people or
    projects: one SELECT per subject kind so each uses the (workspace, kind, subject)
    index, sent as one statement (a template under ``key``)."""
    wanted = {
        kind: set(ids)
        for kind, ids in (("task", task_ids), ("person", person_ids), ("project", project_ids))
    }
    kinds = tuple(kind for kind, ids in wanted.items() if ids)
    if not kinds:
        return []

    def build() -> Any:
        parts = [
            select(*columns).where(
                _V.c.workspace_id == bindparam("ws"),
                _V.c.subject_kind == kind,
                repo._ids(_V.c.subject_id, f"ids_{kind}"),
                _V.c.state == "firing",
            )
            for kind in kinds
        ]
        return parts[0] if len(parts) == 1 else union_all(*parts)

    stmt = repo._template((*key, kinds), build)
    params: dict[str, Any] = {"ws": workspace_id}
    params.update({f"ids_{kind}": repo._ids_value(wanted[kind]) for kind in kinds})
    return builtins.list(repo._s.execute(stmt, params).all())


class FiringViolations(Repository):
    """Reads of the firing violations of a workspace."""

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
        columns = _VERDICT_ONLY if not lifecycle else _COLUMNS if fixes else _WITHOUT_FIXES
        rows = firing_rows(self, workspace_id, ("firing_of", fixes, lifecycle), columns,
                           task_ids, person_ids, project_ids)
        found = [_record(row) for row in rows]
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
