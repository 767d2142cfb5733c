"""Item 8 of #13: `vigil simulate`'s readable timeline."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.simulate import load_scenario, run_scenario
from bot.simulate.report import render_text
from engine.context import span
from engine.rules.behind_schedule import _expectation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def timeline() -> str:
    return render_text(run_scenario(load_scenario(EXAMPLES / "behind_schedule.yaml")))


def test_events_that_cause_changes_are_printed_by_title(timeline):
    assert "10:00 ✎ Sam: progress 90% — Follow up with the Brightline client" in timeline
    assert "10:00 ✓ Follow up with the Brightline client: no longer behind schedule" in timeline
    assert "followup" not in timeline and "task.behind_schedule" not in timeline


def _moments(text: str):
    """(line instant, line) for every timeline line, the day taken from its header."""
    day = None
    for raw in text.splitlines():
        if not raw.startswith("  "):
            day = datetime.strptime(raw, "%a %d %b %Y")
            continue
        assert day is not None
        hh, mm = map(int, raw.split()[0].split(":"))
        yield day.replace(hour=hh, minute=mm), raw


_LATE = re.compile(r"it was due (\w{3} \d+ \w{3} \d\d:\d\d), (.+?) ago"
                   r"|and (.+?) past its deadline \((\w{3} \d+ \w{3} \d\d:\d\d)\)")


def _when(words: str, year: int) -> datetime:
    return datetime.strptime(f"{words} {year}", "%a %d %b %H:%M %Y")


@pytest.mark.parametrize("scenario", ["opening_check.yaml", "behind_schedule.yaml"])
def test_every_line_is_worded_as_of_its_own_moment(scenario: str):
    text = render_text(run_scenario(load_scenario(EXAMPLES / scenario)))
    checked = 0
    for at, raw in _moments(text):
        for m in _LATE.finditer(raw):
            due, late = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            assert late == span((at - _when(due, at.year)).total_seconds()), raw
            checked += 1
    assert checked >= 3  # the scenario has late notices to check
    assert "as explained at" not in text


def test_an_escalation_an_hour_after_a_missed_check_says_an_hour():
    text = render_text(run_scenario(load_scenario(EXAMPLES / "opening_check.yaml")))
    lines = [raw for _, raw in _moments(text) if "Wed 25 Mar 09:00" in raw]
    assert "09:00 → told Ana: Opening safety check — missed (critical), not done: it was due " \
           "Wed 25 Mar 09:00, 1 minute ago" in lines[1]
    assert "10:00 ⇧ escalated to Leo (level 1): Opening safety check — missed (critical), " \
           "not done: it was due Wed 25 Mar 09:00, 1 hour ago" in lines[2]
    assert "11:00 ⇧ escalated to Maria (level 2): Opening safety check — missed (critical), " \
           "not done: it was due Wed 25 Mar 09:00, 2 hours ago" in lines[3]


@pytest.mark.parametrize(("progress", "expected", "words"),
                         [(0, 0, ""), (0, 1, " (expected at least 1%)"), (30, 30, ""),
                          (30, 46, " (expected at least 46%)")])
def test_behind_schedule_never_expects_at_least_zero(progress, expected, words):
    assert _expectation(progress, expected) == words


def test_no_zero_expectation_anywhere(timeline):
    assert "expected at least 0%" not in timeline


def test_escalations_told_in_one_summary_are_each_in_the_timeline(tmp_path: Path):
    """Eight problems climb to Marcus in one pass: one message (bot.notify.escalation_summary),
    and the timeline still says which problems reached him."""
    tasks = "".join(
        f"  - {{ref: t{i}, title: Client file {i}, owner: Priya, start: 2026-03-02T09:00,"
        f" status: in_progress, progress: 10}}\n" for i in range(1, 9))
    path = tmp_path / "many.yaml"
    path.write_text(
        "name: Many at once\ntimezone: Europe/London\nstart: 2026-03-02T09:00\n"
        "until: 2026-03-03T12:00\ntick: 1h\npeople:\n  - {name: Marcus, role: manager}\n"
        "  - {name: Priya, reports_to: Marcus}\ntasks:\n" + tasks)
    events = run_scenario(load_scenario(path))
    climbed = [e for e in events if e.event == "escalated"]
    assert sorted(e.task for e in climbed) == [f"t{i}" for i in range(1, 9)]
    assert {(e.to, e.level) for e in climbed} == {("Marcus", 1)}
