"""The importer keeps the chat's limits (``bot.limits``): rows over one are reported, not stored.

The bulk insert bypasses the task service, so the rows are checked first:
each row over a limit is listed with its line, the field and the limit, and
nothing at all is written; a text at the limit is stored whole. The same goes
for checklist items and for a hand-edited Vigil export.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.dataio import import_csv
from bot.limits import TEXT_LIMITS

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def text_of(n: int) -> str:
    return ("lorem ipsum dolor " * (n // 10 + 2))[: n - 1] + "z"


# field -> (CSV header, a row with the text in it)
COLUMNS = {
    "title": ("Name,Assignee,Projects,Notes", "{},Ann,Acme,"),
    "note": ("Name,Assignee,Projects,Notes", "Plan,Ann,Acme,{}"),
    "project": ("Name,Assignee,Projects,Notes", "Plan,Ann,{},"),
    "person": ("Name,Assignee,Projects,Notes", "Plan,{},Acme,"),
    "reason": ("Name,Status,Blocked reason", "Plan,Blocked,{}"),
}
MAPS = {"reason": "Blocked reason=blocked_reason"}


def _write(tmp_path, field: str, text: str):
    header, row = COLUMNS[field]
    path = tmp_path / "tasks.csv"
    good = row.replace("{}", "ok") if field != "reason" else "Fine,Blocked,waiting"
    path.write_text(f"{header}\n{good}\n{row.replace('{}', text)}\n")
    return path


def _counts(uow):
    with uow() as u:
        spaces = u.workspaces.list()
        if not spaces:
            return 0, 0, 0
        ws = spaces[0].id
        return len(u.tasks.list(ws)), len(u.projects.list(ws)), len(u.people.list(ws))


@pytest.mark.parametrize("field", sorted(COLUMNS))
def test_a_row_over_a_limit_is_reported_with_its_line_and_nothing_is_written(uow, tmp_path,
                                                                          field):
    what, limit = TEXT_LIMITS[field]
    path = _write(tmp_path, field, text_of(limit + 1))
    result = import_csv(uow, path, "Ledger", MAPS.get(field), NOW, create=True)
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        f"line 3: {what} has at most {limit:,} characters; this one has {limit + 1:,}. "
        "Shorten it"]
    assert "Nothing was imported" in result.report()
    assert _counts(uow) == (0, 0, 0)


@pytest.mark.parametrize("field", sorted(COLUMNS))
def test_a_text_at_the_limit_is_stored_whole(uow, tmp_path, field):
    limit = TEXT_LIMITS[field][1]
    text = "Ann" + "a" * (limit - 3) if field == "person" else text_of(limit)
    path = _write(tmp_path, field, text)
    result = import_csv(uow, path, "Ledger", MAPS.get(field), NOW, create=True)
    assert result.ok, result.report()
    with uow() as u:
        ws = u.workspaces.by_key("Ledger").id
        kept = {
            "title": [t.title for t in u.tasks.list(ws)],
            "reason": [t.blocked_reason for t in u.tasks.list(ws)],
            "project": [p.name for p in u.projects.list(ws)],
            "person": [p.name for p in u.people.list(ws)],
            "note": [e.after["note"] for e in u.activity.list(ws) if e.kind == "note"],
        }[field]
    assert text in kept  # never cut


def test_a_long_checklist_item_is_reported_not_cut(uow, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(f'Name,Checklist\nClose the books,"Bank rec\n{text_of(201)}"\n')
    result = import_csv(uow, path, "Ledger", "Checklist=subtasks", NOW, create=True)
    assert [str(e) for e in result.errors] == [
        "line 2: checklist item 2: A task title has at most 200 characters; this one has "
        "201. Shorten it"]
    assert _counts(uow) == (0, 0, 0)


@pytest.mark.parametrize(("cell", "year"), [("2250-01-01", 2250), ("1899-12-31", 1899),
                                            ("9999-12-31T10:00:00Z", 9999)])
def test_an_imported_date_outside_1900_2200_is_reported(uow, tmp_path, cell, year):
    path = tmp_path / "tasks.csv"
    path.write_text(f"Name,Due Date\nPlan,{cell}\n")
    result = import_csv(uow, path, "Ledger", None, NOW, create=True)
    assert [str(e) for e in result.errors] == [
        f"line 2: due: impossible date: year {year} (use 1900-2200)"]
    assert _counts(uow) == (0, 0, 0)


def test_a_hand_edited_vigil_export_keeps_the_limits(uow, tmp_path):
    document = {
        "format": "vigil-export/1",
        "workspace": {"name": "Ledger"},
        "people": [{"id": 1, "name": "Ann" + "a" * 200, "handle": "ann"}],
        "projects": [{"id": 1, "name": text_of(81)}],
        "tasks": [{"id": 1, "number": 7, "title": text_of(201), "created_at": NOW.isoformat(),
                   "due": "2250-01-01T17:00:00+00:00"}],
        "activity": [],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    result = import_csv(uow, path, "Ledger", None, NOW, create=True)
    assert [str(e) for e in result.errors] == [
        f"person 1: A person's name has at most {TEXT_LIMITS['person'][1]} characters; "
        "this one has 203. Shorten it",
        "project 1: A project name has at most 80 characters; this one has 81. Shorten it",
        "task #7: A task title has at most 200 characters; this one has 201. Shorten it",
        "task #7: due: impossible date: year 2250 (use 1900-2200)",
    ]
    assert _counts(uow) == (0, 0, 0)
