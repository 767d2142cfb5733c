"""Trello: the board CSV export (Premium/Enterprise) and the board JSON export (free).

CSV header: ``Card ID, Card Name, Card URL, Card Description, Labels,
Members, Due Date, Attachment Count, Attachment Links, Checklist Item Total
Count, Checklist Item Completed Count, Vote Count, Comment Count, Last
Activity Date, List ID, List Name, Board ID, Board Name, Archived, Start
Date, Due Complete``. Labels are ``Name (colour)``; Members are full names.
The list a card sits in is its status hint ("Done"); a ticked due date
(Due Complete) means done; archived cards are left out.

JSON (board menu → Print, export and share → Export as JSON): ``cards``,
``lists``, ``members``, ``labels``, ``checklists``; a card's id begins with
its creation time (8 hex digits of Unix seconds); checklist items become
subtasks (``state: complete`` = done).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.dataio.reading import RowError
from bot.dataio.record import SourceTask
from bot.dataio.sources.base import CsvSource
from bot.dataio.values import is_true

_COLOUR = re.compile(r"\s*\((green|yellow|orange|red|purple|blue|sky|lime|pink|black|"
                     r"[a-z_]+)\)\s*$")


class TrelloCsv(CsvSource):
    def adjust(self, task: SourceTask) -> SourceTask | None:
        if is_true(task.get("archived")):
            return None
        task.labels = [_COLOUR.sub("", label) for label in task.labels]
        if is_true(task.get("due_complete")) and not task.get("status"):
            task.cells["status"] = "done"
        return task


SOURCE = TrelloCsv(
    "Trello",
    columns={
        "ref": ("Card ID",), "title": ("Card Name",), "description": ("Card Description",),
        "labels": ("Labels",), "owner": ("Members",), "due": ("Due Date",),
        "start": ("Start Date",), "modified": ("Last Activity Date",),
        "section": ("List Name",), "project": ("Board Name",), "archived": ("Archived",),
        "due_complete": ("Due Complete",),
    },
    signature=("Card ID", "Card Name", "List Name"),
)


def is_board(document: Any) -> bool:
    return isinstance(document, dict) and "cards" in document and "lists" in document


def _created(card_id: str) -> str:
    try:
        return datetime.fromtimestamp(int(card_id[:8], 16), UTC).isoformat()
    except ValueError:
        return ""


def board_tasks(document: dict[str, Any], errors: list[RowError]) -> list[SourceTask]:
    """The cards of a Trello board JSON export as tasks (archived ones left out)."""
    lists = {x.get("id"): x for x in document.get("lists", []) if isinstance(x, dict)}
    members = {m.get("id"): m.get("fullName") or m.get("username") or ""
               for m in document.get("members", []) if isinstance(m, dict)}
    labels = {x.get("id"): x.get("name") or x.get("color") or ""
              for x in document.get("labels", []) if isinstance(x, dict)}
    checklists: dict[str, list[tuple[str, bool]]] = {}
    for checklist in document.get("checklists", []):
        items = sorted(checklist.get("checkItems", []), key=lambda i: i.get("pos", 0))
        checklists.setdefault(checklist.get("idCard", ""), []).extend(
            (str(i.get("name", "")).strip(), i.get("state") == "complete") for i in items
            if str(i.get("name", "")).strip())
    out = []
    for n, card in enumerate(document.get("cards", []), start=1):
        if not isinstance(card, dict) or card.get("closed"):
            continue
        the_list = lists.get(card.get("idList"), {})
        if the_list.get("closed"):
            continue
        task = SourceTask(n, cells={
            "ref": str(card.get("id", "")), "title": str(card.get("name", "")),
            "description": str(card.get("desc") or ""), "due": str(card.get("due") or ""),
            "start": str(card.get("start") or ""),
            "modified": str(card.get("dateLastActivity") or ""),
            "created": _created(str(card.get("id", ""))),
            "section": str(the_list.get("name") or ""),
            "project": str(document.get("name") or ""),
        })
        if card.get("dueComplete"):
            task.cells["status"] = "done"
        task.owners = [members[m] for m in card.get("idMembers", []) if members.get(m)]
        task.labels = [labels[x] for x in card.get("idLabels", []) if labels.get(x)]
        task.subtasks = checklists.get(str(card.get("id")), [])
        out.append(task)
    if not out and not errors:
        errors.append(RowError(0, "the Trello board has no open cards"))
    return out
