"""The daily standup digest (DESIGN §6): it replaces the status meeting.

Members get: done yesterday, due today, due this week, at risk, blocked.
Managers also get the team table (green/amber/red per person), what fired and
what was resolved since the last digest, overloaded people and blocked items.
"""

from __future__ import annotations

import time as clock
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from bot.messages import Outgoing, Section
from bot.notify.digest_sections import _calendar, is_manager, member_sections, team_sections
from bot.notify.digest_time import (
    digest_clock,
    is_digest_day,
    next_digest_day,
    since_last_digest,
)
from bot.notify.hours import person_calendar
from bot.notify.notice_context import workspace_platform
from engine import calendar as cal_ops
from engine.model import Person, WorkCalendar
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork

DIGEST_TIME = time(9, 0)
# A committed batch of digests holds SQLite's one write lock while it builds
# them (BEGIN IMMEDIATE), so it is bounded twice: by people and by seconds. A
# digest costs ~30 ms at 100k tasks, so a batch holds the lock ~0.5 s at most
# and the rule tick waits no longer than that for it.
DIGEST_BATCH = 25
DIGEST_BATCH_SECONDS = 0.5


def digest_time(record: WorkspaceRecord, own: time | None = None) -> time:
    """The local time of day of a digest: the person's own, else the workspace's digest.time."""
    return digest_clock(record.settings, own)


def next_digest_at(cal: WorkCalendar, now: datetime, at: time, sent_today: bool,
                   settings: Mapping[str, object] | None = None) -> datetime:
    """Whose digest is due now: the instant a person's next morning digest is due.

    Today's morning (``at`` local time) when today is a working day and
    today's digest is not out yet — at or before ``now`` once the morning has
    come, so the digest is due — else the next working day's morning. Each
    person stores the result (``people.next_digest_at``); the digest job reads
    only the people whose instant has come.
    """
    day = cal_ops.to_local(cal, now).date()
    chosen = settings or {}
    if sent_today or not is_digest_day(cal, chosen, day):  # digest.days
        day = next_digest_day(cal, chosen, day)
    return cal_ops.from_local(cal, datetime.combine(day, at))


def digest(
    uow: UnitOfWork, ws: int, person: Person, now: datetime, since: datetime | None = None
) -> Outgoing:
    """The whole digest for one person (manager version when they manage anyone)."""
    cal = _calendar(uow, ws, person)
    local = cal_ops.to_local(cal, now)
    head = Section(f"☀ Standup for {person.name} — {local:%a} {local.day} {local:%b}")
    sections = [head] + member_sections(uow, ws, person, now)
    if is_manager(uow, ws, person):
        sections += team_sections(uow, ws, person, now, since or now - timedelta(days=1))
    return Outgoing(tuple(sections))


def digest_payload(out: Outgoing, since: datetime | None, now: datetime) -> dict[str, object]:
    """The outbox payload of a digest: the message, and what rebuilds it at sending
    (its "since" instant and when it was built: ``bot.notify.digest_fresh``)."""
    return {
        **_payload(out),
        "since": since.isoformat() if since else None,
        "built_at": now.isoformat(),
    }


def _payload(out: Outgoing) -> dict[str, object]:
    return {
        "text": out.text,
        "sections": [
            {
                "text": s.text,
                "buttons": [
                    {"label": b.label, "action": b.action, "args": dict(b.args)} for b in s.buttons
                ],
            }
            for s in out.sections
        ],
    }


def queue_digests(uow: UnitOfWork, ws: int, now: datetime) -> list[tuple[int, str]]:
    """Queue every digest that is due, in this transaction (see ``queue_digest_batch``)."""
    queued: list[tuple[int, str]] = []
    while True:
        batch, more = queue_digest_batch(uow, ws, now, DIGEST_BATCH)
        queued += batch
        if not more:
            return queued


def queue_digest_batch(
    uow: UnitOfWork, ws: int, now: datetime, limit: int, stop_at: float | None = None
) -> tuple[list[tuple[int, str]], bool]:
    """Queue today's digest for at most ``limit`` people whose morning has come.

    Reads only the people whose stored next digest is due and stores the
    next one for each, so a person's digest is built once per local morning;
    returns what was queued and whether more may be due (a full batch, or one
    cut short at ``stop_at``, a ``time.monotonic()`` instant: call again).
    At least one person is decided per call, so a pass always moves on; the
    people not reached keep their due instant. The dedup key names the person
    and their local date, so several processes still send one digest a day.
    """
    record = uow.workspaces.get(ws)
    if record is None:
        return [], False
    people = uow.people.digest_due(ws, now, limit)
    own_times = uow.people.digest_times(ws, [p.id for p in people])
    queued: list[tuple[int, str]] = []
    later: dict[int, datetime | None] = {}
    identities = uow.outbox.identities_of(ws, [p.id for p in people])
    for i, person in enumerate(people):
        if i and stop_at is not None and clock.monotonic() >= stop_at:
            uow.people.set_next_digest(ws, later)
            return queued, True
        cal = person_calendar(record.calendar, person.tz)
        own = own_times.get(person.id)
        at = digest_time(record, own)
        due = next_digest_at(cal, now, at, sent_today=False, settings=record.settings)
        if due > now:
            later[person.id] = due
            continue
        tomorrow = next_digest_at(cal, now, at, sent_today=True, settings=record.settings)
        later[person.id] = tomorrow
        if person.is_out_of_office(now):
            assert person.ooo_until is not None
            later[person.id] = min(tomorrow, person.ooo_until)  # back later today: digest then
            continue
        platforms = sorted({p for p, _ in identities.get(person.id, [])}) or [
            workspace_platform(record.key)
        ]
        local = cal_ops.to_local(cal, now)
        # "Since the last digest": the previous digest morning (Monday looks back to Friday).
        since = since_last_digest(cal, record.settings, own, local.date())
        keys = {p: f"digest:{person.id}:{_day(local.date())}:{p}" for p in platforms}
        if all(uow.outbox.by_dedup_key(ws, key) is not None for key in keys.values()):
            continue  # today's is queued already: do not build it again on every tick
        payload = digest_payload(digest(uow, ws, person, now, since), since, now)
        for platform, key in keys.items():
            if uow.outbox.queue(ws, person.id, platform, "digest", payload, key, now, now):
                queued.append((person.id, platform))
    uow.people.set_next_digest(ws, later)
    return queued, len(people) >= limit


def _day(d: date) -> str:
    return d.isoformat()
