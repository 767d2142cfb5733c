"""The command line: parse, check and db upgrade end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

runner = CliRunner()


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """A migrated SQLite database that the CLI is configured to use."""
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    monkeypatch.setenv("VIGIL_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def seed_invoice(url: str, created: datetime, due: datetime, identity: bool = False) -> None:
    """One workspace, Ana, and her task 'Send the invoice'."""
    engine = make_engine(url)
    upgrade(engine)
    with make_uow_factory(engine)() as u:
        ws = u.workspaces.create("console:default", "Default")
        ana = people_svc.add_person(u, ws.id, "Ana", handle="ana")
        if identity:
            u.people.add_identity(ws.id, ana.id, "console", "ana")
        task_svc.create_task(
            u, ws.id, created, ana.id, "Send the invoice", owner_id=ana.id, due=due
        )
        u.commit()
    engine.dispose()


def test_parse_prints_the_intent_as_json():
    result = runner.invoke(
        app,
        [
            "parse",
            "remind Sam to send the Acme filing by Friday",
            "--now",
            "2026-11-24T10:00",
            "--tz",
            "Europe/London",
            "--as",
            "ana",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["intent"] == "create_task" and data["owner"] == "sam"
    assert data["due"] == "2026-11-27T17:00:00+00:00"
    assert data["progress"] is None


def test_parse_me_is_the_speaker():
    result = runner.invoke(app, ["parse", "what's on my plate?", "--as", "@ana", "--json"])
    assert json.loads(result.stdout)["owner"] == "ana"


def test_parse_bad_date_and_bad_zone_are_clear_errors():
    bad_date = runner.invoke(app, ["parse", "due #14 blorp", "--now", "2026-11-24T10:00"])
    assert bad_date.exit_code == 2 and "blorp" in bad_date.output
    bad_zone = runner.invoke(app, ["parse", "board", "--tz", "Mars/Base"])
    assert bad_zone.exit_code == 2 and "unknown time zone" in bad_zone.output


def test_check_lists_firing_violations_and_full_agrees(configured):
    past = datetime.now(UTC) - timedelta(days=3)
    seed_invoice(configured, past, past + timedelta(days=1))
    first = runner.invoke(app, ["check", "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    rules = {v["rule"] for v in report["workspaces"][0]["violations"]}
    assert "task.overdue" in rules
    full = json.loads(runner.invoke(app, ["check", "--full", "--json"]).stdout)
    assert full["workspaces"][0]["changes"] == 0  # the incremental path was in step
    text = runner.invoke(app, ["check"])
    assert "task.overdue" in text.stdout and "#1 Send the invoice" in text.stdout
    missing = runner.invoke(app, ["check", "--workspace", "nope"])
    assert missing.exit_code == 2


def test_export_import_and_gantt_commands(configured, tmp_path):
    now = datetime.now(UTC)
    seed_invoice(configured, now, now + timedelta(days=3))
    png = tmp_path / "timeline.png"
    drawn = runner.invoke(app, ["gantt", "--out", str(png)])
    assert drawn.exit_code == 0, drawn.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    exported = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    tasks_csv = tmp_path / "out" / "tasks.csv"
    assert "Send the invoice" in tasks_csv.read_text()
    imported = runner.invoke(app, ["import", str(tasks_csv), "--workspace", "console:copy",
                                   "--create"])
    assert imported.exit_code == 0, imported.output
    assert "Imported 1 task" in imported.stdout
    again = runner.invoke(app, ["import", str(tasks_csv), "--workspace", "console:copy"])
    assert "Imported 0 tasks" in again.stdout or "already" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("title,progress\nFine,10\nBroken,140\n")
    refused = runner.invoke(app, ["import", str(bad), "--workspace", "console:copy"])
    assert refused.exit_code == 2 and "line 3" in refused.stdout.lower()


def test_status_shows_the_outbox(configured):
    past = datetime.now(UTC) - timedelta(days=3)
    seed_invoice(configured, past, past + timedelta(days=1), identity=True)
    assert runner.invoke(app, ["check"]).exit_code == 0
    report = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert sum(report["counts"].values()) >= 1
    assert report["setup"]["platforms"]["slack"] == {
        "on": False, "how": "off — SLACK_BOT_TOKEN is not set"}
    assert report["setup"]["workspaces"] == 1 and report["setup"]["tasks"] == 1
    text = runner.invoke(app, ["status"])
    assert text.exit_code == 0 and "pending" in text.stdout
    assert text.stdout.startswith("Vigil status\n")
    assert f"  database  {configured} (1 workspace, 1 task)" in text.stdout
    assert "Telegram  off — TELEGRAM_BOT_TOKEN is not set" in text.stdout
    assert "next      `vigil console` chats with Vigil in this terminal" in text.stdout


def test_run_prints_where_it_is_before_it_starts(configured, monkeypatch):
    served = []

    async def fake_serve(settings):  # the banner, not the scheduler, is under test
        served.append(settings.database_url)

    monkeypatch.setattr("bot.app.serve", fake_serve)
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert served == [configured]
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Vigil is starting",
        f"  database  {configured} (0 workspaces, 0 tasks)",
        "  Slack     off — SLACK_BOT_TOKEN is not set",
        "  Telegram  off — TELEGRAM_BOT_TOKEN is not set",
    ]
    demo = "  next      `vigil demo` plays two weeks of a sample accounting firm in seconds"
    assert demo in lines


def test_console_reads_stdin(configured):
    script = ("add Send the Acme filing by Friday\n1\ntasks\ninvite Sam\n/as Sam\ndone #1\n"
              "/quit\n")
    result = runner.invoke(app, ["console", "--as", "Ana", "--tz", "Europe/London"], input=script)
    assert result.exit_code == 0, result.output
    assert "Added #1 Send the Acme filing" in result.stdout
    assert "#1 is yours now" in result.stdout
    assert "Your open tasks (1)" in result.stdout
    assert "You are now Sam." in result.stdout and "Only the owner or creator" in result.stdout


def test_console_asks_a_new_workspace_for_its_admins_name(configured):
    result = runner.invoke(app, ["console", "--tz", "Europe/London"], input="Marcus\npeople\n")
    assert result.exit_code == 0, result.output
    assert "What's your name?" in result.stdout and "You are Marcus." in result.stdout
    assert "1 person:\n• Marcus (@marcus) — admin" in result.stdout
    assert "Me (" not in result.stdout
    again = runner.invoke(app, ["console"], input="people\n")  # known workspace: no question
    assert "What's your name?" not in again.stdout and "You are Marcus." in again.stdout
