"""What an import did (or would do, or why it did nothing), in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.dataio.first_check import check_touched
from bot.dataio.reading import RowError
from bot.dataio.record import describe_mapping
from bot.notify.summary import Summaries
from bot.views.replies import subject_label
from engine.model import Severity, SubjectKind
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.dataio.writing import Writer

_ICON = {"critical": "🔴", "warning": "🟠", "info": "ℹ"}
SHOWN = 30  # problems listed by name; the rest are counted
NAMED = 20  # people or projects named in the report; the rest are counted
SLOW = 10.0  # seconds: an import at least this long says how long each part took


@dataclass
class ImportResult:
    """The outcome of ``import_csv``; ``ok`` is False when nothing was written."""

    path: str
    workspace_key: str
    dry_run: bool = False
    source: str = "CSV"
    mapping: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    created_workspace: bool = False
    created_people: list[str] = field(default_factory=list)
    created_projects: list[str] = field(default_factory=list)
    created_tasks: list[int] = field(default_factory=list)  # task numbers
    updated: list[tuple[int, list[str]]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    found: list[ViolationRecord] | None = field(default_factory=list)  # None: not checked yet
    found_lines: list[str] = field(default_factory=list)  # the first SHOWN, described
    extra: list[str] = field(default_factory=list)
    summaries: Summaries | None = None  # who is told, once each
    seconds: dict[str, float] = field(default_factory=dict)  # "rows", "check": wall time

    @property
    def ok(self) -> bool:
        return not self.errors

    def finish(self, writer: Writer, found: tuple[list[ViolationRecord], list[str]] | None,
               summaries: Summaries | None = None) -> None:
        self.created_people = list(writer.people.created)
        self.created_projects = list(writer.projects.created)
        self.created_tasks = list(writer.tally.created)
        self.updated = list(writer.tally.updated)
        self.unchanged = list(writer.tally.unchanged)
        self.summaries = summaries
        if found is None:
            self.found = None
        else:
            self.found, self.found_lines = found

    def report(self) -> str:
        """Plain text for the command line."""
        if self.errors:
            head = (f"Nothing was imported from {self.path}: "
                    f"{len(self.errors)} problem(s) to fix first.")
            return "\n".join([head, *(f"  {e}" for e in self.errors)])
        lines = [f"Dry run — nothing was written. {self.path} read as {self.source}."
                 if self.dry_run else f"Read {self.path} as {self.source}."]
        if self.mapping:
            lines.append(f"Columns: {describe_mapping(self.mapping)}.")
        if self.created_workspace:
            lines.append(f"Workspace {self.workspace_key} would be created." if self.dry_run
                         else f"Created workspace {self.workspace_key}.")
        for one, many, items in (("person", "people", self.created_people),
                                 ("project", "projects", self.created_projects)):
            if items:
                label = one if len(items) == 1 else many
                verb = f"{len(items)} {label} would be created" if self.dry_run else (
                    f"Created {len(items)} {label}")
                more = f" and {len(items) - NAMED} more" if len(items) > NAMED else ""
                lines.append(f"{verb}: " + ", ".join(items[:NAMED]) + more)
        lines.append(self._tasks_line())
        if sum(self.seconds.values()) >= SLOW:
            lines.append(_took(list(self.seconds.items())))
        lines += self.extra
        lines += self._found_lines()
        return "\n".join(lines)

    def _tasks_line(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        parts = []
        if self.updated:
            shown = "; ".join(f"#{n} {', '.join(fields)}" for n, fields in self.updated[:10])
            more = f" and {len(self.updated) - 10} more" if len(self.updated) > 10 else ""
            parts.append(f"{len(self.updated)} {'would be ' if self.dry_run else ''}updated "
                         f"({shown}{more})")
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already there, left unchanged")
        extra = f" ({'; '.join(parts)})" if parts else ""
        count = len(self.created_tasks)
        return f"{verb} {count} task{'s' if count != 1 else ''}{extra}."

    def _found_lines(self) -> list[str]:
        if self.found is None:
            return [f"The rules will check these {len(self.created_tasks) + len(self.updated)} "
                    "tasks on the next tick of `vigil run` (or now: `vigil check`)."]
        if not self.found:
            return ["The rules found no problems."]
        verb = "would find" if self.dry_run else "found"
        count = len(self.found)
        out = [f"The rules {verb} {count:,} problem{'s' if count != 1 else ''}:"]
        out += [f"  {line}" for line in self.found_lines[:SHOWN]]
        if count > SHOWN:
            out.append(f"  … and {count - SHOWN:,} more (`vigil check` lists all)")
        out += self._told_lines()
        return out

    def _told_lines(self) -> list[str]:
        """Who hears about the problems: one message each, not an alert per problem."""
        told = self.summaries
        if told is None or not told.problems:
            return []
        people = len(told.problems)
        verb = "would get" if self.dry_run else "gets"
        who = ("the person concerned" if people == 1
               else f"each of the {people:,} people concerned")
        return [f"Instead of {told.alerts_instead:,} separate alerts, {who} {verb} one "
                "message summing up their problems."]


def _took(parts: list[tuple[str, float]]) -> str:
    """'Writing the rows took 22.1 s, the rules' check 47.9 s.'"""
    (what, spent), rest = parts[0], parts[1:]
    return (f"{what[0].upper()}{what[1:]} took {spent:.1f} s"
            + "".join(f", {w} {s:.1f} s" for w, s in rest) + ".")


def findings(uow: UnitOfWork, ws: int, now: datetime, writer: Writer,
             summaries: Summaries, checked: bool = False
             ) -> tuple[list[ViolationRecord], list[str]]:
    """What fires on the imported tasks, their owners and projects (worst first).

    Unless ``checked`` (a large import checked in batches already), the
    imported tasks with their neighbourhood (parents, subtasks, dependents),
    their owners and the projects are evaluated first — not the whole
    workspace, which may be large — and the people concerned get one summary
    each (``summaries``). Only the first ``SHOWN`` are described.
    """
    touched = writer.tally.touched
    projects = set(writer.projects.by_name.values())
    if not checked:
        check_touched(uow, ws, now, touched, projects, summaries)
    owners = uow.tasks.owner_ids(ws, touched)
    found = uow.violations.firing(ws, task_ids=touched, person_ids=owners,
                                  project_ids=projects)
    rank = {s.value: s.rank for s in Severity}
    found.sort(key=lambda v: (-rank.get(v.severity, 0), v.rule_id, v.subject_id))
    return found, [describe(uow, ws, v) for v in found[:SHOWN]]


def describe(uow: UnitOfWork, ws: int, v: ViolationRecord) -> str:
    """'🔴 #3 Collect receipts: behind schedule — 0% done but …'."""
    return (f"{_ICON.get(v.severity, '•')} "
            f"{subject_label(uow, ws, SubjectKind(v.subject_kind), v.subject_id)}: "
            f"{v.rule_id.split('.', 1)[-1].replace('_', ' ')} — {v.explanation}")

