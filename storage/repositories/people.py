"""People and their platform identities, scoped to one workspace."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from engine.model import Person, Role
from storage import models as m
from storage.errors import Duplicate, NotFound
from storage.records import IdentityRecord
from storage.repositories._base import (
    clean_fields,
    enum_value,
    same_workspace,
    utc_or_none,
)
from storage.repositories._convert import PERSON_SELECT, person_from
from storage.repositories.next_checks import set_next_check
from storage.repositories.people_schedule import PersonSchedule

__all__ = ["UPDATABLE", "PeopleRepository", "set_next_check"]

UPDATABLE = (
    "name",
    "handle",
    "role",
    "reports_to_id",
    "tz",
    "work_start",
    "work_end",
    "active",
    "ooo_from",
    "ooo_until",
    "backup_id",
    "digest_time",
)
_P = m.people


class PeopleRepository(PersonSchedule):
    """People of a workspace as engine ``Person`` values (due checks and digests:
    ``PersonSchedule``)."""

    def add(
        self,
        workspace_id: int,
        name: str,
        handle: str | None = None,
        role: str = "member",
        reports_to_id: int | None = None,
        tz: str | None = None,
        backup_id: int | None = None,
        created_at: datetime | None = None,
        **fields: Any,
    ) -> Person:
        """Add a person (extra ``fields``: work_start, work_end, active, ooo_from, ooo_until)."""
        extra = clean_fields(fields, UPDATABLE, "person")
        self._check_refs(workspace_id, people=(reports_to_id, backup_id))
        values = {
            "workspace_id": workspace_id,
            "name": name,
            "handle": (handle or "").lstrip("@") or None,
            "role": enum_value(role),
            "reports_to_id": reports_to_id,
            "tz": tz,
            "backup_id": backup_id,
            "active": True,
            "created_at": utc_or_none(created_at, "created_at") or datetime.now(UTC),
            **extra,
        }
        new_id = self._s.execute(insert(_P).values(values).returning(_P.c.id)).scalar_one()
        return self._require(workspace_id, new_id)

    def digest_times(self, workspace_id: int,
                     person_ids: Iterable[int] | None = None) -> dict[int, time]:
        """``person id -> digest time`` of the people who chose their own (all: None ids)."""
        stmt = select(_P.c.id, _P.c.digest_time).where(
            _P.c.workspace_id == workspace_id, _P.c.digest_time.is_not(None))
        if person_ids is not None:
            ids = set(person_ids)
            if not ids:
                return {}
            stmt = stmt.where(_P.c.id.in_(sorted(ids)))
        return {row.id: row.digest_time for row in self._s.execute(stmt)}

    def get(self, workspace_id: int, person_id: int) -> Person | None:
        """The person with this id in the workspace, or None."""
        stmt = self._template("person", lambda: select(*PERSON_SELECT).where(
            _P.c.workspace_id == bindparam("ws"), _P.c.id == bindparam("id")))
        row = self._s.execute(stmt, {"ws": workspace_id, "id": person_id}).first()
        return person_from(row) if row else None

    def get_many(self, workspace_id: int, person_ids: Iterable[int]) -> builtins.list[Person]:
        """The people with these ids, by id (unknown ids and other workspaces' are left out)."""
        ids = set(person_ids)
        if not ids:
            return []
        stmt = select(*PERSON_SELECT).where(
            same_workspace(_P.c.workspace_id, workspace_id), self._in(_P.c.id, ids)
        )
        return [person_from(row) for row in self._s.execute(stmt.order_by(_P.c.id))]

    def by_handle(self, workspace_id: int, text: str) -> Person | None:
        """Case-insensitive match on handle (leading ``@`` ignored), then on name."""
        needle = text.strip().lstrip("@").lower()
        if not needle:
            return None
        rows = self._s.execute(
            select(*PERSON_SELECT, (func.lower(_P.c.handle) == needle).label("by_handle"))
            .where(
                _P.c.workspace_id == workspace_id,
                or_(func.lower(_P.c.handle) == needle, func.lower(_P.c.name) == needle),
            )
            .order_by(_P.c.id)
        ).all()
        best = sorted(rows, key=lambda r: not r.by_handle)
        return person_from(tuple(best[0])[:-1]) if best else None

    def list(self, workspace_id: int, active_only: bool = False) -> builtins.list[Person]:
        """Every person of the workspace, by id."""
        stmt = select(*PERSON_SELECT).where(_P.c.workspace_id == workspace_id)
        if active_only:
            stmt = stmt.where(_P.c.active.is_(True))
        return [person_from(row) for row in self._s.execute(stmt.order_by(_P.c.id))]

    def count(self, workspace_id: int) -> int:
        """How many people the workspace has."""
        stmt = select(func.count()).select_from(_P).where(_P.c.workspace_id == workspace_id)
        return int(self._s.scalar(stmt) or 0)

    def update(self, workspace_id: int, person_id: int, **fields: Any) -> Person:
        """Change the given fields (see UPDATABLE); returns the updated person."""
        values = clean_fields(fields, UPDATABLE, "person")
        if "role" in values:
            values["role"] = enum_value(values["role"])
        if "handle" in values:
            values["handle"] = (values["handle"] or "").lstrip("@") or None
        self._check_refs(
            workspace_id, people=(values.get("reports_to_id"), values.get("backup_id"))
        )
        if values:
            result = self._s.execute(
                update(_P)
                .where(_P.c.workspace_id == workspace_id, _P.c.id == person_id)
                .values(values)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFound(f"no person {person_id} in workspace {workspace_id}")
        return self._require(workspace_id, person_id)

    def add_identity(
        self, workspace_id: int, person_id: int, platform: str, external_id: str
    ) -> IdentityRecord:
        """Link a platform account to a person (Duplicate if already linked in the workspace)."""
        self._check_refs(workspace_id, people=(person_id,))
        values = {
            "workspace_id": workspace_id,
            "person_id": person_id,
            "platform": platform,
            "external_id": str(external_id),
        }
        try:
            with self._s.begin_nested():
                new_id = self._s.execute(
                    insert(m.identities).values(values).returning(m.identities.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            raise Duplicate(f"{platform} account {external_id} is already linked") from exc
        return IdentityRecord(id=new_id, **values)  # type: ignore[arg-type]

    def move_identity(self, workspace_id: int, platform: str, old: str, new: str) -> bool:
        """Re-point a platform account id (the platform renumbered it); False if none."""
        i = m.identities
        result = self._s.execute(
            update(i)
            .where(i.c.workspace_id == workspace_id, i.c.platform == platform,
                   i.c.external_id == str(old))
            .values(external_id=str(new))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def identities(self, workspace_id: int, person_id: int) -> builtins.list[IdentityRecord]:
        """Every platform account of a person."""
        i = m.identities
        rows = self._s.execute(
            select(i.c.id, i.c.workspace_id, i.c.person_id, i.c.platform, i.c.external_id)
            .where(i.c.workspace_id == workspace_id, i.c.person_id == person_id)
            .order_by(i.c.id)
        )
        return [IdentityRecord(*row) for row in rows]

    def by_identity(self, workspace_id: int, platform: str, external_id: str) -> Person | None:
        """The person behind a platform account, or None."""
        i = m.identities
        row = self._s.execute(
            select(*PERSON_SELECT)
            .join(i, i.c.person_id == _P.c.id)
            .where(
                i.c.workspace_id == workspace_id,
                _P.c.workspace_id == workspace_id,
                i.c.platform == platform,
                i.c.external_id == str(external_id),
            )
        ).first()
        return person_from(row) if row else None

    # -- reporting lines --------------------------------------------------------

    def reporting_to(
        self, workspace_id: int, manager_ids: Iterable[int]
    ) -> builtins.list[Person]:
        """The direct reports of these people, by id."""
        ids = set(manager_ids)
        if not ids:
            return []
        stmt = select(*PERSON_SELECT).where(
            _P.c.workspace_id == workspace_id, self._in(_P.c.reports_to_id, ids)
        )
        return [person_from(row) for row in self._s.execute(stmt.order_by(_P.c.id))]

    def has_reports(self, workspace_id: int, person_id: int) -> bool:
        """True when anyone reports to this person."""
        stmt = self._template(
            "has_reports",
            lambda: select(_P.c.id)
            .where(_P.c.workspace_id == bindparam("ws"), _P.c.reports_to_id == bindparam("pid"))
            .limit(1),
        )
        return self._s.execute(stmt, {"ws": workspace_id, "pid": person_id}).first() is not None

    def admin_ids(self, workspace_id: int) -> builtins.list[int]:
        """Ids of the workspace's active admins, by id (routing asks for every problem)."""
        stmt = select(_P.c.id).where(_P.c.workspace_id == workspace_id,
                                     _P.c.role == enum_value(Role.ADMIN), _P.c.active.is_(True))
        return [row.id for row in self._s.execute(stmt.order_by(_P.c.id))]

    def reports_under(self, workspace_id: int, manager_id: int) -> set[int]:
        """Ids of the people who report to ``manager_id``, directly or further down.

        One recursive query over the reports_to index: a digest or My Tasks of one person
        must not read every person of a large workspace (5,000 people at 100k tasks)."""
        below = (
            select(_P.c.id)
            .where(_P.c.workspace_id == workspace_id, _P.c.reports_to_id == manager_id)
            .cte("below", recursive=True)
        )
        below = below.union(
            select(_P.c.id).where(_P.c.workspace_id == workspace_id,
                                  _P.c.reports_to_id == below.c.id)
        )
        found = {row.id for row in self._s.execute(select(below.c.id))}
        found.discard(manager_id)  # a reporting loop back to the manager is not a report
        return found

    def _require(self, workspace_id: int, person_id: int) -> Person:
        person = self.get(workspace_id, person_id)
        if person is None:
            raise NotFound(f"no person {person_id} in workspace {workspace_id}")
        return person
