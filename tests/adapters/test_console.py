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
            "invite Leo",
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
    assert "[9] belonged to an earlier message and has expired" in log
    assert "never read" not in log


def test_console_prints_notifications_for_whoever_is_at_the_keyboard(uow):
    from datetime import timedelta

    from adapters.console.adapter import ConsoleInbox
    from bot.jobs import dispatch_due, escalate_all, tick_all
    from bot.notify.dispatcher import Dispatcher

    clock = FixedClock(datetime(2026, 11, 24, 10, tzinfo=UTC))  # Tuesday, working hours
    printed: list[str] = []
    inbox = ConsoleInbox()
    dispatcher = Dispatcher(uow, {"console": inbox})

    def jobs() -> None:
        tick_all(uow, clock)
        escalate_all(uow, clock)
        dispatch_due(dispatcher, clock)

    console = ConsoleAdapter(Conversation(uow, clock), printed.append, name="Ana", inbox=inbox,
                             after_each=jobs)
    console.feed("invite Leo")
    console.feed("add Send the VAT return @leo by tomorrow 11am")
    clock.advance(timedelta(days=1, hours=2))  # past the deadline
    console.feed("tasks")
    assert not any("overdue" in line for line in printed if line.startswith("🔔"))
    console.feed("/as Leo")  # Leo's waiting notice is printed now
    notices = [line for line in printed if line.startswith("🔔")]
    assert notices and "overdue" in notices[-1]
    console.feed("done #1")
    assert printed[-1].startswith("🔔 (notice 1)")  # the original alert, edited in place
    assert "✅ Resolved by Leo" in printed[-1]
