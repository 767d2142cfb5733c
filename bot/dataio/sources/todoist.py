"""Todoist's project CSV export (project menu → Export as a template → CSV).

Header as Todoist writes it: ``TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT,
AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE`` (newer files add
``DURATION, DURATION_UNIT, DEADLINE, DEADLINE_LANG``). ``TYPE`` is task,
section or note: a section names the tasks below it, a note is added to the
task above. ``INDENT`` 2 is a subtask of the last task at indent 1.
``PRIORITY`` counts the other way round (4 is Todoist's p1). People are
``Name (user id)``; ``DATE`` is in words ("tomorrow", "13 Jun", "every day":
repeating dates are kept in the notes). The file is one project, named after
the file; completed tasks are not exported by Todoist.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.dataio.reading import Record, RowError
from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource, norm

_ID = re.compile(r"\s*\(\d+\)\s*$")
_LABEL = re.compile(r"(?:^|\s)@([\w-]+)")
_PRIORITY = {"4": "p1", "3": "p2", "2": "p3", "1": "p4"}


class Todoist(CsvSource):
    def tasks(self, records: list[Record], path: Path, explicit: dict[str, str],
              errors: list[RowError]) -> list[SourceTask]:
        header = [norm(h) for h in records[0][1]]

        def cell(cells: list[str], name: str) -> str:
            return cells[header.index(name)].strip() if name in header and header.index(
                name) < len(cells) else ""

        out: list[SourceTask] = []
        section = ""
        top: SourceTask | None = None
        last: SourceTask | None = None
        for line, cells in records[1:]:
            kind = cell(cells, "type").lower()
            content = cell(cells, "content")
            if kind == "section":
                section = content
                continue
            if kind == "note":
                if last is not None and content:
                    last.cells["description"] = "\n\n".join(
                        x for x in (last.get("description"), content) if x)
                continue
            if kind != "task" or not content:
                continue
            task = SourceTask(line, cells={
                "title": _LABEL.sub("", content).strip(), "description": cell(cells, "description"),
                "priority": _PRIORITY.get(cell(cells, "priority"), ""),
                "when": cell(cells, "deadline") or cell(cells, "date"),
                "language": cell(cells, "deadline_lang") or cell(cells, "date_lang"),
                "project": path.stem, "section": section,
            })
            task.labels = _LABEL.findall(content)
            owner = _ID.sub("", cell(cells, "responsible"))
            task.owners = [owner] if owner else []
            if cell(cells, "indent") not in ("", "1") and top is not None:
                task.cells["parent"] = top.get("title")
            else:
                top = task
            out.append(task)
            last = task
        return out


SOURCE = Todoist("Todoist", columns={}, signature=("TYPE", "CONTENT", "PRIORITY", "INDENT"))
