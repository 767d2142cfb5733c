"""`vigil simulate` reports who was told and when: the production outbox, ladder and dispatcher."""

from __future__ import annotations

from pathlib import Path

from bot.simulate import load_scenario, run_scenario

SCENARIO = """
name: Ladder and quiet hours
timezone: Europe/London
start: 2026-03-05T09:00
until: 2026-03-11T18:00
tick: 1h
people:
  - {name: Ada, role: admin}
  - {name: Boss, reports_to: Ada, role: manager}
  - {name: Pam, reports_to: Boss, role: manager}
  - {name: Priya, reports_to: Boss}
  - {name: Nora, reports_to: Boss, tz: America/New_York}
projects:
  - {name: Acme, manager: Pam}
tasks:
  - {ref: filing, title: Q3 filing, project: Acme, owner: Priya, start: 2026-03-02T09:00,
     due: 2026-03-20T17:00, status: in_progress, progress: 40, last_progress: 2026-03-02T09:00}
  - {ref: report, title: NY report, project: Acme, owner: Nora, start: 2026-03-02T09:00,
     due: 2026-03-20T17:00, status: in_progress, progress: 40, last_progress: 2026-03-02T09:00}
  - {ref: acked, title: Acked work, project: Acme, owner: Priya, start: 2026-03-02T09:00,
     due: 2026-03-20T17:00, status: in_progress, progress: 40, last_progress: 2026-03-02T09:00}
events:
  - {at: 2026-03-05T10:00, task: acked, by: Priya, ack: true}
"""


def test_notified_and_escalated_events(tmp_path: Path):
    path = tmp_path / "ladder.yaml"
    path.write_text(SCENARIO)
    events = [e.as_json() for e in run_scenario(load_scenario(path))]

    def told(event, task):
        return [(e["at"][:16], e["to"], e["level"]) for e in events
                if e["event"] == event and e["task"] == task and e["rule"] == "task.stalled"]

    # Stalled on Thursday 09:00 London; Priya hears at once.
    assert told("notified", "filing") == [("2026-03-05T09:00", "Priya", 0)]
    # Nora is in New York: held until 09:00 there (14:00 in London).
    assert told("notified", "report") == [("2026-03-05T14:00", "Nora", 0)]
    # One working day later (Friday 09:00): the project manager and the owner's manager;
    # the next working day (Monday, not the weekend): next up the chain.
    assert sorted(told("escalated", "filing")) == [
        ("2026-03-06T09:00", "Boss", 1),
        ("2026-03-06T09:00", "Pam", 1),
        ("2026-03-09T09:00", "Ada", 2),
    ]
    # Acknowledged: told once, never escalated.
    assert told("notified", "acked") == [("2026-03-05T09:00", "Priya", 0)]
    assert told("escalated", "acked") == []
    # The fired/resolved lines are still there.
    assert any(e["event"] == "fired" and e["task"] == "filing" for e in events)
