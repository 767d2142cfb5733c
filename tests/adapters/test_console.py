"""The console adapter renders neutral messages and presses numbered buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from adapters.console.adapter import render
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Button, Outgoing, Section


def test_render_numbers_buttons_across_sections():
    out = Outgoing((Section("one", (Button("A", "a"),)), Section("two", (Button("B", "b"),))))
    text, buttons = render(out)
    assert text == "one\n   [1] A\ntwo\n   [2] B"
    assert [b.action for b in buttons] == ["a", "b"]


def test_a_console_session(uow):
    printed: list[str] = []
    conv = Conversation(uow, FixedClock(datetime(2026, 11, 24, 10, tzinfo=UTC)))
    console = ConsoleAdapter(conv, printed.append, tz="Europe/London", name="Ana")
    console.run(
        [
            "add Opening checklist by Friday",
            "1",  # Assign to me
            "/as Leo",
            "done #1",
            "/as Ana",
            "show #1",
            "9",
            "/quit",
            "never read",
        ]
    )
    log = "\n".join(printed)
    assert "Added #1 Opening checklist" in log
    assert "[1] Assign to me" in log and "#1 is yours now" in log
    assert "You are now Leo." in log
    assert "Only the owner or creator of #1" in log  # Leo is a member
    assert "Pick a number from 1 to" in log
    assert "never read" not in log
