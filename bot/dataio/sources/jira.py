"""Jira's issue CSV export (Filters → Export → CSV, all fields or current fields).

Header as Jira writes it: ``Summary, Issue key, Issue id, Issue Type,
Status, Project key, Project name, …, Priority, Resolution, Assignee,
Reporter, Creator, Created, Updated, Last Viewed, Resolved, …, Due date,
Labels, Labels, …, Description, …, Inward issue link (Blocks), …, Parent``.
Columns repeat once per value (every ``Labels`` column is read); dates look
like ``14/Mar/24 2:30 PM``; ``Parent`` holds the parent's issue id, ``Inward
issue link (Blocks)`` the keys of issues blocking this one.
"""

from __future__ import annotations

from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource


class Jira(CsvSource):
    def adjust(self, task: SourceTask) -> SourceTask | None:
        if task.get("alt_ref"):
            task.cells["aliases"] = task.get("alt_ref")
        return task


SOURCE = Jira(
    "Jira",
    columns={
        "title": ("Summary",), "ref": ("Issue key",), "alt_ref": ("Issue id",),
        "status": ("Status",), "project": ("Project name",), "priority": ("Priority",),
        "owner": ("Assignee",), "created": ("Created",), "modified": ("Updated",),
        "completed": ("Resolved",), "due": ("Due date", "Due Date"),
        "labels": ("Labels",), "description": ("Description",),
        "depends_on": ("Inward issue link (Blocks)",),
        "parent": ("Parent", "Parent id", "Parent ID"), "start": ("Start date",),
    },
    signature=("Summary", "Issue key"),
)
