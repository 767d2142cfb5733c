"""Hypothesis over the conversation core: whatever people type or press, the reply is
never an internal error (and a refused request changes nothing it should not)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Action, Incoming
from bot.transaction import BUSY, INTERNAL, UNCONFIRMED
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory
from tests.faults.conftest import report

pytestmark = pytest.mark.faults

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
VERBS = ["add", "progress", "done", "block", "unblock", "due", "assign", "note", "show",
         "tasks", "project add", "settings", "role", "reports", "ooo", "help", "board",
         "gantt", "team", "people", "standup", "snooze", "remind", "cancel", "reopen"]
PIECES = st.one_of(
    st.sampled_from(VERBS),
    st.sampled_from(["#1", "#2", "#999", "#0", "#-1", "#99999999999999999999", "@marcus",
                     "@nobody", "#Acme", "by Friday", "next Monday", "in 3 days", "31 Feb",
                     "9999-12-31", "0001-01-01", "year 2201", "60%", "250%", "-5%", "²",
                     "$x^2$", "p1", "p9", "every Monday", "until Friday", "24h", "1e309",
                     "task.stalled.after", "manager", "'; DROP TABLE tasks; --", "\x00",
                     "🙂", "\u202e", "x" * 300]),
    st.text(min_size=0, max_size=40),
)
MESSAGE = st.lists(PIECES, min_size=0, max_size=6).map(" ".join)
ACTIONS = st.sampled_from(["task.done", "task.progress", "task.due_plus", "task.assign",
                           "task.show", "violation.ack", "violation.snooze", "task.block",
                           "task.unblock", "task.pick_date", "nonsense.action"])
ARG_VALUES = st.one_of(st.integers(min_value=-2**70, max_value=2**70), st.text(max_size=12),
                       st.none(), st.floats(allow_nan=True), st.booleans(),
                       st.lists(st.integers(), max_size=2))
ARGS = st.dictionaries(st.sampled_from(["task", "value", "days", "hours", "owner",
                                        "violation", "date", "x"]), ARG_VALUES, max_size=4)


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'vigil.db'}")
    upgrade(engine)
    conv = Conversation(make_uow_factory(engine), FixedClock(NOW))
    ws, marcus = conv.onboard("test:fuzz", "Fuzz", "test", "U1", "Marcus", "marcus")
    _, priya = conv.onboard("test:fuzz", "Fuzz", "test", "U2", "Priya", "priya")
    for text in ("add Send the Acme filing @priya by Friday", "project add Acme @marcus",
                 "add Call the bank #Acme", "block #2 waiting for the bank"):
        conv.handle(Incoming(ws, marcus, text=text))
    counts = {"messages": 0, "bad": 0}
    yield conv, ws, (marcus, priya), counts
    report("fuzz-conversation", inputs=counts["messages"], internal_errors=counts["bad"])
    engine.dispose()


BAD = (INTERNAL, BUSY, UNCONFIRMED)


@settings(max_examples=600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=MESSAGE, who=st.integers(0, 1))
def test_no_typed_message_gets_an_internal_error(chat, text, who):
    conv, ws, people, counts = chat
    counts["messages"] += 1
    out = conv.handle(Incoming(ws, people[who], text=text))
    counts["bad"] += any(b in out.text for b in BAD)
    assert out.text.strip(), f"silent reply to {text!r}"
    assert not any(b in out.text for b in BAD), f"{text!r} -> {out.text!r}"


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(action=ACTIONS, args=ARGS, who=st.integers(0, 1))
def test_no_button_press_gets_an_internal_error(chat, action, args, who):
    conv, ws, people, counts = chat
    counts["messages"] += 1
    out = conv.handle(Incoming(ws, people[who], action=Action(action, args)))
    counts["bad"] += any(b in out.text for b in BAD)
    assert out.text.strip(), f"silent reply to {action} {args!r}"
    assert not any(b in out.text for b in BAD), f"{action} {args!r} -> {out.text!r}"
