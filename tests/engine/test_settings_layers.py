"""Project overrides beat workspace overrides beat defaults; rules can be switched off."""

from __future__ import annotations

import pytest
from builders import at, fired, person, project, task, verdict, world

NOW = at("2026-03-04 12:00")  # 19 of the 40 working hours Mon 09:00 -> Fri 17:00


@pytest.mark.parametrize(
    "workspace, project_settings, expected",
    [
        ({}, {}, "warning"),  # 47.5% used, 20% done: 25 points tolerance
        ({"task.behind_schedule.tolerance": 10}, {}, "critical"),
        ({"task.behind_schedule.tolerance": 10}, {"task.behind_schedule.tolerance": 40}, None),
        ({"task.behind_schedule.tolerance": 40}, {"task.behind_schedule.tolerance": 10},
         "critical"),
    ],
)
def test_project_beats_workspace_beats_default(workspace, project_settings, expected):
    w = world(person(1), project(1, manager_id=1, settings=project_settings),
              task(1, owner_id=1, project_id=1, start="2026-03-02 09:00",
                   due="2026-03-06 17:00", progress=20), settings=workspace)
    assert verdict("task.behind_schedule", w, NOW) == expected


@pytest.mark.parametrize(
    "workspace, project_settings, expected",
    [({}, {}, True), ({"task.missing_owner.enabled": False}, {}, False),
     ({}, {"task.missing_owner.enabled": False}, False),
     ({"task.missing_owner.enabled": False}, {"task.missing_owner.enabled": True}, True)],
)
def test_rule_switched_off(workspace, project_settings, expected):
    w = world(project(1, manager_id=1, settings=project_settings), person(1),
              task(1, project_id=1, due="2026-03-20 17:00"), settings=workspace)
    found = {fp for fp, _ in fired(w, NOW)}
    assert ("task.missing_owner:task:1" in found) is expected
