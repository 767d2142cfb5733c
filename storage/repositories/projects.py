"""Projects of a workspace; names are unique case-insensitively (checked here)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from engine.model import Project
from storage import models as m
from storage.errors import Duplicate, NotFound
from storage.repositories._base import Repository, clean_fields, utc_or_none
from storage.repositories._convert import PROJECT_SELECT, project_from

UPDATABLE = ("name", "manager_id", "due", "active", "settings")
_PR = m.projects


class ProjectRepository(Repository):
    """Projects as engine ``Project`` values."""

    def add(
        self,
        workspace_id: int,
        name: str,
        manager_id: int | None = None,
        due: datetime | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Project:
        """Add a project; Duplicate when the name is taken (any letter case)."""
        name = name.strip()
        self._check_name(workspace_id, name)
        self._check_refs(workspace_id, people=(manager_id,))
        values = {
            "workspace_id": workspace_id,
            "name": name,
            "manager_id": manager_id,
            "due": utc_or_none(due, "due"),
            "active": True,
            "settings": dict(settings or {}),
        }
        new_id = self._s.execute(insert(_PR).values(values).returning(_PR.c.id)).scalar_one()
        return self._require(workspace_id, new_id)

    def get(self, workspace_id: int, project_id: int) -> Project | None:
        """The project with this id in the workspace, or None."""
        stmt = self._template("project", lambda: select(*PROJECT_SELECT).where(
            _PR.c.workspace_id == bindparam("ws"), _PR.c.id == bindparam("id")))
        row = self._s.execute(stmt, {"ws": workspace_id, "id": project_id}).first()
        return project_from(row) if row else None

    def by_name(self, workspace_id: int, name: str) -> Project | None:
        """The project with this name (case-insensitive), or None."""
        needle = name.strip().lower()
        row = self._s.execute(
            select(*PROJECT_SELECT)
            .where(_PR.c.workspace_id == workspace_id, func.lower(_PR.c.name) == needle)
            .order_by(_PR.c.id)
        ).first()
        return project_from(row) if row else None

    def list(self, workspace_id: int, active_only: bool = False) -> builtins.list[Project]:
        """Every project of the workspace, by id."""
        stmt = select(*PROJECT_SELECT).where(_PR.c.workspace_id == workspace_id)
        if active_only:
            stmt = stmt.where(_PR.c.active.is_(True))
        return [project_from(row) for row in self._s.execute(stmt.order_by(_PR.c.id))]

    def managed_by(self, workspace_id: int, manager_id: int,
                   active_only: bool = True) -> builtins.list[int]:
        """Ids of the projects this person manages (a digest asks for every person)."""
        stmt = select(_PR.c.id).where(_PR.c.workspace_id == workspace_id,
                                      _PR.c.manager_id == manager_id)
        if active_only:
            stmt = stmt.where(_PR.c.active.is_(True))
        return [row.id for row in self._s.execute(stmt.order_by(_PR.c.id))]

    def update(self, workspace_id: int, project_id: int, **fields: Any) -> Project:
        """Change the given fields (see UPDATABLE); returns the updated project."""
        values = clean_fields(fields, UPDATABLE, "project")
        if "name" in values:
            values["name"] = values["name"].strip()
            self._check_name(workspace_id, values["name"], except_id=project_id)
        if "settings" in values:
            values["settings"] = dict(values["settings"] or {})
        self._check_refs(workspace_id, people=(values.get("manager_id"),))
        if values:
            result = self._s.execute(
                update(_PR)
                .where(_PR.c.workspace_id == workspace_id, _PR.c.id == project_id)
                .values(values)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFound(f"no project {project_id} in workspace {workspace_id}")
        return self._require(workspace_id, project_id)

    def _check_name(self, workspace_id: int, name: str, except_id: int | None = None) -> None:
        if not name:
            raise ValueError("a project needs a name")
        clash = self.by_name(workspace_id, name)
        if clash is not None and clash.id != except_id:
            raise Duplicate(f"project {clash.name!r} already exists")

    def _require(self, workspace_id: int, project_id: int) -> Project:
        project = self.get(workspace_id, project_id)
        if project is None:
            raise NotFound(f"no project {project_id} in workspace {workspace_id}")
        return project
