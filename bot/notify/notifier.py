"""Write notices to the outbox inside the caller's transaction.

``notify_events`` is called by ``bot.persist.persist`` with the violation
changes it just wrote, so a notice exists exactly when its change committed
(transactional outbox); it also marks the Home of the tasks' owners for a
repaint (``bot.notify.home``). The ladder job is ``bot.notify.escalation``. Both only queue rows;
the dispatcher (``bot.notify.dispatcher``) delivers them.

Dedup keys (unique per workspace; a second write of the same notice is a
no-op, whichever process tries):

* ``alert:{violation}:{level}:{severity}:{recipient}:{platform}``
* ``resolved:{violation}:{recipient}:{platform}``

Rules of the game:

* fired and severity-up changes queue level-0 alerts (severity-down: none);
* an alert is due at the start of the recipient's next working period in
  their own zone (critical: at once when the workspace allows it), and not
  before the violation's snooze ends;
* a resolution skips alerts not yet sent and queues a ``resolved`` row per
  recipient and platform that got (or is getting) the alert; the dispatcher
  turns it into an edit of the original message;
* the ladder climbs one level per ``escalate.after`` of working time for
  firing, unacknowledged, un-snoozed warning/critical violations; each level
  queues alerts for the people it adds (people already told are not told
  again);
* a person's own change in a direct message (``answering``) queues no alert
  for them about what it caused: the reply in that chat shows it, with the same
  buttons. Everyone else routing picks is alerted as always, and earlier alerts
  of theirs that the change resolves are still edited.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from bot.lifecycle import LifecycleEvent
from bot.notify import reliability, render
from bot.notify.notice_context import (
    PREFETCH_FROM,
    Notice,
    NoticeContext,
    Pending,
    prefetch,
    subject_for,
    write_pending,
)
from bot.notify.routing import Route, route
from engine.model import Severity, SubjectKind
from engine.world import World
from storage.records import NotificationRecord as Notification
from storage.records import ViolationRecord
from storage.repositories.outbox import Queued
from storage.uow import UnitOfWork

# Whose direct message is being answered now (bot.conversation): see ``answering``.
_ANSWERING: ContextVar[int | None] = ContextVar("vigil_answering", default=None)


@contextmanager
def answering(person_id: int) -> Iterator[None]:
    """While ``person_id``'s direct message is answered: the reply shows what their change
    caused, so no alert about it is queued for them (the others routing picks still get
    theirs). Without it (a tick, a channel message) everyone is alerted."""
    token = _ANSWERING.set(person_id)
    try:
        yield
    finally:
        _ANSWERING.reset(token)


def queue_alerts(
    ctx: NoticeContext,
    row: ViolationRecord,
    routes: Sequence[Route],
    now: datetime,
    change: str,
    level: int,
    waited: str | None = None,
    waited_since: datetime | None = None,
) -> Pending:
    """The alert rows of ``row`` for ``routes`` (written by ``write_pending``)."""
    subject = subject_for(ctx, row)
    pending: Pending = []
    fixes = reliability.labelled(row.rule_id, row.fixes, ctx.scores(row.rule_id))
    for r in routes:
        payload = render.alert_payload(
            violation_id=row.id,
            rule_id=row.rule_id,
            subject_kind=row.subject_kind,
            subject_id=row.subject_id,
            subject=ctx.label(SubjectKind(row.subject_kind), row.subject_id),
            severity=row.severity,
            explanation=row.explanation,
            fixes=fixes,
            change=change,
            level=level,
            instead_of=ctx.name(r.instead_of),
            owner=ctx.name(subject.responsible),
            waited=waited,
            waited_since=waited_since.isoformat() if waited_since else None,
            # A fired or worsened problem was just explained at ``now``; an escalation
            # reuses an older wording, so it carries none and is worded when sent.
            worded_at=now.isoformat() if change in ("fired", "severity") else None,
        )
        at = ctx.due(r.person_id, now, row.severity, row.snoozed_until)
        for platform in ctx.platforms(r.person_id):
            key = f"alert:{row.id}:{level}:{row.severity}:{r.person_id}:{platform}"
            pending.append((
                Queued(r.person_id, platform, "alert", payload, key, now, at, row.id),
                Notice(row.id, "alert", r.person_id, platform, level, at, key),
            ))
    return pending


def _told(
    ctx: NoticeContext, rows: Sequence[ViolationRecord], now: datetime
) -> dict[int, list[Notification]]:
    """Skip the resolved rows' alerts not sent yet; by violation, the alerts that went
    out (or are going out): their recipients hear of the resolution."""
    uow = ctx.uow
    ids = [row.id for row in rows]
    uow.outbox.cancel_pending_many(ctx.ws, ids, now, "resolved before delivery")
    alerts = uow.outbox.for_violations(ctx.ws, ids, "alert")
    return {
        vid: [n for n in found
              if n.status == "sending" or (n.status == "sent" and n.platform_ref is not None)]
        for vid, found in alerts.items()
    }


def _queue_resolved(
    ctx: NoticeContext, row: ViolationRecord, told: Sequence[Notification], now: datetime
) -> Pending:
    """A ``resolved`` row per recipient and platform ``told`` of ``row``."""
    if not told:
        return []
    text = render.resolved_text(
        ctx.label(SubjectKind(row.subject_kind), row.subject_id),
        row.rule_id,
        row.resolution,
        ctx.name(row.resolved_by_id),
    )
    pending: Pending = []
    for recipient, platform in sorted({(n.recipient_id, n.platform) for n in told}):
        key = f"resolved:{row.id}:{recipient}:{platform}"
        payload = {"violation_id": row.id, "rule": row.rule_id, "text": text}
        pending.append((
            Queued(recipient, platform, "resolved", payload, key, now, now, row.id),
            Notice(row.id, "resolved", recipient, platform, row.level, now, key),
        ))
    return pending


def notify_events(
    uow: UnitOfWork, ws: int, now: datetime, events: Sequence[LifecycleEvent],
    known: World | None = None,
) -> list[Notice]:
    """Queue the notices for violation changes just written in this transaction.

    ``known``: the world the evaluation that found them loaded in this
    transaction; its tasks, people and projects are not read again.
    """
    wanted = [e for e in events if e.kind.value in ("fired", "severity", "resolved")]
    if not wanted:
        return []
    task_ids = {e.subject_id for e in wanted if e.subject_kind is SubjectKind.TASK}
    # The owners' Home shows these tasks' health: mark it for a repaint (bot.notify.home).
    uow.homes.mark(ws, now, owners_of=task_ids)
    ctx = NoticeContext(uow, ws, task_ids, known)
    # The rows this transaction just wrote come with their events; the rest are read.
    rows = {e.violation_id: e.row for e in wanted if e.row is not None}
    rows.update(uow.violations.get_many(ws, {e.violation_id for e in wanted} - rows.keys()))
    many = len(wanted) >= PREFETCH_FROM  # a chat change's one or two notices: look up as needed
    if many:
        # The identities and hours of those routing picks only, read below.
        prefetch(ctx, wanted, rows.values(), reach=False)
    resolved = [rows[e.violation_id] for e in wanted
                if e.kind.value == "resolved" and e.violation_id in rows]
    told = _told(ctx, resolved, now) if resolved else {}
    # In the order of the events, as they were written one by one: a resolved row,
    # or an alerting row with its routes.
    work: list[tuple[ViolationRecord, str, Sequence[Route]]] = []
    answered = _ANSWERING.get()
    for event in wanted:
        row = rows.get(event.violation_id)
        if row is None:
            continue
        if event.kind.value == "resolved":
            work.append((row, "resolved", ()))
            continue
        if event.kind.value == "severity" and (
            event.previous_severity is None or event.severity.rank <= event.previous_severity.rank
        ):
            continue  # only a worsening is news
        subject = subject_for(ctx, row)
        routes = route(row.rule_id, Severity(row.severity), subject, ctx.directory, now, 0)
        if answered is not None:  # the actor reads it in the reply to their own DM
            routes = [r for r in routes if r.person_id != answered]
        work.append((row, event.kind.value, routes))
    if many:
        ctx.reach({r.person_id for _, _, picked in work for r in picked})
    pending: Pending = []
    for row, kind, picked in work:
        if kind == "resolved":
            pending += _queue_resolved(ctx, row, told[row.id], now)
        else:
            pending += queue_alerts(ctx, row, picked, now, kind, 0)
    return write_pending(ctx, pending)
