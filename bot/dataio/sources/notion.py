"""Notion's database export (••• → Export → Markdown & CSV), the CSV of the database.

Notion names the file after the database plus its id (``Tasks
0f1e2d3c4b5a69788796a5b4c3d2e1f0.csv``), writes a byte-order mark, puts the
title property first, and names the other columns after the database's
properties: the task templates' ``Assignee``/``Assign``, ``Status``,
``Due``/``Date``, ``Priority``, ``Tags``, ``Project``, ``Parent item``, and
``Created time``/``Last edited time``. Dates read ``November 27, 2026`` or
``November 27, 2026 5:00 PM``, ranges ``… → …``; people and relations are
comma-separated; a relation to a page is ``Title (https://www.notion.so/…)``.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.dataio.reading import Record
from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource, Table, norm

_EXPORT_NAME = re.compile(r" [0-9a-f]{32}$")
_PAGE_LINK = re.compile(r"\s*\(https?://[^)]*\)")
_MARKERS = {"created time", "last edited time", "created by", "last edited by"}


class Notion(CsvSource):
    def detect(self, records: list[Record], path: Path) -> bool:
        header = {norm(c) for c in records[0][1]} if records else set()
        return bool(_EXPORT_NAME.search(path.stem)) or len(_MARKERS & header) >= 2

    def table(self, records: list[Record], explicit: dict[str, str]) -> Table:
        table = super().table(records, explicit)
        if "title" not in table.mapping.values() and table.header:
            table.mapping.setdefault(table.header[0], "title")  # the title property
        return table

    def adjust(self, task: SourceTask) -> SourceTask | None:
        for name in ("project", "parent"):
            if task.get(name):
                task.cells[name] = _PAGE_LINK.sub("", task.get(name)).split(",")[0].strip()
        done = task.get("done").lower()
        if done in ("yes", "true", "✓") and not task.get("status"):
            task.cells["status"] = "done"
        return task


SOURCE = Notion(
    "Notion",
    columns={
        "title": ("Task name", "Name", "Title"), "owner": ("Assignee", "Assign", "Owner",
                                                           "Person", "Assigned to"),
        "status": ("Status",), "due": ("Due", "Due date", "Date", "Deadline"),
        "priority": ("Priority",), "labels": ("Tags",), "project": ("Project", "Projects"),
        "parent": ("Parent item", "Parent task", "Parent-task"),
        "created": ("Created time", "Created"), "modified": ("Last edited time",),
        "description": ("Description", "Notes", "Summary"), "done": ("Done", "Completed"),
        "start": ("Start date", "Start"), "progress": ("Progress",),
    },
)
