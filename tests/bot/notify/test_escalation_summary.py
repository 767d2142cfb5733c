"""Many problems climbing at once reach a manager as one message, not one each.

Found in the 10,000-workspace bench (2026-12-04): a first check tells each person
once, then a working day later every problem nobody acted on escalates in the same
pass — 141,000 alerts. The clock: the tasks are created on Friday 6 March 2026 15:00
(London), so "missing deadline" fires on each and climbs on Monday 15:00 to Pam (the
project's manager) and Boss (Priya's manager), on Tuesday to Ada.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.notify import escalation
from bot.notify.escalation import escalate
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import Team

FRI = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
MON = FRI + timedelta(days=3)
TUE = MON + timedelta(days=1)


def undated(team: Team, count: int) -> list[int]:
    """``count`` tasks of Priya's in Acme with no deadline; their ids."""
    ids = []
    with team.uow() as u:
        for n in range(count):
            out = task_svc.create_task(u, team.ws, FRI, team.pam, f"Filing {n + 1}",
                                       owner_id=team.priya, project_id=team.acme)
            ids.append(out.task.id)
        u.commit()
    return ids


def climb(team: Team, at: datetime):
    with team.uow() as u:
        notices = escalate(u, team.ws, at)
        u.commit()
    return notices


def test_many_escalations_reach_each_manager_as_one_summary(team: Team):
    undated(team, 8)
    notices = climb(team, MON)
    assert sorted((n.recipient_id, n.kind) for n in notices) == sorted(
        [(team.pam, "summary"), (team.boss, "summary")])
    for manager in (team.pam, team.boss):
        rows = team.rows(recipient_id=manager)
        alerts = [r for r in rows if r.kind == "alert"]
        assert len(alerts) == 8  # kept, so the ladder knows they were told
        assert {(r.status, r.last_error) for r in alerts} == {("sent", "skipped: in a summary")}
        (summary,) = [r for r in rows if r.kind == "digest"]
        assert summary.status == "pending"
        text = summary.payload["text"]
        assert text.startswith("⇧ 8 problems escalated to you — nobody acted on them in time"
                               " — top 5:")
        assert text.count("\n") == 6 and "(Priya) — missing deadline" in text
        assert text.endswith("…and 3 more. Say “team” to see whose work they are in.")
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    assert len(port.to(team.pam)) == 1 and len(port.to(team.boss)) == 1


def test_the_next_level_tells_only_who_was_not_told(team: Team):
    undated(team, 8)
    climb(team, MON)
    notices = climb(team, TUE)
    assert [(n.recipient_id, n.kind) for n in notices] == [(team.ada, "summary")]


def test_a_pass_in_batches_adds_to_the_one_summary(team: Team, monkeypatch):
    undated(team, 14)
    monkeypatch.setattr(escalation, "ESCALATION_BATCH", 7)  # two batches of 7 problems
    climb(team, MON)
    (summary,) = team.rows(recipient_id=team.pam, kind="digest")
    assert summary.payload["count"] == 14
    assert summary.payload["text"].startswith("⇧ 14 problems escalated to you")
    assert len(team.rows(recipient_id=team.pam, kind="alert")) == 14


@pytest.mark.parametrize("count", [1, 5])
def test_a_few_escalations_are_told_one_by_one(team: Team, count: int):
    undated(team, count)
    notices = climb(team, MON)
    assert {n.kind for n in notices} == {"alert"}
    assert len([n for n in notices if n.recipient_id == team.pam]) == count
    assert team.rows(kind="digest") == []


def test_a_problem_told_only_in_a_summary_sends_no_resolution_of_its_own(team: Team):
    ids = undated(team, 6)
    climb(team, MON)
    team.dispatcher()[0].run_once(MON)
    with team.uow() as u:
        task_svc.update_task(u, team.ws, MON + timedelta(hours=1), team.priya, ids[0],
                             due=MON + timedelta(days=7))
        u.commit()
    assert team.rows(recipient_id=team.pam, kind="resolved") == []
    assert len(team.rows(recipient_id=team.priya, kind="resolved")) == 1


def test_the_summary_has_each_top_lines_one_tap_fix(team: Team):
    ids = undated(team, 8)
    climb(team, MON)
    with team.uow() as u:
        numbers = {t.id: t.number for t in u.tasks.get_many(team.ws, ids)}
    (summary,) = team.rows(recipient_id=team.pam, kind="digest")
    sections = summary.payload["sections"]
    assert sections[0]["text"].startswith("⇧ 8 problems escalated to you")
    assert sections[-1]["text"] == "…and 3 more. Say “team” to see whose work they are in."
    assert len(sections) == 7
    for line in sections[1:-1]:
        (button,) = line["buttons"]
        number = numbers[button["args"]["task"]]
        assert line["text"].startswith(f"⚠ #{number} Filing")  # its own line's fix
        assert button["label"].startswith(f"#{number}: ")
        assert button["action"].startswith("task.")
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    (sent,) = port.to(team.pam)
    assert [b.label for b in sent.message.buttons] == [
        s["buttons"][0]["label"] for s in sections[1:-1]]
    assert sent.message.text == summary.payload["text"]


def test_a_later_batch_keeps_the_earlier_lines_buttons(team: Team, monkeypatch):
    undated(team, 14)
    monkeypatch.setattr(escalation, "ESCALATION_BATCH", 7)
    climb(team, MON)
    (summary,) = team.rows(recipient_id=team.pam, kind="digest")
    assert [len(s["buttons"]) for s in summary.payload["sections"]] == [0, 1, 1, 1, 1, 1, 0]


@pytest.mark.parametrize("platform", ["slack", "telegram"])
def test_the_summarys_buttons_render_on_both_platforms(team: Team, platform: str):
    from adapters.slack.render import blocks
    from adapters.telegram.callbacks import ACTION_CODES, MAX_CALLBACK_BYTES
    from adapters.telegram.render import render

    undated(team, 8)
    climb(team, MON)
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    (sent,) = port.to(team.pam)
    labels = [b.label for b in sent.message.buttons]
    assert len(labels) == 5
    if platform == "telegram":
        rendered = render(sent.message, workspace_id=team.ws)
        assert rendered.dropped == ()
        keys = [k for row in rendered.markup.inline_keyboard for k in row]
        assert [k.text for k in keys] == labels
        for key in keys:  # short codes, not the full action ids
            assert key.callback_data.split("|")[0] in ACTION_CODES.values()
            assert len(key.callback_data.encode()) <= MAX_CALLBACK_BYTES
    else:
        elements = [e for b in blocks(sent.message) if b["type"] == "actions"
                    for e in b["elements"]]
        assert [e["text"]["text"] for e in elements] == labels
