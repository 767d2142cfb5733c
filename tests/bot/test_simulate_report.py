"""Item 8 of #13: `vigil simulate`'s readable timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.simulate import load_scenario, run_scenario
from bot.simulate.report import render_text
from engine.rules.behind_schedule import _expectation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def timeline() -> str:
    return render_text(run_scenario(load_scenario(EXAMPLES / "behind_schedule.yaml")))


def test_events_that_cause_changes_are_printed_by_title(timeline):
    assert "10:00 ✎ Sam: progress 90% — Follow up with the Brightline client" in timeline
    assert "10:00 ✓ Follow up with the Brightline client: no longer behind schedule" in timeline
    assert "followup" not in timeline and "task.behind_schedule" not in timeline


def test_later_notices_do_not_repeat_older_wording(timeline):
    escalated = [line for line in timeline.splitlines() if "escalated to Dana" in line]
    assert escalated and all("as explained at" in line for line in escalated)
    assert "no progress for 3 days" not in "\n".join(escalated)


@pytest.mark.parametrize(("progress", "expected", "words"),
                         [(0, 0, ""), (0, 1, " (expected at least 1%)"), (30, 30, ""),
                          (30, 46, " (expected at least 46%)")])
def test_behind_schedule_never_expects_at_least_zero(progress, expected, words):
    assert _expectation(progress, expected) == words


def test_no_zero_expectation_anywhere(timeline):
    assert "expected at least 0%" not in timeline
