"""``vigil check`` prints how many problems fire and lists only the worst ``--top``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from bot.cli import app
from tests.e2e.test_cli import configured, seed_invoice  # noqa: F401  (the fixture)

runner = CliRunner()


def test_check_counts_everything_and_lists_at_most_top(configured):  # noqa: F811
    past = datetime.now(UTC) - timedelta(days=3)
    seed_invoice(configured, past, past + timedelta(days=1))
    full = json.loads(runner.invoke(app, ["check", "--full", "--json"]).stdout)
    [ws] = full["workspaces"]
    assert ws["firing"] == len(ws["violations"]) == 1
    assert ws["by_rule"] == {"task.overdue": 1} and ws["by_severity"] == {"critical": 1}
    shown = runner.invoke(app, ["check", "--top", "1"]).stdout.splitlines()
    assert "1 firing" in shown[0] and any("task.overdue" in line for line in shown[1:])
    assert not any("more" in line for line in shown)
    counted = runner.invoke(app, ["check", "--top", "0"])
    assert counted.exit_code == 0, counted.output
    lines = counted.stdout.splitlines()
    assert "1 firing" in lines[0]
    assert not any(line.strip().startswith("critical") for line in lines)  # no row listed
    assert any(line.strip() == "…and 1 more (by rule: task.overdue 1)" for line in lines)
    refused = runner.invoke(app, ["check", "--top", "-1"])
    assert refused.exit_code == 2
