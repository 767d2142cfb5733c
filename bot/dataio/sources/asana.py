"""Asana's project CSV export (project menu → Export/Print → CSV).

Header as Asana writes it: ``Task ID, Created At, Completed At, Last
Modified, Name, Section/Column, Assignee, Assignee Email, Start Date, Due
Date, Tags, Notes, Projects, Parent task, Blocked By (Dependencies),
Blocking (Dependencies)``; dates ISO (``2026-03-02``); a Google Sheets copy may
have spacer rows above the header. ``Projects`` can list several projects
(the first is used); ``Section/Column`` is a status hint ("Done" means done)
and otherwise kept as a label; ``Parent task`` names the parent by its name.
"""

from __future__ import annotations

from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource


class Asana(CsvSource):
    def adjust(self, task: SourceTask) -> SourceTask | None:
        projects = task.get("project")
        if "," in projects:
            task.cells["project"] = projects.split(",")[0].strip()
        email = task.get("owner_email")
        if email and not task.owners:
            task.owners = [email]
        return task


SOURCE = Asana(
    "Asana",
    columns={
        "ref": ("Task ID",), "title": ("Name",), "created": ("Created At",),
        "completed": ("Completed At",), "modified": ("Last Modified",),
        "section": ("Section/Column",), "owner": ("Assignee",),
        "owner_email": ("Assignee Email",), "start": ("Start Date",), "due": ("Due Date",),
        "labels": ("Tags",), "description": ("Notes",), "project": ("Projects",),
        "parent": ("Parent task", "Parent Task"), "depends_on": ("Blocked By (Dependencies)",),
        "priority": ("Priority",), "status": ("Status",),
    },
    signature=("Task ID", "Name", "Section/Column"),
)
