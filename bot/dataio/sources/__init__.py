"""One module per tool whose exports Vigil reads; ``detect`` picks the one a file is from.

Tried in this order: monday.com's sectioned sheet, Todoist, Asana, Trello,
Jira, ClickUp, Vigil's own ``tasks.csv``, Notion; anything else is read by
common column names.
"""

from __future__ import annotations

from pathlib import Path

from bot.dataio.reading import Record
from bot.dataio.sources import asana, clickup, jira, monday, notion, todoist, trello
from bot.dataio.sources.base import CsvSource
from bot.dataio.sources.generic import GENERIC, VIGIL_CSV

KNOWN: tuple[CsvSource, ...] = (
    monday.SOURCE, todoist.SOURCE, asana.SOURCE, trello.SOURCE, jira.SOURCE, clickup.SOURCE,
    VIGIL_CSV, notion.SOURCE,
)


def detect(records: list[Record], path: Path) -> CsvSource:
    """The tool that wrote this CSV (by its header), or the generic reader."""
    for source in KNOWN:
        if source.detect(records, path):
            return source
    return GENERIC


__all__ = ["GENERIC", "KNOWN", "CsvSource", "detect"]
