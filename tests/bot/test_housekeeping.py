"""Housekeeping forgets the conversation state nobody will read again (questions, 'it')."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FixedClock
from bot.jobs import prune_conversation_state
from storage.repositories.topics import FRESH

NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)


def test_expired_questions_and_stale_topics_are_forgotten_fresh_ones_kept(uow) -> None:
    with uow() as u:
        ws = u.workspaces.create("house", "House").id
        ana, ben = u.people.add(ws, "Ana", "ana").id, u.people.add(ws, "Ben", "ben").id
        task = u.tasks.add(ws, "VAT return", NOW).id
        u.questions.ask(ws, ana, "C1", "confirm", {}, NOW, NOW + timedelta(minutes=10))
        u.questions.ask(ws, ben, "C1", "confirm", {}, NOW, NOW + timedelta(hours=2))
        u.topics.set(ws, ana, "C1", task, NOW)
        u.topics.set(ws, ben, "C2", task, NOW + timedelta(minutes=15))
        u.commit()
    later = NOW + timedelta(minutes=40)  # Ana's topic is stale (FRESH), Ben's is not
    assert prune_conversation_state(uow, FixedClock(later)) == 2  # Ana's question and topic
    assert prune_conversation_state(uow, FixedClock(later)) == 0
    with uow() as u:
        assert u.questions.open(ws, ben, "C1", later) is not None
        assert u.topics.current(ws, ben, "C2", later) == task
        assert u.questions.open(ws, ana, "C1", NOW) is None
    assert timedelta(minutes=25) < FRESH <= timedelta(minutes=40)
