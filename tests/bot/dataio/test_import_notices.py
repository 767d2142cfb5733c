"""An import tells each person once: one summary of their problems, never an alert each.

Marcus (on chat) is given a dozen imported tasks that are overdue or have no
deadline; his chat gets one message "N problems found in your imported work
— top 5 …", small import or large (checked in committed batches), and the
import's report says so. The violations themselves are all stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.dataio import import_csv

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _csv(tmp_path, rows: int):
    lines = ["Name,Assignee,Due Date,Projects"]
    for n in range(rows):
        due = "2026-11-02" if n % 2 else ""  # overdue, or no deadline at all
        lines.append(f"Imported job {n},Marcus,{due},Acme")
    path = tmp_path / "asana.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("large", [False, True], ids=["checked-at-once", "checked-in-batches"])
def test_an_import_queues_one_summary_per_person(uow, tmp_path, monkeypatch, large):
    if large:  # past EVALUATE_AT_ONCE: whole owners in committed batches
        monkeypatch.setattr("bot.dataio.importer.EVALUATE_AT_ONCE", 3)
        monkeypatch.setattr("bot.dataio.first_check.CHECK_BATCH", 4)
    conv = Conversation(uow, FixedClock(NOW))
    ws, marcus = conv.onboard("test:chat", "Chat", "test", "U1", "Marcus", "marcus")
    result = import_csv(uow, _csv(tmp_path, 12), "Chat", None, NOW,
                        yield_seconds=0.001 if large else 0.0)  # SQLite's small batches
    assert result.ok, result.report()
    with uow() as u:
        firing = [v for v in u.violations.all_firing(ws) if v.subject_kind == "task"]
        queued = [n for n in u.outbox.list(ws) if n.recipient_id == marcus]
    assert len(firing) >= 12  # every problem is stored, each climbs the ladder as usual
    assert [n.kind for n in queued] == ["digest"]  # one message, not one alert per problem
    text = queued[0].payload["text"]
    count = queued[0].payload["count"]
    assert count >= 12
    assert text.startswith(f"🔎 {count} problems found in your imported work — top 5:")
    assert len(text.splitlines()) == 1 + 5 + 1  # head, the worst five, "…and N more"
    assert f"…and {count - 5} more" in text
    report = result.report()
    assert (f"Instead of {count} separate alerts, the person concerned gets one message "
            "summing up their problems.") in report


def test_a_dry_run_queues_nothing(uow, tmp_path):
    conv = Conversation(uow, FixedClock(NOW))
    ws, _ = conv.onboard("test:chat", "Chat", "test", "U1", "Marcus", "marcus")
    result = import_csv(uow, _csv(tmp_path, 4), "Chat", None, NOW, dry_run=True)
    assert result.ok, result.report()
    assert "the person concerned would get one message" in result.report()
    with uow() as u:
        assert u.outbox.list(ws) == [] and u.tasks.list(ws) == []
