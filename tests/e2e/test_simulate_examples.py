"""`vigil simulate` end to end on the shipped scenarios (the seed stories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.simulate import ScenarioError, load_scenario, run_scenario
from engine.rules import registry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def events_of(name: str) -> list[dict]:
    return [e.as_json() for e in run_scenario(load_scenario(EXAMPLES / name))]


def find(events, event, rule, task=None, person=None):
    return [
        e
        for e in events
        if e["event"] == event
        and e["rule"] == rule
        and (task is None or e["task"] == task)
        and (person is None or e["person"] == person)
    ]


@pytest.fixture(scope="module")
def all_events() -> dict[str, list[dict]]:
    return {p.name: events_of(p.name) for p in sorted(EXAMPLES.glob("*.yaml"))}


def test_seed_filing_stuck_at_40_is_flagged_on_day_four(all_events):
    ev = all_events["quarterly_filing_stalls.yaml"]
    stalled = find(ev, "fired", "task.stalled", "filing")
    assert [e["at"] for e in stalled] == ["2026-03-05T09:00:00+00:00"]  # Thursday
    assert stalled[0]["severity"] == "warning"  # a week before the deadline
    resolved = find(ev, "resolved", "task.stalled", "filing")
    assert [e["at"] for e in resolved] == ["2026-03-05T11:00:00+00:00"]


def test_seed_behind_schedule_stories(all_events):
    ev = all_events["behind_schedule.yaml"]
    followup = find(ev, "fired", "task.behind_schedule", "followup")
    assert followup and followup[0]["at"].startswith("2026-03-09T09:00")  # 30%, due tomorrow
    brochure = find(ev, "fired", "task.behind_schedule", "brochure")
    assert brochure, "20% done after 60% of the time must be behind schedule"
    assert brochure[0]["at"] < "2026-03-16"
    assert find(ev, "resolved", "task.behind_schedule", "brochure")


def test_structure_problems_fire_at_once_and_clear_when_fixed(all_events):
    ev = all_events["impossible_plans.yaml"]
    start = "2026-04-06T09:00"
    for rule, task in [
        ("task.missing_owner", "movers"),
        ("task.missing_deadline", "keys"),
        ("task.child_after_parent", "copy"),
        ("task.dependency_conflict", "build"),
        ("task.dependency_conflict", "cycle_a"),
        ("task.after_project_deadline", "seo"),
        ("task.subtask_at_risk", "launch"),
        ("task.dependency_at_risk", "cycle_a"),
    ]:
        hits = find(ev, "fired", rule, task)
        assert hits and hits[0]["at"].startswith(start), (rule, task)
    assert find(ev, "fired", "project.missing_manager")
    for rule, task, at in [
        ("task.child_after_parent", "copy", "2026-04-07T10:00"),
        ("task.dependency_conflict", "build", "2026-04-07T11:00"),
        ("task.missing_owner", "movers", "2026-04-08T09:30"),
        ("task.after_project_deadline", "seo", "2026-04-08T09:45"),
    ]:
        hits = find(ev, "resolved", rule, task)
        assert hits and hits[0]["at"].startswith(at), (rule, task)


def test_seed_blocked_six_days_and_stale_review(all_events):
    ev = all_events["blocked_and_review.yaml"]
    blocked = find(ev, "fired", "task.long_blocked", "migration")
    assert blocked and blocked[0]["at"] <= "2026-06-04T09:00"  # blocked since 29 May
    assert find(ev, "resolved", "task.long_blocked", "migration")[0]["at"].startswith(
        "2026-06-10T09:30"
    )
    assert find(ev, "fired", "task.review_stale", "review")
    overdue = find(ev, "fired", "task.overdue", "invoice")
    assert overdue and overdue[0]["at"].startswith("2026-06-02T1")
    assert find(ev, "resolved", "task.overdue", "invoice")[0]["at"].startswith("2026-06-04T10:00")


def test_seed_insurance_renewal_warns_in_three_stages(all_events):
    ev = all_events["insurance_renewal.yaml"]
    stages = find(ev, "fired", "task.deadline_approaching", "renewal")
    assert len(stages) == 3
    assert [e["at"][:10] for e in stages] == ["2026-09-16", "2026-10-02", "2026-10-09"]


def test_seed_recruitment_stalls_after_48_clock_hours(all_events):
    ev = all_events["recruitment_48h.yaml"]
    role = find(ev, "fired", "task.stalled", "role")
    assert [e["at"][:16] for e in role] == ["2026-07-05T10:00"]  # a Sunday: clock hours
    payroll = find(ev, "fired", "task.stalled", "payroll")
    assert [e["at"][:16] for e in payroll] == ["2026-07-08T10:00"]  # 3 working days


def test_seed_consultant_overloaded_across_three_projects(all_events):
    ev = all_events["overloaded_consultant.yaml"]
    over = find(ev, "fired", "person.overloaded", person="Ciara")
    assert over and over[0]["at"].startswith("2026-05-04T09:00")
    assert find(ev, "resolved", "person.overloaded", person="Ciara")
    assert find(ev, "fired", "person.inactive", person="Sean")
    unavailable = find(ev, "fired", "task.owner_unavailable", "ledger")
    assert unavailable and unavailable[0]["at"].startswith("2026-05-05T12:00")


def test_examples_cover_every_rule(all_events):
    seen = {e["rule"] for events in all_events.values() for e in events if e["event"] == "fired"}
    assert set(registry.all_ids()) - seen == set()


def test_output_is_deterministic():
    assert events_of("impossible_plans.yaml") == events_of("impossible_plans.yaml")


def test_cli_json_lines(tmp_path):
    result = CliRunner().invoke(
        app, ["simulate", str(EXAMPLES / "quarterly_filing_stalls.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {
        "at",
        "event",
        "rule",
        "task",
        "person",
        "severity",
        "to",
        "level",
        "explanation",
    } <= set(lines[0])
    assert any(e["rule"] == "task.stalled" for e in lines)


def test_cli_readable_timeline():
    result = CliRunner().invoke(app, ["simulate", str(EXAMPLES / "quarterly_filing_stalls.yaml")])
    assert result.exit_code == 0
    assert "Thu 05 Mar 2026" in result.stdout and "stalled (warning)" in result.stdout


@pytest.mark.parametrize(
    "text, message",
    [
        ("name: x\nstart: 2026-03-02T09:00\nuntil: 2026-03-01T09:00\n", "until must be after"),
        (
            "name: x\nstart: 2026-03-02T09:00\nuntil: 2026-03-03T09:00\ntimezone: Mars/Base\n",
            "unknown time zone",
        ),
        (
            "name: x\nstart: 2026-03-02T09:00\nuntil: 2026-03-03T09:00\n"
            "tasks: [{ref: a, title: A, owner: Nobody}]\n",
            "unknown person 'Nobody'",
        ),
        (
            "name: x\nstart: 2026-03-02T09:00\nuntil: 2026-03-03T09:00\n"
            "settings: {task.stalled.after: soon}\n",
            "not a duration",
        ),
        ("name: x\nstart: yesterday\nuntil: 2026-03-03T09:00\n", "not a date-time"),
        ("[1, 2", "not valid YAML"),
        ("- just a list\n", "a scenario is a mapping"),
    ],
)
def test_bad_scenarios_get_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)
    result = CliRunner().invoke(app, ["simulate", str(path)])
    assert result.exit_code == 2


def test_opening_check_misses_climb_owner_backup_manager(all_events):
    ev = all_events["opening_check.yaml"]
    missed = find(ev, "fired", "recurring.missed", "opening")
    assert [e["at"][:16] for e in missed] == ["2026-03-25T09:00", "2026-03-27T09:00"]
    ladder = [
        (e["event"], e["to"], e["level"])
        for e in ev
        if e["rule"] == "recurring.missed"
        and e["at"].startswith("2026-03-25")
        and e["event"] in ("notified", "escalated")
    ]
    assert ladder == [("notified", "Ana", 0), ("escalated", "Leo", 1), ("escalated", "Maria", 2)]
    assert find(ev, "fired", "recurring.repeat_failure", "opening")[0]["at"].startswith(
        "2026-03-27T09:00"
    )
    assert find(ev, "resolved", "recurring.repeat_failure", "opening")
    assert find(ev, "fired", "recurring.proof_missing", "opening")
