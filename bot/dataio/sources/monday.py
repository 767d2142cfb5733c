"""monday.com's board export (board menu → Export board to Excel), saved as CSV.

The sheet starts with the board's name, then for each group: the group's
name on a row of its own, a header row ``Name, Subitems, <the board's
columns…>, Item ID (auto generated)`` and the items; an item's subitems
follow it under their own header ``Subitems, Name, Owner, Status, Date…``,
one column to the right. Typical columns: Person/Owner, Status ("Working on
it", "Done", "Stuck"), Date, Timeline (``2026-03-02 - 2026-03-13``),
Priority. The board is the project, the group a label.
"""

from __future__ import annotations

from pathlib import Path

from bot.dataio.reading import Record, RowError
from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource, norm, split_people

_COLUMNS = {
    "owner": ("Person", "Owner", "People", "Assignee"), "status": ("Status",),
    "due": ("Date", "Due Date", "Due date", "Deadline"), "timeline": ("Timeline",),
    "priority": ("Priority",), "ref": ("Item ID (auto generated)", "Item ID"),
    "description": ("Notes", "Text", "Description"), "created": ("Creation log",),
    "modified": ("Last updated",),
}


def _is_header(cells: list[str], first: str, second: str) -> bool:
    return len(cells) > 1 and norm(cells[0]) == first and norm(cells[1]) == second


class Monday(CsvSource):
    def detect(self, records: list[Record], path: Path) -> bool:
        return any(_is_header(cells, "name", "subitems") for _, cells in records[:30])

    def tasks(self, records: list[Record], path: Path, explicit: dict[str, str],
              errors: list[RowError]) -> list[SourceTask]:
        board = records[0][1][0].strip() if records and not _is_header(
            records[0][1], "name", "subitems") else ""
        out: list[SourceTask] = []
        group = ""
        header: list[str] = []
        sub_header: list[str] = []
        parent: SourceTask | None = None
        rows = records[1:] if board else records
        for i, (line, cells) in enumerate(rows):
            alone = cells[0].strip() and not any(c.strip() for c in cells[1:])
            next_is_header = i + 1 < len(rows) and _is_header(rows[i + 1][1], "name", "subitems")
            if _is_header(cells, "name", "subitems"):
                header, sub_header, parent = cells, [], None
            elif _is_header(cells, "subitems", "name"):
                sub_header = cells[1:]
            elif alone and (next_is_header or not header):
                group, parent, sub_header = cells[0].strip(), None, []  # a group's title
            elif not header:
                continue
            elif not cells[0].strip() and sub_header and parent is not None:
                sub = self._item(line, sub_header, cells[1:], board, group)
                sub.cells["parent"] = parent.get("ref") or parent.get("title")
                out.append(sub)
            else:
                parent = self._item(line, header, cells, board, group)
                sub_header = []
                out.append(parent)
        if not out:
            errors.append(RowError(0, "no monday.com items found under a 'Name, Subitems' "
                                      "header row"))
        return out

    def _item(self, line: int, header: list[str], cells: list[str], board: str,
              group: str) -> SourceTask:
        mapping = self.mapping(header)
        task = SourceTask(line, cells={"title": cells[0].strip(), "project": board})
        for i, column in enumerate(header):
            target = mapping.get(column)
            if target and i < len(cells) and cells[i].strip():
                task.cells[target] = cells[i].strip()
        start, _, end = task.get("timeline").partition(" - ")
        if end:
            task.cells.setdefault("start", start.strip())
            task.cells.setdefault("due", end.strip())
        task.owners = split_people(task.get("owner"))
        task.labels = [group] if group else []
        return task


SOURCE = Monday("monday.com", columns=_COLUMNS)
