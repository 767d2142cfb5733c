"""What every source tool's reader has in common: header detection and a column map.

A ``CsvSource`` names the columns its tool writes (compared without regard to
case), the columns whose presence identifies the tool (``signature``), and
may adjust each task (``adjust``) for the tool's own cell formats. Columns a
tool repeats (Jira writes one ``Labels`` column per label) are all read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.dataio.reading import Record, RowError
from bot.dataio.record import SourceTask, merge_mapping


def norm(column: str) -> str:
    return " ".join(column.replace("\ufeff", "").strip().lower().split())


def split_people(text: str) -> list[str]:
    """'Priya Shah, Sam Lee' / '[Priya, Sam]' -> names (a lone 'Lee, Sam' stays one)."""
    raw = text.strip().strip("[]").strip()
    if not raw:
        return []
    return [p.strip() for p in re.split(r"[,;]", raw) if p.strip()]


@dataclass(frozen=True)
class Table:
    """A CSV file's header and rows; ``mapping`` is column name -> field."""

    header: list[str]
    rows: list[Record]
    mapping: dict[str, str]


@dataclass(frozen=True)
class CsvSource:
    """A tool that writes one task per CSV row."""

    name: str
    columns: dict[str, tuple[str, ...]]  # field -> the tool's column names, best first
    signature: tuple[str, ...] = ()

    def header_at(self, records: list[Record]) -> int | None:
        """Index of the header record (tools may write a preamble above it), or None."""
        wanted = {norm(c) for c in self.signature}
        for i, (_, cells) in enumerate(records[:20]):
            if wanted and wanted <= {norm(c) for c in cells}:
                return i
        return None

    def detect(self, records: list[Record], path: Path) -> bool:
        return self.header_at(records) is not None

    def mapping(self, header: list[str]) -> dict[str, str]:
        """column name -> field for the columns of this tool present in ``header``."""
        present = {norm(h): h for h in reversed(header)}
        out: dict[str, str] = {}
        for target, names in self.columns.items():
            for name in names:
                column = present.get(norm(name))
                if column is not None and column not in out:
                    out[column] = target
                    break
        return out

    def table(self, records: list[Record], explicit: dict[str, str]) -> Table:
        at = self.header_at(records) or 0
        header = [h.replace("\ufeff", "").strip() for h in records[at][1]]
        return Table(header, records[at + 1:], merge_mapping(self.mapping(header), explicit))

    def tasks(self, records: list[Record], path: Path, explicit: dict[str, str],
              errors: list[RowError]) -> list[SourceTask]:
        """Every row as a ``SourceTask`` (too many cells is an error for that row)."""
        table = self.table(records, explicit)
        missing = [c for c in explicit if c not in table.header and explicit[c] != "-"]
        if missing:
            errors.append(RowError(1, "the file has no column " + ", ".join(
                f"'{c}'" for c in missing) + "; its columns are " + _columns(table.header)))
            return []
        if "title" not in table.mapping.values():
            errors.append(RowError(1, "no column holds the task titles; its columns are "
                                      + _columns(table.header)
                                      + " — map one with --map \"Name=title\""))
            return []
        out = []
        for line, cells in table.rows:
            if len(cells) > len(table.header):
                errors.append(RowError(line, f"{len(cells)} cells but the header has "
                                             f"{len(table.header)} columns (a stray comma "
                                             "or quote?)"))
                continue
            task = self.row(line, table, cells)
            if task is not None:
                out.append(task)
        return out

    def row(self, line: int, table: Table, cells: list[str]) -> SourceTask | None:
        """One row as a task; None leaves the row out (a section line, an archived card)."""
        task = SourceTask(line)
        by_field: dict[str, list[str]] = {}
        for i, column in enumerate(table.header):
            # A repeated column (Jira's Labels, Labels) has the field of its name.
            target = table.mapping.get(column)
            if target is None or i >= len(cells) or not cells[i].strip():
                continue
            by_field.setdefault(target, []).append(cells[i])
        for target, values in by_field.items():
            if target in ("labels", "depends_on"):  # every copy of a repeated column
                task.cells[target] = ", ".join(values) if target != "depends_on" else (
                    "; ".join(values))
            else:
                task.cells[target] = values[0]
        if task.get("owner"):
            task.owners = split_people(task.get("owner"))
        if task.get("labels"):
            task.labels = [x for x in (s.strip() for s in task.get("labels").split(",")) if x]
        if task.get("subtasks"):  # --map "Checklist=subtasks": one per line (or ';')
            task.subtasks = [(x.strip(), False) for x in re.split(r"[\n;]", task.get("subtasks"))
                             if x.strip()]
        return self.adjust(task)

    def adjust(self, task: SourceTask) -> SourceTask | None:
        """The tool's own formats; the default keeps the task as read."""
        return task


def _columns(header: list[str]) -> str:
    return ", ".join(f"'{h}'" for h in header)
