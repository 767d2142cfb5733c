"""Recurring work: cadence, named owner and backup, proof, escalation, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.jobs import tick_all
from bot.messages import Incoming
from bot.notify.routing import Directory, Subject, route
from engine import calendar as cal_ops
from engine.model import Person, Project, Severity, SubjectKind, WorkCalendar
from engine.recurrence import occurrence_starts

LONDON = WorkCalendar(tz="Europe/London", holidays=frozenset({date(2026, 4, 3)}))
MON = datetime(2026, 3, 23, 6, 0, tzinfo=UTC)  # Monday 06:00 London (GMT)


def test_cadence_keeps_local_time_across_the_dst_change():
    starts = occurrence_starts("FREQ=DAILY;BYHOUR=7", MON, LONDON, MON, MON + timedelta(days=12))
    local = [cal_ops.to_local(LONDON, s) for s in starts]
    assert {t.hour for t in local} == {7}  # always 07:00 on the wall clock
    assert [s.hour for s in starts[:6]] == [7] * 6  # 23-28 Mar: GMT
    assert [s.hour for s in starts[6:]] == [6] * (len(starts) - 6)  # from 29 Mar: BST
    days = [t.date() for t in local]
    assert date(2026, 4, 3) not in days and date(2026, 4, 4) in days  # holiday skipped


@pytest.fixture
def chat(uow):
    clock = FixedClock(MON)
    conv = Conversation(uow, clock)
    ws, maria = conv.onboard("test:ops", "Ops", "test", "M", "Maria", "maria", tz="Europe/London")
    _, ana = conv.onboard("test:ops", "Ops", "test", "A", "Ana", "ana", tz="Europe/London")
    _, leo = conv.onboard("test:ops", "Ops", "test", "L", "Leo", "leo", tz="Europe/London")
    ids = {"maria": maria, "ana": ana, "leo": leo}

    def say(who: str, text: str, attachment: str | None = None):
        return conv.handle(Incoming(ws, ids[who], text=text, attachment=attachment))

    return clock, say, ws, ids


def test_recurring_work_asks_for_a_backup_when_none_is_named_and_ana_has_no_manager(chat):
    _, say, _, _ = chat
    asked = say("maria", "every weekday at 7am: opening safety check @ana proof: photo")
    assert "Added #1 Opening safety check" in asked.text
    assert "Who should be the backup for #1 Opening safety check?" in asked.text
    assert "Leo is now the backup for #1" in say("maria", "Leo").text
    made = say("maria", "every weekday at 7am: opening safety check @ana backup @leo proof: photo")
    assert "Added #2 Opening safety check" in made.text
    assert "next cycle starts Mon 23 Mar 07:00" in made.text and "backup Leo" in made.text


def test_occurrences_need_proof_and_history_counts_them(chat, uow):
    clock, say, ws, ids = chat
    say("maria", "every weekday at 7am: opening safety check @ana backup @leo proof: photo")
    clock.advance(timedelta(hours=1, minutes=5))  # Mon 07:05
    tick_all(uow, clock)
    refused = say("ana", "done opening safety check")
    assert "needs photo proof" in refused.text
    assert "Done" in say("ana", "done #2 photo:IMG1", attachment="IMG1").text
    clock.advance(timedelta(days=1))  # Tue 07:05: Tuesday's occurrence, never done
    tick_all(uow, clock)
    clock.advance(timedelta(days=1))  # Wed 07:05
    tick_all(uow, clock)
    history = say("maria", "show #1").text
    assert "50% on time (1 of 2)" in history and "streak 0" in history
    assert "on time by Ana · proof: photo:IMG1" in history
    assert "— missed" in history and "— open" in history


def test_occurrence_goes_to_the_backup_when_the_owner_is_away(chat, uow):
    clock, say, ws, ids = chat
    say("maria", "every weekday at 7am: opening safety check @ana backup @leo")
    say("ana", "ooo until 27 Mar backup @leo")
    clock.advance(timedelta(hours=1, minutes=5))
    tick_all(uow, clock)
    with uow() as u:
        occurrence = u.tasks.by_number(ws, 2)
    assert occurrence is not None and occurrence.owner_id == ids["leo"]


def test_missed_occurrence_climbs_owner_backup_manager():
    people = {
        1: Person(1, "Maria", role="manager"),
        2: Person(2, "Ana", reports_to_id=1),
        3: Person(3, "Leo", reports_to_id=1),
    }
    directory = Directory(people, {1: Project(1, "Ops", manager_id=1)}, {})
    subject = Subject(SubjectKind.TASK, 9, owner_id=2, project_id=1, backup_id=3)
    ladder = [
        [
            r.person_id
            for r in route("recurring.missed", Severity.CRITICAL, subject, directory, MON, level)
        ]
        for level in range(4)
    ]
    assert ladder == [[2], [3], [1], []]


def test_manager_digest_names_recurring_work_that_slipped(chat, uow):
    from bot.notify.digest import digest

    clock, say, ws, ids = chat
    say("maria", "reports @ana to @maria")
    say("maria", "every weekday at 7am: opening safety check @ana backup @leo")
    clock.advance(timedelta(hours=3, minutes=5))  # Mon 09:05: the 07:00 check was due 09:00
    tick_all(uow, clock)
    with uow() as u:
        text = digest(u, ws, u.people.get(ws, ids["maria"]), clock.now(),
                      since=clock.now() - timedelta(days=1)).text
    assert "Recurring work that slipped:" in text
    assert "#1 Opening safety check: Mon 23 Mar missed (Ana)" in text


@pytest.mark.parametrize(
    ("who", "text", "answer"),
    [
        ("leo", "done #2", "✔ Done: #2 Opening safety check — Mon 23 Mar"),  # the backup covers
        ("leo", "progress #2 50%", "#2 is now 50% done"),
        ("leo", "progress #1 50%", "Only the owner or creator of #1"),  # not the obligation
        ("ana", "done #2", "✔ Done: #2 Opening safety check — Mon 23 Mar"),  # the owner
    ],
)
def test_the_backup_may_do_and_record_an_occurrence(chat, uow, who, text, answer):
    clock, say, ws, ids = chat
    say("maria", "every weekday at 7am: opening safety check @ana backup @leo")
    clock.advance(timedelta(hours=1, minutes=5))
    tick_all(uow, clock)
    assert answer in say(who, text).text


def test_someone_who_is_neither_owner_nor_backup_may_not_close_an_occurrence(chat, uow):
    clock, say, ws, ids = chat
    say("maria", "every weekday at 7am: opening safety check @ana backup @leo")
    clock.advance(timedelta(hours=1, minutes=5))
    tick_all(uow, clock)
    conv = Conversation(uow, clock)
    _, omar = conv.onboard("test:ops", "Ops", "test", "O", "Omar", "omar", tz="Europe/London")
    refused = conv.handle(Incoming(ws, omar, text="done #2")).text
    assert "Only the owner, backup or creator of #2" in refused and "Nothing was changed" in refused
