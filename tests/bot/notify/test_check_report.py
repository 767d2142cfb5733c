"""``vigil check``'s report counts every firing violation and lists only the worst few."""

from __future__ import annotations

from bot.check import run_check
from bot.clock import FixedClock
from tests.bot.notify.conftest import MON, Team
from tests.bot.notify.test_summary import load


def test_the_report_counts_all_and_lists_at_most_top_most_severe_first(team: Team, engine):
    load(team, 4, team.priya)  # overdue: critical
    load(team, 3, team.sam, overdue=False)
    everything = run_check(engine, full=True, clock=FixedClock(MON), top=1000)
    [full] = everything["workspaces"]
    assert full["firing"] == len(full["violations"]) == sum(full["by_severity"].values())
    assert sum(full["by_rule"].values()) == full["firing"]
    assert full["by_severity"]["critical"] >= 4
    for top in (0, 1, 3):
        [ws] = run_check(engine, full=False, clock=FixedClock(MON), top=top)["workspaces"]
        assert ws["firing"] == full["firing"] and ws["by_rule"] == full["by_rule"]
        assert [v["fingerprint"] for v in ws["violations"]] == [
            v["fingerprint"] for v in full["violations"][:top]
        ]
    severities = [v["severity"] for v in full["violations"]]
    rank = {"critical": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=rank.__getitem__)
