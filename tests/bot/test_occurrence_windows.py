"""Occurrence windows stay inside working hours unless the cadence says otherwise (#13 item 6)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.services.obligations import materialize, occurrence_due
from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import WorkCalendar

MON = datetime(2026, 3, 23, 6, 0, tzinfo=UTC)  # Monday 06:00 London (GMT)
FIRM = WorkCalendar(tz="Europe/London", day_start=time(9, 0), day_end=time(17, 30))


def _local(at: datetime) -> str:
    local = cal_ops.to_local(FIRM, at)
    return f"{local:%a %H:%M}"


@pytest.mark.parametrize(
    ("start", "window", "due"),
    [
        # inside working hours: counted in working time
        ("2026-03-23 10:00", "2h", "Mon 12:00"),
        ("2026-03-23 16:30", "2h", "Tue 10:00"),  # not 18:30, after closing
        ("2026-03-27 16:30", "2h", "Mon 10:00"),  # Friday afternoon: over the weekend
        ("2026-03-23 17:00", "30m", "Mon 17:30"),  # ends exactly at closing: that evening
        # the cadence states a time outside working hours: kept, on the wall clock
        ("2026-03-23 07:00", "2h", "Mon 09:00"),
        ("2026-03-28 10:00", "2h", "Sat 12:00"),  # "every Saturday at 10:00"
        ("2026-03-23 18:00", "1h", "Mon 19:00"),
        # day windows follow the calendar as before
        ("2026-03-23 16:30", "1wd", "Tue 16:30"),
    ],
)
def test_occurrence_due_keeps_the_window_in_working_hours(start: str, window: str, due: str):
    at = cal_ops.from_local(FIRM, datetime.fromisoformat(start))
    assert _local(occurrence_due(FIRM, at, Duration.parse(window))) == due


@pytest.fixture
def firm(uow):
    clock = FixedClock(MON)
    conv = Conversation(uow, clock)
    ws, maria = conv.onboard("test:firm", "Firm", "test", "M", "Maria", "maria",
                             tz="Europe/London")
    _, ana = conv.onboard("test:firm", "Firm", "test", "A", "Ana", "ana", tz="Europe/London")
    _, leo = conv.onboard("test:firm", "Firm", "test", "L", "Leo", "leo", tz="Europe/London")
    with uow() as u:
        u.workspaces.update_calendar(ws, FIRM)
        u.commit()

    def say(text: str):
        return conv.handle(Incoming(ws, maria, text=text))

    return say, ws


@pytest.mark.parametrize(
    ("cadence", "first", "due"),
    [
        ("every weekday at 4:30pm", "Mon 16:30", "Tue 10:00"),
        ("every weekday at 10am", "Mon 10:00", "Mon 12:00"),
        ("every friday at 4:30pm", "Fri 16:30", "Mon 10:00"),
        ("every saturday at 10:00", "Sat 10:00", "Sat 12:00"),
        ("every day at 7am", "Mon 07:00", "Mon 09:00"),
    ],
)
def test_recurring_work_made_in_chat_gets_windows_inside_working_hours(
    firm, uow, cadence: str, first: str, due: str
):
    say, ws = firm
    reply = say(f"{cadence}: bank reconciliation @ana backup @leo").text
    assert "Added #1 Bank reconciliation" in reply, reply
    with uow() as u:
        materialize(u, ws, MON, ahead=timedelta(days=7))
        u.commit()
        occurrences = u.tasks.get_many(ws, u.tasks.occurrence_ids(ws, u.tasks.by_number(ws, 1).id))
    earliest = min(occurrences, key=lambda t: t.effective_start)
    assert (_local(earliest.effective_start), _local(earliest.due)) == (first, due)
    # What Vigil said when it was made names that same first deadline.
    assert f"due {due.split()[0]}" in reply and due.split()[1] in reply, reply
