"""The neutral shape every source is read into, and the column map.

A source module turns its file into ``SourceTask``s: text as the tool wrote
it, one per task, with the line it came from. The importer then checks and
converts the values the same way for every tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Vigil fields a column can be mapped to (``--map "Column=field"``).
FIELDS = ("title", "owner", "owner_email", "project", "section", "due", "start", "created",
          "completed", "modified", "status", "progress", "priority", "ref", "parent",
          "depends_on", "description", "labels", "subtasks", "blocked_reason")
IGNORE = "-"  # --map "Column=-" leaves a detected column out


@dataclass
class SourceTask:
    """One task as a source file has it (cells as text)."""

    line: int
    cells: dict[str, str] = field(default_factory=dict)  # field -> text
    owners: list[str] = field(default_factory=list)  # names, handles or emails, first is owner
    labels: list[str] = field(default_factory=list)
    subtasks: list[tuple[str, bool]] = field(default_factory=list)  # (title, done)
    exact: dict[str, Any] = field(default_factory=dict)  # Vigil's own export: typed values

    def get(self, name: str) -> str:
        return (self.cells.get(name) or "").strip()


def parse_mapping(mapping: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"Name=title,Assignee=owner"`` -> ``{"Name": "title", "Assignee": "owner"}``.

    ``Column=-`` ignores a column. Raises ``ValueError`` for a malformed entry
    or an unknown Vigil field.
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
        if wanted not in (*FIELDS, IGNORE):
            raise ValueError(f"'{target}' is not a task field I can import; use one of "
                             + ", ".join(FIELDS) + " (or - to leave the column out)")
        out[column] = wanted
    return out


def merge_mapping(detected: dict[str, str], explicit: dict[str, str]) -> dict[str, str]:
    """The detected column map with ``--map`` on top: it adds columns and overrides fields.

    A column given in ``--map`` takes the field named there; a field given there
    is no longer taken from the column detection chose for it.
    """
    claimed = {f for f in explicit.values() if f != IGNORE}
    merged = {c: f for c, f in detected.items() if f not in claimed and c not in explicit}
    merged.update({c: f for c, f in explicit.items() if f != IGNORE})
    return merged


def describe_mapping(mapping: dict[str, str]) -> str:
    """'Name → title, Assignee → owner' for the report."""
    return ", ".join(f"{column} → {target}" for column, target in mapping.items())
