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


@pytest.mark.parametrize(
    ("text", "intent", "reply"),
    [
        # the named handlers answer before the parser: `vigil parse` shows what the chat does
        ("hi there 👋", "greeting", "Hi Ana 👋"),
        ("add our new junior Ben as staff", "invite", "Added Ben (@ben)"),
        ("add Ben as staff", "invite", "Added Ben (@ben)"),
        ("new hire: Leo", "invite", "Added Leo (@leo)"),
        ("cancel #14 client withdrew", "cancel", "⚠ There is no task #14 here."),
        ("snooze #14 until Monday", "snooze", "⚠ There is no task #14 here."),
        ("I'm out of office next week", "away", "🏖 You're out of office from Mon 30 Nov"),
        ("undo", "undo", "There is nothing of yours to undo"),
        # the parser's reading, with the reply an empty workspace gives
        ("call mom tomorrow", "create_task", "Added #1 Call mom"),
    ],
)
def test_parse_reports_what_the_chat_does(text: str, intent: str, reply: str) -> None:
    data = parsed(text)
    assert data["intent"] == intent
    assert str(data["reply"]).startswith(reply), data["reply"]
    if intent != "create_task":  # a handler's reading has no parsed fields
        assert {k: v for k, v in data.items() if v not in (None, False)} == {
            "intent": intent, "reply": data["reply"]}


def test_parse_leaves_nothing_behind() -> None:
    assert parsed("add Ben as staff")["reply"].startswith("Added Ben")
    assert parsed("add Ben as staff")["reply"].startswith("Added Ben")  # not "already on the team"


def test_human_output_names_the_reading_and_the_reply() -> None:
    result = runner.invoke(app, ["parse", "add our new junior Ben as staff", *NOW])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["intent", "invite"]
    assert lines[1].startswith("reply") and "Added Ben (@ben)" in lines[1]
