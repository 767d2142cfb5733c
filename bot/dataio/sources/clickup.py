"""ClickUp's task CSV export (Settings → Imports/Exports → Export, or a List's export).

Header as ClickUp writes it: ``Task ID, Task Name, Task Content, Status, Date
Created, Date Created Text, Due Date, Due Date Text, Start Date, Start Date
Text, Parent ID, Attachments, Assignees, Tags, Priority, List Name, Folder
Name, Space Name, Time Estimated, …``. Dates are Unix milliseconds (the
``… Text`` twins are for people); Assignees and Tags are ``[A, B]``;
priority is urgent/high/normal/low; statuses are the Space's own ("to do",
"in progress", "complete"). The List is the project.
"""

from __future__ import annotations

from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource


class ClickUp(CsvSource):
    def adjust(self, task: SourceTask) -> SourceTask | None:
        task.labels = [label.strip("[] ") for label in task.labels if label.strip("[] ")]
        return task


SOURCE = ClickUp(
    "ClickUp",
    columns={
        "ref": ("Task ID",), "title": ("Task Name",), "description": ("Task Content",),
        "status": ("Status",), "created": ("Date Created",), "due": ("Due Date",),
        "start": ("Start Date",), "parent": ("Parent ID",), "owner": ("Assignees",),
        "labels": ("Tags",), "priority": ("Priority",), "project": ("List Name",),
        "completed": ("Date Closed", "Date Done"), "modified": ("Date Updated",),
    },
    signature=("Task ID", "Task Name", "Task Content"),
)
