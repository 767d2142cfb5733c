"""Seen platform events: the first record of an id wins, for every process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_first_time_once_per_platform_and_id(uow: U, now: datetime) -> None:
    with uow() as u:
        assert u.seen.first_time("slack", "Ev1", now)
        assert not u.seen.first_time("slack", "Ev1", now)
        assert u.seen.first_time("telegram", "Ev1", now)  # another platform's id space
        u.commit()
    with uow() as other_process:
        assert not other_process.seen.first_time("slack", "Ev1", now + timedelta(hours=1))


def test_an_uncommitted_record_is_forgotten(uow: U, now: datetime) -> None:
    with uow() as u:
        assert u.seen.first_time("slack", "Ev2", now)
    with uow() as u:
        assert u.seen.first_time("slack", "Ev2", now)


def test_prune_forgets_old_events(uow: U, now: datetime) -> None:
    with uow() as u:
        u.seen.first_time("slack", "old", now - timedelta(days=2))
        u.seen.first_time("slack", "new", now)
        assert u.seen.prune(now - timedelta(days=1)) == 1
        u.commit()
    with uow() as u:
        assert u.seen.first_time("slack", "old", now)
        assert not u.seen.first_time("slack", "new", now)


@pytest.mark.parametrize("bad", ["", "x" * 201])
def test_bad_event_ids_are_refused(uow: U, now: datetime, bad: str) -> None:
    with uow() as u, pytest.raises(ValueError):
        u.seen.first_time("slack", bad, now)
