"""`vigil parse` end to end on phrasings of the corpus (issue #12): confirm, scope, words."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
NOW = ["--now", "2026-11-24T10:00", "--tz", "Europe/London", "--as", "ana"]


def parsed(text: str, *extra: str) -> dict[str, object]:
    result = runner.invoke(app, ["parse", text, *NOW, *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call the Acme CFO 11am Sunday",
         {"intent": "create_task", "confirm": False, "title": "Call the Acme CFO",
          "due": "2026-11-29T11:00:00+00:00"}),
        ("send the revised quote to Acme",
         {"intent": "create_task", "confirm": True, "title": "Send the revised quote to Acme",
          "due": None}),
        ("what's due this week?", {"intent": "list_tasks", "owner": "ana",
                                   "scope": "due_this_week"}),
        ("I'm stuck on the Acme filing, waiting for the bank statements",
         {"intent": "block", "task": "Acme filing", "reason": "waiting for the bank statements"}),
        ("add Board pack every 3rd Friday", {"intent": "create_task", "title": "Board pack",
                                             "recurrence": "FREQ=MONTHLY;BYDAY=3FR"}),
    ],
)
def test_parse_json(text: str, expected: dict[str, object]) -> None:
    data = parsed(text)
    assert list(data)[:2] == ["intent", "confirm"]
    assert {k: data[k] for k in expected} == expected


def test_a_far_past_date_is_a_question_with_two_dates() -> None:
    data = parsed("due #14 15 Oct", "--now", "2026-12-01T10:00")
    assert data["confirm"] is True
    assert data["due_options"] == ["2026-10-15T17:00:00+01:00", "2027-10-15T17:00:00+01:00"]


def test_human_output_shows_the_cadence_in_words() -> None:
    result = runner.invoke(app, ["parse", "add Payroll review every other Wednesday", *NOW])
    assert "every other Wednesday" in result.output and "FREQ=" not in result.output
