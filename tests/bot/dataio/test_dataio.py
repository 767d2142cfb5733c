"""Export every record, import tasks from CSV: round trip, re-import, bad files."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.dataio import export_workspace, import_csv, parse_mapping
from bot.dataio.values import parse_when
from bot.services.people import add_person, add_project
from bot.services.tasks import create_task
from engine.model import WorkCalendar

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)

ASANA = """Task ID,Name,Section/Column,Assignee,Start Date,Due Date,Notes,Projects
101,Send the Acme filing,To do,priya@acme.com,2026-11-16,2026-11-23,bank letters,Acme
102,Draft contract,In progress,Sam Lee,,2026-12-04,,Acme
103,Collect receipts,To do,,,2026-12-11,,Payroll
"""


def _source(uow) -> int:
    with uow() as u:
        ws = u.workspaces.create("src", "Source", calendar=WorkCalendar(tz="Europe/London")).id
        marcus = add_person(u, ws, "Marcus", handle="marcus").id
        priya = add_person(u, ws, "Priya", handle="priya").id
        acme, _ = add_project(u, ws, NOW, "Acme", manager_id=marcus)
        first = create_task(u, ws, NOW, marcus, "Send the Acme filing", owner_id=priya,
                            project_id=acme.id, start=NOW - 3 * DAY, due=NOW + 3 * DAY,
                            progress=40, priority=2).task
        second = create_task(u, ws, NOW, marcus, "Bank letters", owner_id=priya,
                             project_id=acme.id, parent_id=first.id, due=NOW + 2 * DAY).task
        create_task(u, ws, NOW, marcus, "Sign off", owner_id=marcus, project_id=acme.id,
                    depends_on=[second.id], due=NOW + 5 * DAY, status="in_review")
        create_task(u, ws, NOW, marcus, "Old thing, with a comma", status="done")
        create_task(u, ws, NOW, marcus, "Loose end", project_id=acme.id)
        u.commit()
        return ws


def _write(tmp_path, text: str, name: str = "in.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _nothing_written(uow, key: str = "dest") -> bool:
    with uow() as u:
        return u.workspaces.by_key(key) is None


def test_export_json_holds_every_record(uow, tmp_path):
    ws = _source(uow)
    with uow() as u:
        [path] = export_workspace(u, ws, "json", tmp_path)
    data = json.loads(path.read_text())
    assert data["workspace"]["key"] == "src"
    assert {p["name"] for p in data["people"]} == {"Marcus", "Priya"}
    assert [p["name"] for p in data["projects"]] == ["Acme"]
    assert [t["title"] for t in data["tasks"]][:2] == ["Send the Acme filing", "Bank letters"]
    assert data["tasks"][1]["parent"] == 1 and data["tasks"][2]["depends_on_numbers"] == "2"
    assert len(data["activity"]) >= 4
    assert any(v["rule_id"] == "task.missing_deadline" for v in data["violations"])


def test_export_csv_writes_one_file_per_kind(uow, tmp_path):
    ws = _source(uow)
    with uow() as u:
        paths = export_workspace(u, ws, "csv", tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        ["workspace.csv", "people.csv", "projects.csv", "tasks.csv", "activity.csv",
         "violations.csv"])
    with (tmp_path / "tasks.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[3]["title"] == "Old thing, with a comma" and rows[3]["status"] == "done"
    with pytest.raises(ValueError, match="unknown export format"):
        with uow() as u:
            export_workspace(u, ws, "xml", tmp_path)


def test_round_trip_into_an_empty_workspace_preserves_tasks(uow, tmp_path):
    ws = _source(uow)
    with uow() as u:
        export_workspace(u, ws, "csv", tmp_path)
        before = u.tasks.list(ws)
        names = {p.id: p.name for p in u.people.list(ws)}
    result = import_csv(uow, tmp_path / "tasks.csv", "dest", None, NOW, tz="Europe/London",
                        create=True)
    assert result.ok, result.report()
    assert result.created_workspace and sorted(result.created_projects) == ["Acme"]
    assert len(result.created_tasks) == 5
    with uow() as u:
        dest = u.workspaces.by_key("dest")
        after = u.tasks.list(dest.id)
        new_names = {p.id: p.name for p in u.people.list(dest.id)}
        by_number = {t.number: t for t in after}
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert (new.title, new.due, new.progress, new.status, new.priority) == (
            old.title, old.due, old.progress, old.status, old.priority)
        assert new_names.get(new.owner_id) == names.get(old.owner_id)
        assert (new.start or None) == (old.start or None)
    assert by_number[2].parent_id == by_number[1].id
    assert by_number[3].depends_on == (by_number[2].id,)
    # re-import: nothing duplicated
    again = import_csv(uow, tmp_path / "tasks.csv", "dest", None, NOW)
    assert again.ok and again.created_tasks == [] and len(again.unchanged) == 5
    assert not again.created_workspace and again.created_people == []
    with uow() as u:
        assert len(u.tasks.list(u.workspaces.by_key("dest").id)) == 5


def test_import_from_another_tool_creates_what_is_missing_and_reports_findings(uow, tmp_path):
    path = _write(tmp_path, ASANA)
    result = import_csv(uow, path, "dest", None, NOW, tz="Europe/London", create=True)
    assert result.ok, result.report()
    report = result.report()
    assert "Created workspace dest." in report
    assert "Created 2 people: priya (@priya), Sam Lee (@sam.lee)" in report
    assert "Created 2 projects: Acme, Payroll" in report
    assert "Imported 3 tasks." in report
    rules = {v.rule_id for v in result.found}
    assert {"task.overdue", "task.missing_owner", "project.missing_manager"} <= rules
    assert "#1 Send the Acme filing: overdue" in report
    with uow() as u:
        ws = u.workspaces.by_key("dest").id
        first = u.tasks.by_number(ws, 1)
        notes = [a for a in u.activity.for_task(ws, first.id) if a.kind == "note"]
    assert first.due == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # end of the working day
    assert notes[0].after == {"note": "bank letters"}
    again = import_csv(uow, path, "Dest", None, NOW)  # by display name, any case
    assert again.ok and again.created_tasks == [] and again.unchanged == [1, 2, 3]


def test_explicit_column_map(uow, tmp_path):
    path = _write(tmp_path, "Card,Who,When,Board,Pct\nShip it,@leo,27 Nov 2026,Launch,40%\n")
    with pytest.raises(ValueError, match="not a task field"):
        parse_mapping("Card=headline")
    result = import_csv(uow, path, "dest", "Card=title,Who=owner,When=due,Board=project,"
                        "Pct=progress", NOW, create=True)
    assert result.ok, result.report()
    with uow() as u:
        task = u.tasks.by_number(u.workspaces.by_key("dest").id, 1)
    assert (task.title, task.progress, task.status.value) == ("Ship it", 40, "in_progress")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name,Due Date\n,2026-12-01\n", "line 2: missing title"),
        ("Name,Due Date\nA,2026-02-30\n", "line 2: due: impossible date '2026-02-30'"),
        ("Name,Due Date\nA,31/02/2026\n", "line 2: due: impossible date '31/02/2026'"),
        ("Name,Due Date\nA,next blursday\n", "line 2: due: 'next blursday' is not a date"),
        ("Name,Due Date\nA,03/04/2026\n", "line 2: due: ambiguous date '03/04/2026'"),
        ("Name,Progress\nA,140%\n", "line 2: progress: progress 140% is not between 0% and 100%"),
        ("Name,Progress\nA,lots\n", "line 2: progress: progress 'lots' is not a number"),
        ("Name,Status\nA,someday\n", "line 2: status: unknown status 'someday'"),
        ("Name,Priority\nA,p9\n", "line 2: priority: unknown priority 'p9'"),
        ("Name,Due Date\nA,2026-12-01,extra\n", "line 2: 3 cells but the header has 2 columns"),
        ('Name,Due Date\n"A,2026-12-01\n', "malformed CSV"),
        ("Title\n", "holds no tasks"),
        ("", "is empty"),
        ("Foo,Bar\n1,2\n", "no column holds the task titles"),
        ("Name,Parent\nA,B\n", "line 2: parent 'B' is not a task of this file"),
        ("ID,Name,Depends on\n1,A,2\n2,B,1\n", "parent/dependency loop"),
    ],
)
def test_bad_files_are_refused_whole_with_line_and_reason(uow, tmp_path, text, expected):
    good = "Good task,2026-12-01\n" if text.startswith("Name,Due Date\n") else ""
    path = _write(tmp_path, text + good)
    result = import_csv(uow, path, "dest", None, NOW, create=True)
    assert not result.ok
    assert any(expected in str(e) for e in result.errors), result.report()
    assert result.report().startswith("Nothing was imported")
    assert _nothing_written(uow)


def test_every_bad_row_is_listed_and_good_rows_are_not_written(uow, tmp_path):
    with uow() as u:
        u.workspaces.create("dest", "Dest")
        u.commit()
    path = _write(tmp_path, "Name,Due Date,Progress\nFine,2026-12-01,10\n,2026-12-01,0\n"
                            "Also fine,2026-12-02,\nBad,2026-13-01,140\n")
    result = import_csv(uow, path, "dest", None, NOW, create=True)
    assert [str(e) for e in result.errors] == [
        "line 3: missing title",
        "line 5: due: impossible date '2026-13-01' (month must be in 1..12)",
        "line 5: progress: progress 140% is not between 0% and 100%",
    ]
    with uow() as u:
        assert u.tasks.count(u.workspaces.by_key("dest").id) == 0


def test_oversized_binary_and_non_utf8_files(uow, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.write(b"Name\n")
        fh.truncate(50 * 1024 * 1024)  # 50 MB (sparse)
    result = import_csv(uow, big, "dest", None, NOW, create=True)
    assert "big.csv is 50.00 MB; the limit is 10 MB" in str(result.errors[0])
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "not a CSV text file" in str(
        import_csv(uow, binary, "dest", None, NOW, create=True).errors[0])
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name\nCaf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in str(import_csv(uow, latin, "dest", None, NOW, create=True).errors[0])
    missing = import_csv(uow, tmp_path / "nope.csv", "dest", None, NOW, create=True)
    assert "cannot read" in str(missing.errors[0])
    assert _nothing_written(uow)


def test_dates_mean_the_end_of_the_working_day_in_the_workspace_zone():
    cal = WorkCalendar(tz="America/New_York")
    assert parse_when("2026-11-27", cal, True) == datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert parse_when("2026-11-27", cal, False) == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert parse_when("2026-11-27T08:00:00Z", cal, True) == datetime(2026, 11, 27, 8, 0,
                                                                      tzinfo=UTC)
    assert parse_when("Nov 27, 2026", cal, True) == parse_when("27/11/2026", cal, True)
    assert parse_when("27/Nov/26 5:00 PM", cal, True) == datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


def test_an_unknown_workspace_is_refused_with_the_existing_ones_listed(uow, tmp_path):
    with uow() as u:
        u.workspaces.create("console:default", "Console")
        u.commit()
    path = _write(tmp_path, ASANA)
    refused = import_csv(uow, path, "Consle", None, NOW)
    assert not refused.ok
    assert str(refused.errors[0]) == ("no workspace called 'Consle'; there are: "
                                      "Console (console:default) — or add --create to make a "
                                      "new one")
    assert _nothing_written(uow, "Consle")
    by_name = import_csv(uow, path, "console", None, NOW)
    assert by_name.ok and not by_name.created_workspace
    assert by_name.workspace_key == "console:default"
    with uow() as u:
        assert [w.key for w in u.workspaces.list()] == ["console:default"]


def _without_ids(record, ids=("id", "workspace_id")):
    data = record._asdict() if hasattr(record, "_asdict") else dict(vars(record))
    return {k: v for k, v in data.items() if k not in ids}


def test_the_json_export_imports_back_losing_nothing(uow, tmp_path):
    ws = _source(uow)
    with uow() as u:
        u.people.add_identity(ws, u.people.by_handle(ws, "priya").id, "slack", "U0PRIYA")
        u.commit()
        [path] = export_workspace(u, ws, "json", tmp_path)
        before = {
            "people": {p.handle: p for p in u.people.list(ws)},
            "projects": {p.name: p for p in u.projects.list(ws)},
            "tasks": {t.number: t for t in u.tasks.list(ws)},
            "activity": [(a.kind, a.at, a.before, a.after, a.human) for a in u.activity.list(ws)],
            "calendar": u.workspaces.get(ws).calendar,
        }
    result = import_csv(uow, path, "dest", None, NOW + DAY, create=True)
    assert result.ok, result.report()
    assert result.source == "Vigil (JSON export)" and len(result.created_tasks) == 5
    with uow() as u:
        dest = u.workspaces.by_key("dest")
        people = {p.handle: p for p in u.people.list(dest.id)}
        projects = {p.name: p for p in u.projects.list(dest.id)}
        tasks = {t.number: t for t in u.tasks.list(dest.id)}
        activity = [(a.kind, a.at, a.before, a.after, a.human) for a in u.activity.list(dest.id)]
        identities = u.people.identities(dest.id, people["priya"].id)
        assert dest.calendar == before["calendar"]
    new_to_old = {people[h].id: before["people"][h].id for h in people}
    for handle, old in before["people"].items():
        assert people[handle].name == old.name and people[handle].role == old.role
    assert [(i.platform, i.external_id) for i in identities] == [("slack", "U0PRIYA")]
    old_projects = {p.id: n for n, p in before["projects"].items()}
    for name, old in before["projects"].items():
        assert new_to_old[projects[name].manager_id] == old.manager_id
    assert sorted(tasks) == sorted(before["tasks"])
    old_numbers = {t.id: n for n, t in before["tasks"].items()}
    new_numbers = {t.id: n for n, t in tasks.items()}
    for number, old in before["tasks"].items():
        new = tasks[number]
        same = ("title", "created_at", "start", "due", "progress", "status", "status_since",
                "priority", "last_progress_at", "last_activity_at", "completed_at",
                "blocked_reason")
        assert {k: getattr(new, k) for k in same} == {k: getattr(old, k) for k in same}
        assert new_to_old.get(new.owner_id) == old.owner_id
        assert new_to_old.get(new.creator_id) == old.creator_id
        assert old_projects.get(old.project_id) == (
            next((n for n, p in projects.items() if p.id == new.project_id), None))
        assert new_numbers.get(new.parent_id) == old_numbers.get(old.parent_id)
        assert [new_numbers[d] for d in new.depends_on] == [old_numbers[d] for d in old.depends_on]
    assert activity == before["activity"]
