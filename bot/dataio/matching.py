"""Finding the people, projects and tasks an import names among those already there.

A person is matched by email (kept as an ``email`` identity when Vigil
creates someone from an import), then by handle, then by full name, and only
then created; the same goes for projects by name. Tasks imported earlier
are found by the source's id (recorded when they were imported), else by
title within their project, so re-importing updates them instead of
duplicating them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.services.people import add_person
from engine.model import Task
from storage.uow import UnitOfWork

EMAIL = "email"  # the identity platform under which imported email addresses are kept


def handle_for(name: str) -> str:
    """The handle an imported person gets from their name: 'Priya Shah' -> 'priya.shah'
    (at most 90 characters, so a number can follow within a handle's 100)."""
    return re.sub(r"[^\w.\-]+", ".", name.strip().lower()).strip(".")[:90].strip(".") or "person"


def _is_email(text: str) -> bool:
    return "@" in text.strip("@") and " " not in text.strip()


@dataclass
class People:
    """The workspace's people by email, handle and name; creates the missing ones."""

    ws: int
    by_email: dict[str, int] = field(default_factory=dict)
    by_handle: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # as written -> who it is

    def load(self, uow: UnitOfWork) -> None:
        for person in uow.people.list(self.ws):
            self.by_handle.setdefault(person.handle.lower(), person.id)
            self.by_name.setdefault(person.name.casefold(), person.id)
            for identity in uow.people.identities(self.ws, person.id):
                if identity.platform == EMAIL:
                    self.by_email.setdefault(identity.external_id.lower(), person.id)

    def find(self, text: str, email: str | None = None) -> int | None:
        raw = text.strip()
        for address in (email, raw if _is_email(raw) else None):
            if address and address.lower() in self.by_email:
                return self.by_email[address.lower()]
        handle = raw.lstrip("@").lower()
        if handle in self.by_handle:
            return self.by_handle[handle]
        if raw.casefold() in self.by_name:
            return self.by_name[raw.casefold()]
        return self.by_handle.get(handle_for(raw))

    def person(self, uow: UnitOfWork, text: str, email: str | None = None) -> int:
        """The id of the person ``text`` names, created when nobody matches."""
        found = self.find(text, email)
        if found is not None:
            return found
        raw = text.strip().lstrip("@")
        address = email or (raw if _is_email(raw) else None)
        name = raw.split("@", 1)[0] if _is_email(raw) else raw
        handle = handle_for(name)
        base, n = handle, 1
        while handle in self.by_handle:
            n += 1
            handle = f"{base}{n}"
        person = add_person(uow, self.ws, name, handle=handle)
        if address:
            uow.people.add_identity(self.ws, person.id, EMAIL, address.lower())
            self.by_email[address.lower()] = person.id
        self.by_handle[handle] = person.id
        self.by_name[name.casefold()] = person.id
        self.created.append(f"{person.name} (@{person.handle})")
        return person.id


@dataclass
class Projects:
    """The workspace's projects by name; creates the missing ones."""

    ws: int
    by_name: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    def load(self, uow: UnitOfWork) -> None:
        for project in uow.projects.list(self.ws):
            self.by_name.setdefault(project.name.casefold(), project.id)

    def project(self, uow: UnitOfWork, name: str) -> int:
        key = name.casefold()
        if key not in self.by_name:
            # Not evaluated one by one: the import checks every new project once at the end.
            project = uow.projects.add(self.ws, name)
            self.by_name[key] = project.id
            self.created.append(project.name)
            self.created_ids.append(project.id)
        return self.by_name[key]


@dataclass
class Existing:
    """Tasks already in the workspace: by source id and by (title, project)."""

    ws: int
    source: str
    by_ref: dict[str, int] = field(default_factory=dict)
    by_title: dict[tuple[str, int | None], int] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)

    def load(self, uow: UnitOfWork) -> None:
        for task in uow.tasks.list(self.ws):
            self.tasks[task.id] = task
            self.by_title.setdefault((task.title.lower(), task.project_id), task.id)
        for entry in uow.activity.of_kind(self.ws, "imported"):
            after = entry.after if isinstance(entry.after, dict) else {}
            if after.get("source") == self.source and after.get("ref") and entry.task_id:
                self.by_ref[str(after["ref"])] = entry.task_id

    def find(self, ref: str | None, title: str, project_id: int | None) -> Task | None:
        tid = self.by_ref.get(ref) if ref else None
        if tid is None:
            tid = self.by_title.get((title.lower(), project_id))
        return self.tasks.get(tid) if tid is not None else None
