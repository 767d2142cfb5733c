"""`vigil demo --fast` end to end: the story's key moments, the PNG, the console after it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PIL import Image
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.demo.command import is_demo_database
from bot.demo.firm import END, shift_to

runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # one story line per line, as on a wide terminal


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "vigil-demo.db"
    result = runner.invoke(app, ["demo", "--fast", "--db", str(db), "--today", "2026-03-13"],
                           env=WIDE)
    assert result.exit_code == 0, result.output
    return db, result.stdout


def _day(story: str, heading: str) -> str:
    """The lines under one day's heading."""
    start = story.index(heading)
    nxt = re.search(r"\n(Monday|Tuesday|Wednesday|Thursday|Friday|This morning)", story[start + 1:])
    return story[start: start + 1 + nxt.start()] if nxt else story[start:]


def test_the_stall_is_flagged_on_day_four_and_cleared_by_progress(demo):
    _, story = demo
    thursday = _day(story, "Thursday 5 March")
    assert ("10:00  🔔 Vigil → Priya: ⚠ #1 Q4 VAT filing for Acme: stalled — no progress for "
            "3 days (since Mon 2 Mar 09:10), still at 40%") in thursday
    for earlier in ("Monday 2 March", "Tuesday 3 March", "Wednesday 4 March"):
        assert "#1 Q4 VAT filing for Acme: stalled" not in _day(story, earlier)
    assert "11:20  💬 Priya: “progress #1 60%”" in thursday
    assert "✅ Resolved by Priya · #1 Q4 VAT filing for Acme (stalled)" in thursday


def test_the_blocked_payroll_escalates_to_marcus(demo):
    _, story = demo
    assert "11:00  🔔 Vigil → Sam: ⚠ #4 Beacon payroll set-up: long blocked" in _day(
        story, "Thursday 5 March")
    friday = _day(story, "Friday 6 March")
    # the real time since it fired (Thursday 11:00), not the ladder's "1 working day"
    assert ("11:00  🔔 Vigil → Marcus: ⇧ Escalated (level 1): no action from Sam for 1 "
            "day.") in friday
    assert "✅ Resolved by Sam · #4 Beacon payroll set-up (long blocked)" in _day(
        story, "Monday 9 March")


def test_a_problem_is_resolved_by_pressing_its_button(demo):
    _, story = demo
    monday = _day(story, "Monday 2 March")
    assert "👆 Sam pressed  Move subtask to parent's date" in monday
    assert ("✅ Resolved by Sam — deadline moved to Fri 13 Mar 17:00 · #3 Harlow bank "
            "reconciliation (child after parent)") in monday
    assert "[Move subtask to parent's date] [Move parent]" in _day(story, "Friday 27 February")


def test_the_story_ends_with_the_standup_the_gantt_and_the_console_command(demo):
    db, story = demo
    tail = story[story.index("This morning's standup"):]
    assert "☀ Standup for Marcus — Fri 13 Mar" in tail and "Team:" in tail
    png = db.with_name("vigil-demo-gantt.png")
    assert f"Gantt of the firm saved to {png}" in tail
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size[0] > 800 and image.size[1] > 400
    assert f"VIGIL_DATABASE_URL=sqlite:///{db} vigil console --as Marcus" in tail


def test_the_console_opens_the_demo_as_marcus(demo, monkeypatch):
    db, _ = demo
    monkeypatch.setenv("VIGIL_DATABASE_URL", f"sqlite:///{db}")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["console", "--as", "Marcus", "--tz", "Europe/London"],
                               input="people\nteam\n/quit\n", env=WIDE)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "6 people:" in result.stdout and "• Marcus (@marcus) — admin" in result.stdout
    assert "• Priya (@priya) — member, reports to Marcus" in result.stdout
    assert "👥 Team — 6 people" in result.stdout


@pytest.mark.parametrize(
    ("today", "last_day"),
    [(END.date(), END.date()), (date(2026, 3, 19), END.date()),
     (date(2026, 3, 20), date(2026, 3, 20)), (date(2026, 12, 2), date(2026, 11, 27)),
     (date(2026, 3, 1), date(2026, 2, 27))],
)
def test_the_fortnight_ends_on_the_last_friday_up_to_today(today, last_day):
    shift = shift_to(today)
    assert shift % timedelta(weeks=1) == timedelta(0)
    assert END.date() + shift == last_day


def test_the_demo_never_replaces_a_database_it_did_not_make(tmp_path, demo):
    real = tmp_path / "vigil.db"
    real.write_bytes(b"SQLite format 3\x00 someone's real data")
    refused = runner.invoke(app, ["demo", "--fast", "--db", str(real)], env=WIDE)
    assert refused.exit_code == 2
    assert "holds other data; the demo only replaces a database it made itself" in (
        refused.output)
    assert real.read_bytes().endswith(b"someone's real data")
    assert is_demo_database(demo[0])


@pytest.mark.slow
def test_the_story_is_the_same_every_time(demo, tmp_path):
    db, story = demo
    again = runner.invoke(app, ["demo", "--fast", "--db", str(tmp_path / "again.db"),
                                "--today", "2026-03-13"], env=WIDE)
    assert again.exit_code == 0, again.output

    def told(text: str, path) -> list[str]:
        return [line.replace(str(path.with_name(path.stem + "-gantt.png")), "GANTT")
                .replace(str(path), "DB") for line in text.splitlines()
                if "played in" not in line]

    assert told(again.stdout, tmp_path / "again.db") == told(story, db)


def test_morning_digests_go_out_at_the_digest_time_only(demo):
    _, story = demo
    lines = [line for line in story.splitlines() if "morning standup digests" in line]
    assert lines and all(line.startswith("09:00") for line in lines), lines
    assert "morning standup digests" not in _day(story, "Friday 27 February")  # set-up, 16:00


def test_a_missed_check_escalated_an_hour_later_says_an_hour(demo):
    _, story = demo
    wednesday = _day(story, "Wednesday 4 March")
    assert "it was due Wed 4 Mar 09:00, 1 minute ago" in wednesday  # Aisha, at 09:00
    escalation = wednesday[wednesday.index("10:00  🔔 Vigil → Sam: ⇧ Escalated"):]
    assert escalation.startswith("10:00  🔔 Vigil → Sam: ⇧ Escalated (level 1): no action "
                                 "from Aisha for 1 hour.")
    assert "it was due Wed 4 Mar 09:00, 1 hour ago" in escalation.split("\n1")[0]
