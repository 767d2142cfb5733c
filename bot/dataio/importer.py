"""``vigil import FILE.csv``: tasks from other tools' CSV exports (and Vigil's own).

All or nothing: the whole file is read and every row validated before the
first write; any bad row (or a malformed or oversized file) is reported with
its line number and reason and nothing is written. Then, in one transaction:
the workspace, people and projects the file names are created when missing
(and the result says so), each new task is created through the task service
(which evaluates the rules), and a full check runs at the end. A task that
already exists with the same title in the same project is left alone, so
importing the same file twice does not duplicate anything.

The column map is ``"Name=title,Assignee=owner,Due Date=due,Section=project"``;
without one, well-known column names of Asana, Trello, Jira, monday.com,
ClickUp and Vigil's own ``tasks.csv`` are recognised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bot.errors import VigilError
from bot.evaluation import full_check
from bot.services.people import add_person, add_project
from bot.services.tasks import create_task
from bot.views.replies import subject_label
from bot.workspace_names import UnknownWorkspace, matching, resolve
from engine import calendar as cal_ops
from engine.model import Severity, Status, SubjectKind, WorkCalendar
from storage.errors import StorageError
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

MAX_BYTES = 10 * 1024 * 1024
MAX_TITLE = 500

FIELDS = ("title", "owner", "project", "due", "start", "status", "progress", "priority",
          "ref", "parent", "depends_on", "description", "completed")

# Recognised column names (compared case-insensitively), best first.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "task name", "task", "summary", "card name", "item", "subject"),
    "owner": ("owner", "assignee", "assigned to", "assignee name", "responsible", "person"),
    "project": ("project", "section/column", "section", "list", "list name", "group",
                "project name", "projects", "board"),
    "due": ("due", "due date", "deadline", "due on", "end date", "target date", "finish"),
    "start": ("start", "start date", "start on", "begin"),
    "status": ("status", "state", "stage"),
    "progress": ("progress", "% complete", "percent complete", "percent done", "completion"),
    "priority": ("priority",),
    "ref": ("number", "task id", "id", "issue key", "key", "card id"),
    "parent": ("parent", "parent task", "parent id", "parent key", "parent number"),
    "depends_on": ("depends_on_numbers", "depends on", "dependencies",
                   "blocked by (dependencies)", "blocked by", "predecessors"),
    "description": ("description", "notes", "note", "details"),
    "completed": ("completed at", "completed", "done", "date done"),
}

STATUS_WORDS: dict[str, Status] = {
    **{s.value: s for s in Status},
    **dict.fromkeys(("to do", "todo", "open", "new", "not started", "backlog", "planned",
                     "ready", "to-do", "pending", "incomplete"), Status.TODO),
    **dict.fromkeys(("in progress", "in-progress", "doing", "working on it", "started",
                     "active", "ongoing", "in development"), Status.IN_PROGRESS),
    **dict.fromkeys(("blocked", "stuck", "on hold", "waiting", "impeded"), Status.BLOCKED),
    **dict.fromkeys(("in review", "review", "in qa", "qa", "testing", "awaiting review",
                     "in-review"), Status.IN_REVIEW),
    **dict.fromkeys(("done", "complete", "completed", "closed", "resolved", "finished",
                     "shipped"), Status.DONE),
    **dict.fromkeys(("cancelled", "canceled", "won't do", "wont do", "abandoned",
                     "dropped", "rejected"), Status.CANCELLED),
}
PRIORITY_WORDS = {
    "1": 1, "p1": 1, "urgent": 1, "highest": 1, "critical": 1, "blocker": 1,
    "2": 2, "p2": 2, "high": 2, "important": 2,
    "3": 3, "p3": 3, "medium": 3, "normal": 3, "none": 3, "no priority": 3,
    "4": 4, "p4": 4, "low": 4, "lowest": 4, "minor": 4, "trivial": 4,
}  # fmt: skip
TRUE_WORDS = {"true", "yes", "y", "1", "x", "done", "completed", "✓", "✔"}
FALSE_WORDS = {"false", "no", "n", "0", ""}

_ISO_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_NUMERIC = re.compile(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{2,4})$")
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y",
                  "%d-%b-%Y", "%d-%b-%y", "%d/%b/%y", "%d/%b/%Y", "%a %d %b %Y",
                  "%A, %B %d, %Y")
_NAMED_TIME_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%b %d, %Y %I:%M %p",
                       "%d %b %Y %H:%M", "%B %d, %Y %I:%M %p")


@dataclass(frozen=True)
class RowError:
    """One reason the file cannot be imported; ``line`` 0 is about the whole file."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class ImportResult:
    """What an import did (or, with errors, why it did nothing)."""

    path: str
    workspace_key: str
    errors: list[RowError] = field(default_factory=list)
    created_workspace: bool = False
    created_people: list[str] = field(default_factory=list)
    created_projects: list[str] = field(default_factory=list)
    created_tasks: list[int] = field(default_factory=list)  # task numbers
    unchanged: list[int] = field(default_factory=list)  # already there: task numbers
    found: list[ViolationRecord] = field(default_factory=list)
    found_lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def report(self) -> str:
        """Plain text for the command line."""
        if self.errors:
            head = (f"Nothing was imported from {self.path}: "
                    f"{len(self.errors)} problem(s) to fix first.")
            return "\n".join([head, *(f"  {e}" for e in self.errors)])
        lines = []
        if self.created_workspace:
            lines.append(f"Created workspace {self.workspace_key}.")
        if self.created_people:
            lines.append(f"Created {len(self.created_people)} people: "
                         + ", ".join(self.created_people))
        if self.created_projects:
            lines.append(f"Created {len(self.created_projects)} projects: "
                         + ", ".join(self.created_projects))
        lines.append(f"Imported {len(self.created_tasks)} tasks"
                     + (f" ({len(self.unchanged)} already there, left unchanged)"
                        if self.unchanged else "") + ".")
        if self.found_lines:
            lines.append(f"The rules found {len(self.found_lines)} problem(s):")
            lines += [f"  {line}" for line in self.found_lines]
        else:
            lines.append("The rules found no problems.")
        return "\n".join(lines)


@dataclass(eq=False)
class _Row:
    line: int
    title: str
    owner: str | None = None
    project: str | None = None
    due: datetime | None = None
    start: datetime | None = None
    status: Status | None = None
    progress: int | None = None
    priority: int | None = None
    ref: str | None = None
    parent: str | None = None
    depends_on: tuple[str, ...] = ()
    description: str | None = None
    # resolved during planning
    parent_row: _Row | None = None
    dep_rows: list[_Row] = field(default_factory=list)
    existing_id: int | None = None
    task_id: int | None = None


class _Bad(ValueError):
    """A value that cannot be imported; the message is the reason."""


# -- the column map -------------------------------------------------------------


def parse_mapping(mapping: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"Name=title,Assignee=owner"`` -> ``{"Name": "title", "Assignee": "owner"}``.

    Raises ``ValueError`` for a malformed entry or an unknown Vigil field.
    """
    if mapping is None:
        return {}
    if isinstance(mapping, str):
        pairs: dict[str, str] = {}
        for part in mapping.split(","):
            if not part.strip():
                continue
            column, sep, target = part.rpartition("=")
            if not sep or not column.strip():
                raise ValueError(f"'{part.strip()}' in --map is not COLUMN=field")
            pairs[column.strip()] = target.strip()
        mapping = pairs
    out: dict[str, str] = {}
    for column, target in mapping.items():
        wanted = target.strip().lower()
        if wanted not in FIELDS:
            raise ValueError(f"'{target}' is not a task field I can import; use one of "
                             + ", ".join(FIELDS))
        out[column] = wanted
    return out


def _auto_map(header: list[str]) -> dict[str, str]:
    lower = {h.strip().lower(): h for h in reversed(header)}  # first of duplicates wins
    used: set[str] = set()
    out: dict[str, str] = {}
    for target, names in ALIASES.items():
        for name in names:
            column = lower.get(name)
            if column is not None and column not in used:
                out[column] = target
                used.add(column)
                break
    return out


# -- values ------------------------------------------------------------------------


def _year_ok(d: date) -> date:
    if not 1900 <= d.year <= 2999:
        raise _Bad(f"impossible date: year {d.year}")
    return d


def parse_when(text: str, cal: WorkCalendar, end_of_day: bool) -> datetime:
    """A date or date-time cell as an aware UTC instant.

    A date alone means the end of that working day (a due date) or its start (a
    start date) in the workspace zone; a time without a zone is local too.
    """
    raw = text.strip()
    if _ISO_SHAPE.match(raw):
        try:
            if len(raw) <= 10:
                return _day(_year_ok(date.fromisoformat(raw)), cal, end_of_day)
            at = datetime.fromisoformat(raw.replace(" ", "T", 1))
        except ValueError as exc:
            raise _Bad(f"impossible date '{raw}' ({exc})") from None
        _year_ok(at.date())
        return _aware(at, cal)
    m = _NUMERIC.match(raw)
    if m:
        return _day(_numeric_date(raw, *(int(g) for g in m.groups())), cal, end_of_day)
    for fmt in _NAMED_TIME_FORMATS:
        try:
            return _aware(datetime.strptime(raw, fmt), cal)
        except ValueError:
            continue
    for fmt in _NAMED_FORMATS:
        try:
            return _day(_year_ok(datetime.strptime(raw, fmt).date()), cal, end_of_day)
        except ValueError:
            continue
    raise _Bad(f"'{raw}' is not a date I understand (use 2026-11-27)")


def _numeric_date(raw: str, a: int, b: int, c: int) -> date:
    try:
        if a > 31:  # 2026/11/27
            return _year_ok(date(a, b, c))
        year = c + 2000 if c < 100 else c
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            day, month = b, a
        elif a == b:
            day = month = a
        elif a > 12 and b > 12:
            raise _Bad(f"impossible date '{raw}'")
        else:
            raise _Bad(f"ambiguous date '{raw}': day/month or month/day? "
                       "Write it as 2026-11-27")
        return _year_ok(date(year, month, day))
    except ValueError as exc:
        if isinstance(exc, _Bad):
            raise
        raise _Bad(f"impossible date '{raw}' ({exc})") from None


def _day(d: date, cal: WorkCalendar, end_of_day: bool) -> datetime:
    if end_of_day:
        return cal_ops.end_of_working_day(cal, d)
    return cal_ops.from_local(cal, datetime.combine(d, cal.day_start))


def _aware(at: datetime, cal: WorkCalendar) -> datetime:
    return cal_ops.from_local(cal, at) if at.tzinfo is None else at.astimezone(UTC)


def _progress(text: str) -> int:
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise _Bad(f"progress '{text.strip()}' is not a number from 0 to 100") from None
    if not 0 <= value <= 100:
        raise _Bad(f"progress {text.strip().rstrip('%')}% is not between 0% and 100%")
    return round(value)


def _status(text: str) -> Status:
    found = STATUS_WORDS.get(" ".join(text.strip().lower().split()))
    if found is None:
        raise _Bad(f"unknown status '{text.strip()}' (use to do, in progress, blocked, "
                   "in review, done or cancelled)")
    return found


def _priority(text: str) -> int:
    found = PRIORITY_WORDS.get(text.strip().lower())
    if found is None:
        raise _Bad(f"unknown priority '{text.strip()}' (use p1-p4, or urgent/high/medium/low)")
    return found


def _refs(text: str) -> tuple[str, ...]:
    return tuple(p.strip().lstrip("#") for p in re.split(r"[;,\n]", text) if p.strip())


def _person_key(text: str) -> tuple[str, str]:
    """'@Priya' / 'Priya Shah' / 'priya@acme.com' -> (lookup handle, display name)."""
    raw = text.strip().lstrip("@").strip()
    if "@" in raw and " " not in raw:
        local = raw.split("@", 1)[0]
        return local, local
    return raw, raw


def _handle_for(name: str) -> str:
    return re.sub(r"[^\w.\-]+", ".", name.strip().lower()).strip(".") or "person"


# -- reading and validating -----------------------------------------------------


def _read(path: Path, max_bytes: int, errors: list[RowError]) -> list[tuple[int, list[str]]]:
    """(line, cells) of every record, header first; file-level problems go to ``errors``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        errors.append(RowError(0, f"cannot read {path}: {exc.strerror or exc}"))
        return []
    if size > max_bytes:
        errors.append(RowError(0, f"{path.name} is {size / 1024 / 1024:.1f} MB; the limit is "
                                  f"{max_bytes / 1024 / 1024:.0f} MB — split the file"))
        return []
    data = path.read_bytes()
    if b"\x00" in data:
        errors.append(RowError(0, f"{path.name} is not a CSV text file (it holds binary data)"))
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(RowError(0, f"{path.name} is not UTF-8 text (byte {exc.start}); "
                                  "save it as 'CSV UTF-8'"))
        return []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(RowError(line, f"malformed CSV: {exc}"))
        return []
    if not records or not any(c.strip() for c in records[0][1]):
        errors.append(RowError(0, f"{path.name} is empty: it needs a header row and tasks"))
        return []
    return records


def _validate_row(
    line: int, values: dict[str, str], cal: WorkCalendar
) -> tuple[_Row | None, list[str]]:
    reasons: list[str] = []
    title = " ".join((values.get("title") or "").split())
    if not title:
        reasons.append("missing title")
    elif len(title) > MAX_TITLE:
        reasons.append(f"title is {len(title)} characters long (at most {MAX_TITLE})")
    row = _Row(line, title)
    checks: list[tuple[str, Callable[[str], object]]] = [
        ("due", lambda v: setattr(row, "due", parse_when(v, cal, end_of_day=True))),
        ("start", lambda v: setattr(row, "start", parse_when(v, cal, end_of_day=False))),
        ("status", lambda v: setattr(row, "status", _status(v))),
        ("progress", lambda v: setattr(row, "progress", _progress(v))),
        ("priority", lambda v: setattr(row, "priority", _priority(v))),
    ]
    for name, check in checks:
        value = (values.get(name) or "").strip()
        if value:
            try:
                check(value)
            except _Bad as exc:
                reasons.append(f"{name}: {exc}")
    done = (values.get("completed") or "").strip()
    if done and done.lower() not in FALSE_WORDS and row.status is None:
        row.status = Status.DONE
    if row.start and row.due and row.start > row.due:
        reasons.append("start is after due")
    owner = (values.get("owner") or "").strip()
    row.owner = owner.split(",")[0].strip() or None
    row.project = " ".join((values.get("project") or "").lstrip("#").split()) or None
    row.ref = (values.get("ref") or "").strip().lstrip("#") or None
    row.parent = (values.get("parent") or "").strip().lstrip("#") or None
    row.depends_on = _refs(values.get("depends_on") or "")
    row.description = (values.get("description") or "").strip() or None
    return (row if not reasons else None), reasons


def _link(rows: list[_Row], errors: list[RowError]) -> None:
    """Resolve parent and dependency references (row ref first, else a unique title)."""
    by_ref: dict[str, _Row] = {}
    by_title: dict[str, list[_Row]] = {}
    for r in rows:
        if r.ref is not None:
            key = r.ref.lower()
            if key in by_ref:
                errors.append(RowError(r.line, f"id '{r.ref}' is used again "
                                               f"(first on line {by_ref[key].line})"))
            by_ref.setdefault(key, r)
        by_title.setdefault(r.title.lower(), []).append(r)

    def find(r: _Row, ref: str, what: str) -> _Row | None:
        hit = by_ref.get(ref.lower())
        if hit is None:
            same = by_title.get(ref.lower(), [])
            hit = same[0] if len(same) == 1 else None
        if hit is None:
            errors.append(RowError(r.line, f"{what} '{ref}' is not a task of this file"))
        elif hit is r:
            errors.append(RowError(r.line, f"a task cannot be its own {what}"))
            return None
        return hit

    for r in rows:
        if r.parent:
            r.parent_row = find(r, r.parent, "parent")
        r.dep_rows = [d for d in (find(r, ref, "dependency") for ref in r.depends_on) if d]


def _order(rows: list[_Row], errors: list[RowError]) -> list[_Row]:
    """Parents and dependencies before the tasks that need them; cycles are errors."""
    done: set[int] = set()
    out: list[_Row] = []
    for start in rows:
        if id(start) in done:
            continue
        path: list[_Row] = []
        on_path: set[int] = set()
        stack: list[tuple[_Row, int]] = [(start, 0)]
        while stack:
            r, i = stack.pop()
            needs = [n for n in ([r.parent_row] if r.parent_row else []) + r.dep_rows]
            if i == 0:
                path.append(r)
                on_path.add(id(r))
            if i < len(needs):
                stack.append((r, i + 1))
                nxt = needs[i]
                if id(nxt) in on_path:
                    lines = ", ".join(str(p.line) for p in path[path.index(nxt):])
                    errors.append(RowError(r.line, f"parent/dependency loop: lines {lines}"))
                    return []
                if id(nxt) not in done:
                    stack.append((nxt, 0))
                continue
            path.pop()
            on_path.discard(id(r))
            done.add(id(r))
            out.append(r)
    return out


# -- the import -------------------------------------------------------------------


def import_csv(
    uow_factory: Callable[[], UnitOfWork],
    path: str | Path,
    workspace_key: str,
    mapping: str | Mapping[str, str] | None,
    now: datetime,
    tz: str = "UTC",
    max_bytes: int = MAX_BYTES,
    create: bool = False,
) -> ImportResult:
    """Import the tasks of a CSV file into the workspace ``workspace_key`` (key or name).

    An unknown workspace is an error listing the existing ones, unless
    ``create`` (then it is made, zone ``tz``). People and projects the file
    names are created when missing.
    Returns an ``ImportResult``: with ``errors`` nothing was written; otherwise
    what was created and what the rules found (``report()`` for the text).
    """
    path = Path(path)
    result = ImportResult(str(path), workspace_key)
    errors = result.errors
    try:
        explicit = parse_mapping(mapping)
    except ValueError as exc:
        errors.append(RowError(0, str(exc)))
        return result
    records = _read(path, max_bytes, errors)
    if errors:
        return result
    header = [h.strip() for h in records[0][1]]
    columns = explicit or _auto_map(header)
    missing = [c for c in columns if c not in header]
    if missing:
        errors.append(RowError(1, "the file has no column " + ", ".join(f"'{c}'" for c in missing)
                               + "; its columns are " + ", ".join(f"'{h}'" for h in header)))
        return result
    if "title" not in columns.values():
        errors.append(RowError(1, "no column holds the task titles; its columns are "
                                  + ", ".join(f"'{h}'" for h in header)
                                  + " — map one with --map \"Name=title\""))
        return result
    index = {target: header.index(column) for column, target in columns.items()}

    with uow_factory() as uow:
        spaces = matching(uow.workspaces.list(), workspace_key)
        if len(spaces) > 1 or (not spaces and not create):
            try:
                resolve(uow, workspace_key, create_hint=True)
            except UnknownWorkspace as exc:
                errors.append(RowError(0, str(exc)))
            return result
        workspace = spaces[0] if spaces else None
        if workspace is not None:
            result.workspace_key = workspace.key
        try:
            cal = workspace.calendar if workspace else WorkCalendar(tz=tz)
            cal_ops.zone(cal.tz)
        except Exception:  # unknown zone name
            errors.append(RowError(0, f"unknown time zone '{tz}'"))
            return result
        rows: list[_Row] = []
        for line, cells in records[1:]:
            if not any(c.strip() for c in cells):
                continue  # blank line
            if len(cells) > len(header):
                errors.append(RowError(line, f"{len(cells)} cells but the header has "
                                             f"{len(header)} columns (a stray comma or quote?)"))
                continue
            values = {t: cells[i] if i < len(cells) else "" for t, i in index.items()}
            row, reasons = _validate_row(line, values, cal)
            errors.extend(RowError(line, reason) for reason in reasons)
            if row is not None:
                rows.append(row)
        if not rows and not errors:
            errors.append(RowError(0, f"{path.name} holds no tasks"))
        if errors:
            return result
        _link(rows, errors)
        ordered = _order(rows, errors) if not errors else []
        if errors:
            return result
        try:
            _write(uow, result, result.workspace_key, workspace is None, cal, ordered, now)
        except (VigilError, StorageError, ValueError) as exc:
            # a service refused something validation let through: roll it all back
            result.errors.append(RowError(getattr(exc, "line", 0), str(exc)))
            _clear(result)
            return result
        uow.commit()
    return result


def _clear(result: ImportResult) -> None:
    result.created_workspace = False
    result.created_people.clear()
    result.created_projects.clear()
    result.created_tasks.clear()
    result.unchanged.clear()


class _RowFailed(VigilError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _write(uow: UnitOfWork, result: ImportResult, key: str, create_ws: bool,
           cal: WorkCalendar, rows: list[_Row], now: datetime) -> None:
    if create_ws:
        ws = uow.workspaces.create(key, key, calendar=cal, created_at=now).id
        result.created_workspace = True
    else:
        record = uow.workspaces.by_key(key)
        assert record is not None
        ws = record.id
    people: dict[str, int] = {}
    projects: dict[str, int] = {}
    existing = {(t.title.lower(), t.project_id): t for t in uow.tasks.list(ws)}

    def person_id(text: str) -> int:
        handle, name = _person_key(text)
        if handle.lower() not in people:
            person = uow.people.by_handle(ws, handle)
            if person is None:
                person = add_person(uow, ws, name, handle=_handle_for(handle))
                result.created_people.append(f"{person.name} (@{person.handle})")
            people[handle.lower()] = person.id
        return people[handle.lower()]

    def project_id(name: str) -> int:
        if name.lower() not in projects:
            project = uow.projects.by_name(ws, name)
            if project is None:
                project, _ = add_project(uow, ws, now, name)
                result.created_projects.append(project.name)
            projects[name.lower()] = project.id
        return projects[name.lower()]

    touched: set[int] = set()
    for r in rows:
        pid = project_id(r.project) if r.project else None
        same = existing.get((r.title.lower(), pid))
        if same is not None:
            r.task_id = same.id
            result.unchanged.append(same.number)
            touched.add(same.id)
            continue
        fields: dict[str, object] = {"project_id": pid}
        if r.owner:
            fields["owner_id"] = person_id(r.owner)
        for name in ("due", "start", "progress", "priority"):
            value = getattr(r, name)
            if value is not None:
                fields[name] = value
        if r.status is not None:
            fields["status"] = r.status.value
        if r.status is Status.BLOCKED:
            fields["blocked_reason"] = "imported as blocked"
        if r.parent_row is not None:
            fields["parent_id"] = r.parent_row.task_id
        if r.dep_rows:
            fields["depends_on"] = [d.task_id for d in r.dep_rows if d.task_id is not None]
        try:
            task = create_task(uow, ws, now, None, r.title, **fields).task
        except VigilError as exc:
            raise _RowFailed(r.line, str(exc)) from None
        if r.description:
            uow.activity.add(ws, task.id, None, now, "note", None,
                             {"note": r.description[:4000]}, human=False)
        r.task_id = task.id
        touched.add(task.id)
        result.created_tasks.append(task.number)
    full_check(uow, ws, now)
    owners = {t.owner_id for t in uow.tasks.get_many(ws, touched) if t.owner_id is not None}
    found = uow.violations.firing(ws, task_ids=touched, person_ids=owners,
                                  project_ids=set(projects.values()))
    rank = {s.value: s.rank for s in Severity}
    found.sort(key=lambda v: (-rank.get(v.severity, 0), v.rule_id, v.subject_id))
    result.found = found
    icon = {"critical": "🔴", "warning": "🟠", "info": "ℹ"}
    result.found_lines = [
        f"{icon.get(v.severity, '•')} "
        f"{subject_label(uow, ws, SubjectKind(v.subject_kind), v.subject_id)}: "
        f"{v.rule_id.split('.', 1)[-1].replace('_', ' ')} — {v.explanation}"
        for v in found
    ]
