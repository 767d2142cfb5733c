"""The dispatcher's claim order: due digests ahead of held alerts, each by next attempt.

At 09:00 the alerts quiet hours held overnight and the morning digests fall
due together; a claim by (next attempt, id) alone put every digest behind
every held alert (none of 50,000 digests sent by 09:30 at 10,000 workspaces).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
LEASE = timedelta(minutes=5)

# A queued row: (dedup key — its first letter the kind: a alert, d digest, r reply —,
# minutes from ``now`` it falls due, workspace index). Rows are queued in this order,
# so their ids follow it.
Row = tuple[str, int, int]

# (name, rows queued, claim limit, the dedup keys claimed)
CASES: list[tuple[str, list[Row], int, set[str]]] = [
    ("digests and held alerts due at 09:00: the digests first, alerts fill the rest",
     [("a1", 0, 0), ("a2", 0, 0), ("a3", 0, 0), ("a4", 0, 0), ("d1", 0, 0), ("d2", 0, 0)],
     5, {"d1", "d2", "a1", "a2", "a3"}),
    ("alerts held since the night (older instant) still come after the digests",
     [("a1", -600, 0), ("a2", -600, 0), ("d1", 0, 0), ("d2", 0, 0), ("d3", 0, 0)],
     3, {"d1", "d2", "d3"}),
    ("more digests than a claim: one row in five is left to the others",
     [("a1", 0, 0), ("a2", 0, 0)] + [(f"d{i}", 0, 0) for i in range(1, 9)],
     5, {"d1", "d2", "d3", "d4", "a1"}),
    ("more digests than a claim and no other row waiting: digests fill it",
     [(f"d{i}", 0, 0) for i in range(1, 9)],
     5, {"d1", "d2", "d3", "d4", "d5"}),
    ("a claim of one takes the digest",
     [("a1", -60, 0), ("d1", 0, 0)], 1, {"d1"}),
    ("no digest due: the rest by next attempt, then id",
     [("a1", 0, 0), ("r1", -5, 0), ("a2", -5, 0), ("a3", 0, 0)], 2, {"r1", "a2"}),
    ("a digest not yet due waits behind due alerts",
     [("a1", 0, 0), ("d1", 1, 0), ("a2", -1, 0)], 5, {"a1", "a2"}),
    ("digests of every workspace by next attempt, not by workspace or id",
     [("d1", 0, 0), ("d2", 0, 0), ("d3", -2, 1), ("d4", -1, 1)], 2, {"d3", "d4"}),
    ("digests of two workspaces due together: queue order, across workspaces",
     [("d1", 0, 1), ("d2", 0, 0), ("d3", 0, 1), ("d4", 0, 0)], 3, {"d1", "d2", "d3"}),
]


@pytest.mark.parametrize("name, rows, limit, claimed", CASES, ids=[c[0] for c in CASES])
def test_claim_order(uow: U, now: datetime, name: str, rows: list[Row], limit: int,
                     claimed: set[str]) -> None:
    kinds = {"a": "alert", "d": "digest", "r": "reply"}
    with uow() as u:
        spaces = [u.workspaces.create(f"console:{i}", f"W{i}").id for i in range(2)]
        people = [u.people.add(ws, "Priya").id for ws in spaces]
        for key, minutes, w in rows:
            at = now + timedelta(minutes=minutes)
            assert u.outbox.add(spaces[w], people[w], "slack", kinds[key[0]], {}, key, at)
        u.commit()
    with uow() as u:
        got = u.outbox.claim_due(now, LEASE, limit, token="t")
        u.commit()
    assert {r.dedup_key for r in got} == claimed, name
    assert all(r.status == "sending" and r.claim_token == "t" for r in got)
    assert [r.id for r in got] == sorted(r.id for r in got)
    with uow() as u:  # the next claim takes what this one left, nothing twice
        rest = {r.dedup_key for r in u.outbox.claim_due(now, LEASE, 100, token="u")}
        u.commit()
    due = {key for key, minutes, _w in rows if minutes <= 0}
    assert rest == due - claimed


def test_an_expired_digest_claim_is_taken_over_ahead_of_alerts(uow: U, ws: int,
                                                               now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        u.outbox.add(ws, priya, "slack", "alert", {}, "a1", now - timedelta(hours=1))
        u.outbox.add(ws, priya, "slack", "digest", {}, "d1", now - timedelta(hours=1))
        u.commit()
    with uow() as u:
        first = u.outbox.claim_due(now - timedelta(hours=1), LEASE, 1, token="dead")
        u.commit()
    assert [r.dedup_key for r in first] == ["d1"]
    with uow() as u:
        again = u.outbox.claim_due(now, LEASE, 1, token="t")
        u.commit()
    assert [(r.dedup_key, r.in_doubt, r.claim_token) for r in again] == [("d1", True, "t")]


@pytest.mark.parametrize("platforms, recipients, claimed", [
    (["telegram"], None, {"d2", "a2"}),
    (None, "second", {"d2", "a2"}),
    (["slack"], "first", {"d1", "a1"}),
], ids=["by platform", "by recipient", "by both"])
def test_the_digest_lane_keeps_the_filters(uow: U, ws: int, now: datetime,
                                           platforms: list[str] | None,
                                           recipients: str | None, claimed: set[str]) -> None:
    with uow() as u:
        first, second = u.people.add(ws, "Priya").id, u.people.add(ws, "Sam").id
        u.outbox.add(ws, first, "slack", "alert", {}, "a1", now)
        u.outbox.add(ws, second, "telegram", "alert", {}, "a2", now)
        u.outbox.add(ws, first, "slack", "digest", {}, "d1", now)
        u.outbox.add(ws, second, "telegram", "digest", {}, "d2", now)
        u.commit()
    who = None if recipients is None else [first if recipients == "first" else second]
    with uow() as u:
        got = u.outbox.claim_due(now, LEASE, 10, platforms, "t", recipients=who)
        u.commit()
    assert {r.dedup_key for r in got} == claimed
