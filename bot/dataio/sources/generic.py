"""Any other CSV: well-known column names, and Vigil's own ``tasks.csv``.

Vigil's ``tasks.csv`` (``vigil export --format csv``) has ``number, title,
project, owner, status, progress, priority, start, due, parent,
depends_on_numbers, blocked_reason`` first. Other files are read by common
column names; ``--map`` names the rest.
"""

from __future__ import annotations

from bot.dataio.sources.base import CsvSource

VIGIL_CSV = CsvSource(
    "Vigil (tasks.csv)",
    columns={
        "ref": ("number",), "title": ("title",), "project": ("project",), "owner": ("owner",),
        "status": ("status",), "progress": ("progress",), "priority": ("priority",),
        "start": ("start",), "due": ("due",), "parent": ("parent",),
        "depends_on": ("depends_on_numbers",), "blocked_reason": ("blocked_reason",),
        "created": ("created_at",), "completed": ("completed_at",),
        "modified": ("last_activity_at",),
    },
    signature=("number", "title", "status", "depends_on_numbers"),
)

GENERIC = CsvSource(
    "CSV",
    columns={
        "title": ("title", "name", "task name", "task", "summary", "card name", "item",
                  "subject"),
        "owner": ("owner", "assignee", "assigned to", "assignee name", "responsible",
                  "person", "members"),
        "owner_email": ("assignee email", "email", "owner email"),
        "project": ("project", "projects", "project name", "board", "client"),
        "section": ("section/column", "section", "list", "list name", "group", "column"),
        "due": ("due", "due date", "deadline", "due on", "end date", "target date", "finish"),
        "start": ("start", "start date", "start on", "begin"),
        "status": ("status", "state", "stage"),
        "progress": ("progress", "% complete", "percent complete", "percent done",
                     "completion"),
        "priority": ("priority",),
        "ref": ("number", "task id", "id", "issue key", "key", "card id"),
        "parent": ("parent", "parent task", "parent id", "parent key", "parent number"),
        "depends_on": ("depends_on_numbers", "depends on", "dependencies",
                       "blocked by (dependencies)", "blocked by", "predecessors"),
        "description": ("description", "notes", "note", "details"),
        "completed": ("completed at", "completed", "date done", "done at"),
        "created": ("created at", "created", "date created"),
        "modified": ("last modified", "updated", "updated at"),
        "labels": ("tags", "labels"),
    },
)
