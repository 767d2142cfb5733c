"""A full check tells each person once, with a summary, not one alert per problem."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import workspace_check
from bot.check import run_check
from bot.clock import FixedClock
from bot.notify.summary import Summaries
from tests.bot.notify.conftest import MON, Team


def load(team: Team, n: int, owner: int, overdue: bool = True) -> None:
    """Tasks written straight to storage, as a bulk import leaves them: never checked."""
    with team.uow() as u:
        for i in range(n):
            u.tasks.add(
                team.ws, f"Imported {i}", MON - timedelta(days=30), owner_id=owner,
                project_id=team.acme, status="in_progress", start=MON - timedelta(days=30),
                due=MON - timedelta(days=1 + i) if overdue else MON + timedelta(days=60),
            )
        u.commit()


def test_a_first_check_sends_each_person_one_summary_with_the_worst_first(team: Team, engine):
    load(team, 12, team.priya)
    report = run_check(engine, full=True, clock=FixedClock(MON))
    assert team.rows(kind="alert") == []
    [mine] = team.rows(kind="digest", recipient_id=team.priya)
    text = mine.payload["text"]
    count = mine.payload["count"]
    assert text.startswith(f"🔎 {count} problems found in your imported work — top 5:")
    assert text.count("\n🔴 ") == 5  # overdue is critical: those come first
    assert f"…and {count - 5} more. Send *tasks*" in text
    told = report["workspaces"][0]["summaries"]
    assert told["people"] == len({r.recipient_id for r in team.rows(kind="digest")})
    assert told["alerts_instead"] >= count


def test_batches_of_one_check_merge_into_the_same_summary(team: Team):
    load(team, 6, team.priya)
    load(team, 6, team.sam)
    summaries = Summaries(imported=True)
    list(workspace_check.check_committed(team.uow, team.ws, MON, summaries, size=1))
    rows = team.rows(kind="digest")
    assert len(rows) == len({r.recipient_id for r in rows})  # one per person
    pam = next(r for r in rows if r.recipient_id == team.pam)  # the project's manager
    assert "Imported" in pam.payload["text"] and pam.payload["count"] >= 12


def test_a_summary_already_sent_gets_a_follow_up_not_an_edit(team: Team):
    load(team, 3, team.priya)
    summaries = Summaries()
    batches = workspace_check.check_committed(team.uow, team.ws, MON, summaries, size=1)
    next(batches)
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)  # the first part goes out while the check still runs
    list(batches)
    assert len(team.rows(kind="digest", recipient_id=team.priya)) <= 2
    total = sum(r.payload["count"] for r in team.rows(kind="digest", recipient_id=team.priya))
    assert total == summaries.problems[team.priya]


def test_a_later_full_check_tells_only_what_is_new(team: Team, engine):
    load(team, 4, team.priya)
    run_check(engine, full=True, clock=FixedClock(MON))
    before = len(team.rows(kind="digest"))
    run_check(engine, full=True, clock=FixedClock(MON + timedelta(minutes=5)))
    assert len(team.rows(kind="digest")) == before  # nothing new, nobody told again
    load(team, 1, team.sam, overdue=False)
    with team.uow() as u:  # no deadline, and no progress for a month: two problems
        u.tasks.update(team.ws, u.tasks.list(team.ws)[-1].id, due=None)
        u.commit()
    run_check(engine, full=True, clock=FixedClock(MON + timedelta(minutes=10)))
    [sams] = team.rows(kind="digest", recipient_id=team.sam)
    assert sams.payload["text"].splitlines() == [
        "🔎 2 problems found by a full check of your work:",
        "⚠ #5 Imported 0 — missing deadline: no deadline (open since Sat 31 Jan)",
        "⚠ #5 Imported 0 — stalled: no progress for 30 days (since Sat 31 Jan 10:00), still at 0%",
    ]


def test_with_few_critical_problems_they_lead_and_warnings_fill_the_top(team: Team, engine):
    load(team, 1, team.priya)  # overdue: two critical problems
    load(team, 4, team.priya, overdue=False)  # warnings only
    run_check(engine, full=True, clock=FixedClock(MON))
    [mine] = team.rows(kind="digest", recipient_id=team.priya)
    lines = mine.payload["text"].splitlines()[1:6]
    icons = [line.split(" ", 1)[0] for line in lines]
    assert icons == ["🔴"] * 2 + ["⚠"] * 3
    # Problems as bad as each other in the order they were found (by fingerprint).
    assert [line.split(" — ")[1].split(":")[0] for line in lines[2:]] == ["behind schedule"] * 3
    assert [line.split(" ")[1] for line in lines[2:]] == ["#2", "#3", "#4"]
    ranks = [rank for rank, _ in mine.payload["top"]]
    assert ranks == sorted(ranks, reverse=True) and len(ranks) == 5
    with team.uow() as u:
        told = [v for v in u.violations.all_firing(team.ws) if v.subject_kind == "task"]
    assert mine.payload["count"] == len(told)  # every problem of her tasks counted


def test_a_part_adds_its_count_and_only_its_best_lines_can_enter_the_top() -> None:
    summaries = Summaries()
    cases = [  # (count before, top before, lines added, added count, expected top texts)
        (0, [], [(3, "c1"), (2, "w1")], 2, ["c1", "w1"]),
        (2, [[3, "c-old"], [1, "i-old"]], [(3, "c1"), (2, "w1")], 9,
         ["c-old", "c1", "w1", "i-old"]),
        (4, [[2, "w-a"], [2, "w-b"], [2, "w-c"], [2, "w-d"]],
         [(3, "c1"), (3, "c2"), (2, "w1")], 40, ["c1", "c2", "w-a", "w-b", "w-c"]),
    ]
    for count, top, lines, added, expected in cases:
        out = summaries.payload(count, top, lines, added)
        assert out["count"] == count + added
        assert [text for _, text in out["top"]] == expected
        more = count + added - len(expected)
        assert (f"…and {more} more." in out["text"]) == (more > 0)
    # Without a count, the lines are all there is (a summary's first part, as before).
    assert summaries.payload(0, [], [(1, "a"), (2, "b")])["count"] == 2


def test_held_parts_join_to_what_merging_them_one_by_one_writes() -> None:
    from bot.notify.summary import _joined, _Part

    summaries = Summaries()
    cases = [  # parts, each (count, lines), in the order batches found them
        [(2, [(3, "c1"), (2, "w1")])],
        [(2, [(3, "c1"), (2, "w1")]), (9, [(3, "c2"), (1, "i1")])],
        [(4, [(2, "w-a"), (2, "w-b"), (2, "w-c"), (2, "w-d")]), (40, [(3, "c1"), (3, "c2"),
                                                                       (2, "w1")]),
         (1, [(2, "w2")]), (7, [(3, "c3"), (3, "c4"), (3, "c5"), (3, "c6"), (3, "c7")])],
    ]
    for parts in cases:
        one_by_one = summaries.payload(0, [], parts[0][1], parts[0][0])
        joined = None
        for i, (count, lines) in enumerate(parts):
            if i:
                one_by_one = summaries.payload(one_by_one["count"], one_by_one["top"], lines,
                                               count)
            joined = _joined(joined, _Part(1, "slack", MON + timedelta(minutes=i), count, lines))
        assert joined is not None and joined.at == MON
        assert summaries.payload(0, [], joined.lines, joined.count) == one_by_one


def test_a_check_failing_late_still_writes_what_its_committed_batches_held(team: Team):
    load(team, 6, team.priya)
    load(team, 6, team.sam)
    fail = {"next": False, "armed": True}

    def uow():
        u = team.uow()
        if fail["next"]:  # this batch's commit fails, once
            fail["next"] = False

            def boom() -> None:
                raise RuntimeError("the projects batch fails")
            u.commit = boom  # type: ignore[method-assign]
        return u

    summaries = Summaries(imported=True)
    batches = workspace_check.check_committed(uow, team.ws, MON, summaries, size=1)
    told = []
    with pytest.raises(RuntimeError):
        for progress in batches:
            told.append(summaries.problems.get(team.pam, 0))
            if fail["armed"] and progress.done == progress.total:  # next: the projects batch
                fail["next"], fail["armed"] = True, False
    assert len(set(told) - {0}) >= 2  # the manager heard of more than one batch
    rows = team.rows(kind="digest", recipient_id=team.pam)
    assert sum(r.payload["count"] for r in rows) == told[-1]
