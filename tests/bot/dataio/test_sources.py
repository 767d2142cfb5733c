"""Real-shaped exports of each tool: detected by header, mapped without --map, kept faithfully.

The files under exports/ carry each tool's header row as it writes it, quoted
multi-line notes, byte-order marks and the tool's own date formats.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.dataio import import_csv
from bot.services.people import add_person
from engine.model import Status

EXPORTS = Path(__file__).parent / "exports"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
LONDON_5PM = {"2026-12-11": datetime(2026, 12, 11, 17, 0, tzinfo=UTC)}


def _import(uow, name: str, **kwargs):
    result = import_csv(uow, EXPORTS / name, "Ledger", kwargs.pop("mapping", None), NOW,
                        tz="Europe/London", create=True, **kwargs)
    assert result.ok, result.report()
    return result


def _world(uow):
    """Tasks by title, people by id, projects by id, notes and labels by task title."""
    with uow() as u:
        ws = u.workspaces.by_key("Ledger").id
        tasks = {t.title: t for t in u.tasks.list(ws)}
        people = {p.id: p.name for p in u.people.list(ws)}
        projects = {p.id: p.name for p in u.projects.list(ws)}
        notes, labels = {}, {}
        for entry in u.activity.list(ws):
            title = next(t for t, task in tasks.items() if task.id == entry.task_id)
            if entry.kind == "note":
                notes[title] = entry.after["note"]
            if entry.kind == "imported":
                labels[title] = entry.after.get("labels") or []
        firing = {(v.rule_id, v.subject_id) for v in u.violations.all_firing(ws)}
    return tasks, people, projects, notes, labels, firing


def _owner(tasks, people, title):
    return people.get(tasks[title].owner_id)


def test_asana(uow):
    result = _import(uow, "asana.csv")
    assert result.source == "Asana"
    tasks, people, projects, notes, labels, firing = _world(uow)
    assert len(tasks) == 4  # the spacer rows above the header are not tasks
    payroll = tasks["Run the November payroll"]
    assert payroll.status is Status.DONE and payroll.progress == 100
    assert payroll.completed_at.date().isoformat() == "2026-11-20"
    assert payroll.created_at.date().isoformat() == "2026-11-02"
    assert ("task.overdue", payroll.id) not in firing  # done in Asana: never overdue
    assert notes["Run the November payroll"] == "Checked against the bank file,\r\nsent to HMRC"
    vat = tasks["Q4 VAT return for Acme"]
    assert vat.status is Status.IN_PROGRESS and projects[vat.project_id] == "Acme Ltd"
    assert vat.due == LONDON_5PM["2026-12-11"]
    assert labels["Q4 VAT return for Acme"] == ["vat", "acme"]
    receipts = tasks["Collect Acme receipts"]
    assert receipts.parent_id == vat.id and projects[receipts.project_id] == "Acme Ltd"
    assert tasks["File Acme return"].depends_on == (vat.id,)
    assert _owner(tasks, people, "File Acme return") == "Priya Shah"
    assert sorted(result.created_projects) == ["Acme Ltd", "Payroll"]


def test_trello_csv(uow):
    result = _import(uow, "trello.csv")
    assert result.source == "Trello"
    tasks, people, projects, notes, labels, firing = _world(uow)
    # the archived card is left out
    assert sorted(tasks) == ["Book Beacon kick-off", "Send Harlow engagement letter"]
    letter = tasks["Send Harlow engagement letter"]
    assert letter.status is Status.IN_PROGRESS and projects[letter.project_id] == (
        "Client onboarding")
    assert _owner(tasks, people, "Send Harlow engagement letter") == "Priya Shah"
    assert labels["Send Harlow engagement letter"] == ["Urgent", "Clients"]  # colours dropped
    assert notes["Send Harlow engagement letter"] == ("Draft in the shared drive.\n"
                                                      "Needs Marcus's signature.")
    assert letter.due == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    assert tasks["Book Beacon kick-off"].status is Status.DONE  # the due date was ticked


def test_trello_board_json_checklists_become_subtasks(uow):
    result = _import(uow, "trello_board.json")
    assert result.source == "Trello (board JSON)"
    tasks, people, projects, *_ = _world(uow)
    assert sorted(tasks) == ["Import opening balances", "Map VAT codes",
                             "Set up Beacon in the ledger", "Welcome pack sent"]
    card = tasks["Set up Beacon in the ledger"]
    assert card.created_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # from the card id
    assert tasks["Import opening balances"].parent_id == card.id
    assert tasks["Import opening balances"].status is Status.DONE
    assert tasks["Map VAT codes"].status is Status.TODO
    assert _owner(tasks, people, "Map VAT codes") == "Sam Lee"
    assert tasks["Welcome pack sent"].status is Status.DONE


def test_jira(uow):
    result = _import(uow, "jira.csv")
    assert result.source == "Jira"
    tasks, people, projects, notes, labels, firing = _world(uow)
    close = tasks["Year-end close for Harlow"]
    assert close.priority == 2 and close.status is Status.IN_PROGRESS
    assert close.created_at == datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
    assert labels["Year-end close for Harlow"] == ["year-end", "harlow"]  # both Labels columns
    assert notes["Year-end close for Harlow"].startswith("h2. Steps\n* trial balance")
    assert tasks["Trial balance review"].parent_id == close.id  # Parent is the issue id
    assert tasks["Sign-off meeting"].depends_on == (close.id,)  # blocked by FIN-12
    journal = tasks["Payroll journal"]
    assert journal.status is Status.DONE
    assert journal.completed_at == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert ("task.overdue", journal.id) not in firing


def test_clickup(uow):
    result = _import(uow, "clickup.csv")
    assert result.source == "ClickUp"
    tasks, people, projects, notes, *_ = _world(uow)
    bank = tasks["Reconcile Beacon bank"]
    assert bank.due == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # Unix milliseconds
    assert bank.created_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert _owner(tasks, people, "Reconcile Beacon bank") == "Sam Lee"  # first of [A, B]
    assert bank.priority == 2 and projects[bank.project_id] == "Beacon"
    assert notes["Reconcile Beacon bank"] == "Two accounts:\ncurrent and savings"
    assert tasks["Chase Beacon statements"].parent_id == bank.id
    assert tasks["Close October books"].status is Status.DONE
    assert tasks["Close October books"].priority == 1


def test_monday(uow):
    result = _import(uow, "monday.csv")
    assert result.source == "monday.com"
    tasks, people, projects, notes, labels, _ = _world(uow)
    renewal = tasks["Insurance renewal for Harlow"]
    assert projects[renewal.project_id] == "Client work"
    assert renewal.status is Status.IN_PROGRESS and renewal.priority == 2
    assert tasks["Get broker quote"].parent_id == renewal.id
    assert tasks["Get broker quote"].status is Status.DONE
    assert tasks["Compare cover"].parent_id == renewal.id
    assert tasks["Beacon onboarding call"].status is Status.BLOCKED
    assert tasks["Acme engagement letter"].status is Status.DONE
    assert labels["Insurance renewal for Harlow"] == ["This month"]
    assert labels["Acme engagement letter"] == ["Done"]


def test_todoist(uow):
    result = _import(uow, "Ledger admin.csv")
    assert result.source == "Todoist"
    tasks, people, projects, notes, labels, _ = _world(uow)
    renew = tasks["Renew the practising certificate"]
    assert renew.priority == 1  # Todoist writes p1 as 4
    assert projects[renew.project_id] == "Ledger admin"
    assert _owner(tasks, people, "Renew the practising certificate") == "Aisha Khan"
    assert renew.due == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    assert labels["Renew the practising certificate"] == ["admin", "Filing"]
    assert tasks["Print the CPD log"].parent_id == renew.id  # INDENT 2
    assert notes["Print the CPD log"] == "The log is in the shared drive"
    assert tasks["Water the plants"].due is None
    assert notes["Water the plants"] == "repeats: every friday"


def test_notion(uow):
    result = _import(uow, "Client tasks 0f1e2d3c4b5a69788796a5b4c3d2e1f0.csv")
    assert result.source == "Notion"
    tasks, people, projects, *_ = _world(uow)
    pack = tasks["Harlow board pack"]  # the BOM before 'Task name' is not part of the header
    assert projects[pack.project_id] == "Harlow"  # the page link is dropped
    assert pack.due == datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    assert pack.created_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    workshop = tasks["Beacon budget workshop"]
    assert workshop.start == datetime(2026, 12, 14, 9, 0, tzinfo=UTC)  # a date range
    assert workshop.due == datetime(2026, 12, 16, 17, 0, tzinfo=UTC)
    assert workshop.status is Status.TODO
    assert tasks["Acme audit sign-off"].status is Status.DONE


def test_people_are_matched_by_email_handle_or_name_before_any_is_created(uow):
    with uow() as u:
        ws = u.workspaces.create("Ledger", "Ledger").id
        add_person(u, ws, "Marcus Webb", handle="marcus")
        samuel = add_person(u, ws, "Samuel", handle="sam")
        u.people.add_identity(ws, samuel.id, "email", "sam@ledger.example")
        add_person(u, ws, "Priya Shah", handle="priya")
        u.commit()
    result = _import(uow, "asana.csv")
    assert result.created_people == []  # Sam by his email, Priya by her full name
    tasks, people, *_ = _world(uow)
    assert _owner(tasks, people, "Q4 VAT return for Acme") == "Samuel"
    assert _owner(tasks, people, "Run the November payroll") == "Priya Shah"
    again = _import(uow, "jira.csv")  # "Sam Lee" matches nobody: created once
    assert again.created_people == ["Sam Lee (@sam.lee)"]


def test_map_adds_to_and_overrides_the_detected_columns(uow):
    result = _import(uow, "asana.csv", mapping="Tags=project,Assignee Email=-")
    assert result.mapping["Tags"] == "project" and "Projects" not in result.mapping
    assert "Assignee Email" not in result.mapping
    assert result.mapping["Completed At"] == "completed"  # detection still applies
    tasks, people, projects, *_ = _world(uow)
    assert projects[tasks["Run the November payroll"].project_id] == "payroll"
    assert tasks["Run the November payroll"].status is Status.DONE


@pytest.mark.parametrize("name", ["asana.csv", "trello_board.json", "monday.csv"])
def test_dry_run_reports_and_writes_nothing(uow, name):
    result = import_csv(uow, EXPORTS / name, "Ledger", None, NOW, tz="Europe/London",
                        create=True, dry_run=True)
    assert result.ok and result.created_tasks
    report = result.report()
    assert report.startswith("Dry run — nothing was written.")
    assert "Workspace Ledger would be created." in report and "Would import" in report
    with uow() as u:
        assert u.workspaces.list() == []


def test_reimport_updates_what_changed_in_the_source(uow, tmp_path):
    _import(uow, "asana.csv")
    changed = (EXPORTS / "asana.csv").read_text().replace(
        "Q4 VAT return for Acme,In progress,Sam Lee,sam@ledger.example,2026-11-16,2026-12-11",
        "Q4 VAT return for Acme,Done,Sam Lee,sam@ledger.example,2026-11-16,2026-12-18")
    path = tmp_path / "asana.csv"
    path.write_text(changed)
    again = import_csv(uow, path, "Ledger", None, NOW)
    assert again.ok, again.report()
    assert again.created_tasks == [] and sorted(again.unchanged) == [1, 3, 4]
    assert again.updated == [(2, ["due", "progress", "status"])]
    tasks, *_ = _world(uow)
    vat = tasks["Q4 VAT return for Acme"]
    assert vat.status is Status.DONE and vat.due == datetime(2026, 12, 18, 17, 0, tzinfo=UTC)


def test_large_files_go_in_batches_with_progress(uow, tmp_path, monkeypatch):
    monkeypatch.setattr("bot.dataio.importer.BATCH", 2)
    monkeypatch.setattr("bot.dataio.importer.EVALUATE_AT_ONCE", 3)
    monkeypatch.setattr("bot.dataio.first_check.CHECK_BATCH", 1)
    seen: list[tuple[str, int, int]] = []
    phase = ["rows"]
    result = import_csv(uow, EXPORTS / "asana.csv", "Ledger", None, NOW, tz="Europe/London",
                        create=True, phase=lambda name: phase.append(name),
                        yield_seconds=0.001,  # as on SQLite: small batches, pauses
                        progress=lambda done, total: seen.append((phase[-1], done, total)))
    assert result.ok, result.report()
    rows = [s for s in seen if s[0] == "rows"]
    checks = [s for s in seen if s[0] == "check"]
    assert rows == [("rows", 2, 4), ("rows", 4, 4)]  # one transaction per batch, as it goes
    # more than EVALUATE_AT_ONCE: checked in committed batches of whole owners, then projects
    assert len(checks) >= 3 and checks[-1][1] == checks[-1][2] == 4
    assert "The rules found" in result.report()
    with uow() as u:
        ws = u.workspaces.by_key("Ledger").id
        assert u.tasks.due_for_check(ws, NOW) == []  # checked: nothing left for the tick
        firing = {v.rule_id for v in u.violations.all_firing(ws)}
    assert "project.missing_manager" in firing
    assert {v.rule_id for v in result.found or []} == firing


def test_a_mapped_checklist_column_becomes_subtasks(uow, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text('Name,Due Date,Checklist\n'
                    'Close the books,2026-12-18,"Bank rec\nVAT; Payroll"\n')
    result = import_csv(uow, path, "Ledger", "Checklist=subtasks", NOW, create=True)
    assert result.ok, result.report()
    tasks, *_ = _world(uow)
    assert sorted(tasks) == ["Bank rec", "Close the books", "Payroll", "VAT"]
    assert {tasks[t].parent_id for t in ("Bank rec", "VAT", "Payroll")} == {
        tasks["Close the books"].id}
