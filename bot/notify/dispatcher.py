"""Deliver due outbox rows through the platform ports.

One ``run_once`` pass:

1. **claim** (own short transaction): due rows become ``sending`` with a lease
   (``OutboxRepository.claim_due``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
   the single SQLite writer otherwise);
2. **plan** (read-only): alerts whose violation resolved meanwhile are
   skipped, snoozed ones put back until the snooze ends; the remaining due
   alerts of one person on one platform become ONE grouped message; resolved
   rows become one edit per original message;
3. **deliver** through the port, outside any transaction;
4. **record** each outcome in its own transaction: ``sent`` with the platform
   reference, ``pending`` with exponential backoff (at least ``Retry-After``)
   for transient errors, ``failed`` for permanent ones or after
   ``max_attempts``.

Delivery guarantee: **at least once**. A crash between a successful send and
step 4 leaves the row ``sending``; when its lease runs out another pass
claims and sends it again. The dedup key makes a second *row* for the same
notice impossible; it cannot make a platform call idempotent.

Grouping is therefore "one message per person per dispatch pass": rows
written in one tick (one transaction) are due together and land in one
message; rows held by quiet hours are released together at the start of the
working period and also land in one message.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.messages import Outgoing
from bot.notify import hours
from bot.notify.ports import NotificationPort, PermanentError, Recipient, TransientError
from bot.notify.render import group_message
from storage.records import NotificationRecord
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.notify")

ANY_PLATFORM = "*"


@dataclass(frozen=True)
class Delivery:
    """One platform call and the outbox rows it carried."""

    action: str  # send | edit
    recipient_id: int
    platform: str
    rows: tuple[NotificationRecord, ...]
    message: Outgoing
    platform_ref: str | None = None
    error: str | None = None


@dataclass
class DispatchResult:
    sent: list[Delivery] = field(default_factory=list)
    edited: list[Delivery] = field(default_factory=list)
    retried: list[Delivery] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        rows = [d.rows for d in (*self.sent, *self.edited, *self.retried, *self.failed)]
        return sum(len(r) for r in rows) + len(self.skipped) + len(self.deferred)


@dataclass
class _Job:
    action: str
    ws: int
    recipient: Recipient
    platform: str
    identity: str | None
    rows: list[NotificationRecord]
    message: Outgoing
    ref: str | None = None


class Dispatcher:
    """Claims, groups, sends and records; safe to run in several processes at once.

    ``ports`` maps a platform name to its port; only rows of those platforms
    are claimed (rows for a platform no process serves stay pending and show
    in ``vigil status``). The key ``"*"`` serves every platform.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        ports: Mapping[str, NotificationPort],
        *,
        lease: timedelta = timedelta(minutes=5),
        batch: int = 200,
        base_backoff: timedelta = timedelta(seconds=30),
        max_backoff: timedelta = timedelta(hours=1),
        max_attempts: int = 8,
        edit_wait: timedelta = timedelta(seconds=30),
    ) -> None:
        self.uow_factory = uow_factory
        self.ports = dict(ports)
        self.lease = lease
        self.batch = batch
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.max_attempts = max_attempts
        self.edit_wait = edit_wait
        # None: everybody's notices. The console sets the person at the keyboard, so a
        # notice for somebody else stays pending until they open the console.
        self.recipients: set[int] | None = None

    # -- public -----------------------------------------------------------------

    def run_once(self, now: datetime) -> DispatchResult:
        """One claim-plan-deliver-record pass at ``now``."""
        result = DispatchResult()
        with self.uow_factory() as uow:
            platforms = None if ANY_PLATFORM in self.ports else list(self.ports)
            rows = uow.outbox.claim_due(now, self.lease, self.batch, platforms,
                                        recipients=self.recipients)
            uow.commit()
        if not rows:
            return result
        jobs = self._plan(rows, now, result)
        for job in jobs:
            self._deliver(job, now, result)
        return result

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Delay before the next try after ``attempts`` failed ones (>= Retry-After)."""
        delay = self.base_backoff * (2 ** max(0, attempts - 1))
        delay = min(delay, self.max_backoff)
        if retry_after is not None and retry_after > 0:
            delay = max(delay, timedelta(seconds=retry_after))
        return delay

    # -- planning ---------------------------------------------------------------

    def _plan(
        self, rows: list[NotificationRecord], now: datetime, result: DispatchResult
    ) -> list[_Job]:
        jobs: list[_Job] = []
        with self.uow_factory() as uow:
            alerts: dict[tuple[int, int, str], list[NotificationRecord]] = defaultdict(list)
            resolved: dict[tuple[int, int, str, str], list[NotificationRecord]] = defaultdict(
                list
            )
            for row in rows:
                if row.kind == "alert":
                    if self._hold_alert(uow, row, now, result):
                        continue
                    alerts[(row.workspace_id, row.recipient_id, row.platform)].append(row)
                elif row.kind == "resolved":
                    ref = self._original_ref(uow, row, now, result)
                    if ref is not None:
                        key = (row.workspace_id, row.recipient_id, row.platform, ref)
                        resolved[key].append(row)
                else:  # digest / reply: a ready-made message in the payload
                    key3 = (row.workspace_id, row.recipient_id, row.platform)
                    job = self._job(uow, "send", key3, [row], _payload_message(row))
                    channel = row.payload.get("channel")
                    if channel:  # the team digest goes to a channel or group, not a DM
                        job = replace(job, identity=str(channel))
                    jobs.append(job)
            for key3, group in sorted(alerts.items()):
                message = group_message([g.payload for g in group], key3[1])
                jobs.append(self._job(uow, "send", key3, group, message))
            for key4, group in sorted(resolved.items()):
                ws, recipient, platform, ref = key4
                message = self._edited_message(uow, ws, recipient, platform, ref)
                job = self._job(uow, "edit", (ws, recipient, platform), group, message)
                job.ref = ref
                jobs.append(job)
            uow.commit()  # the skips and deferrals made while planning
        return jobs

    def _hold_alert(
        self, uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult
    ) -> bool:
        """Skip an alert whose problem is gone; put back a snoozed one. True: not sent now."""
        if row.violation_id is None:
            return False
        violation = uow.violations.get(row.workspace_id, row.violation_id)
        if violation is None or violation.state != "firing":
            uow.outbox.mark_sent(row.id, now, None, "skipped: resolved before delivery")
            result.skipped.append(row.id)
            return True
        if violation.snoozed_until is not None and violation.snoozed_until > now:
            ws = uow.workspaces.get(row.workspace_id)
            person = uow.people.get(row.workspace_id, row.recipient_id)
            at = violation.snoozed_until
            if ws is not None:
                start, end = uow.outbox.working_hours(row.workspace_id, [row.recipient_id]).get(
                    row.recipient_id, (None, None)
                )
                cal = hours.person_calendar(ws.calendar, person.tz if person else None, start, end)
                at = hours.deliver_at(
                    cal, at, violation.severity, hours.critical_any_hour(ws.settings)
                )
            uow.outbox.reschedule(row.id, at)
            result.deferred.append(row.id)
            return True
        return False

    def _original_ref(
        self, uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult
    ) -> str | None:
        """The platform reference of the alert a resolved row edits (None: not now)."""
        alerts = [
            a
            for a in uow.outbox.for_violation(row.workspace_id, row.violation_id or -1, "alert")
            if a.recipient_id == row.recipient_id and a.platform == row.platform
        ]
        refs = [a.platform_ref for a in alerts if a.status == "sent" and a.platform_ref]
        if refs:
            return refs[-1]  # the newest message shows this violation
        if any(a.status in ("pending", "sending") for a in alerts):
            uow.outbox.reschedule(row.id, now + self.edit_wait)  # wait for the alert's ref
            result.deferred.append(row.id)
            return None
        uow.outbox.mark_sent(row.id, now, None, "skipped: the alert was never delivered")
        result.skipped.append(row.id)
        return None

    def _edited_message(
        self, uow: UnitOfWork, ws: int, recipient: int, platform: str, ref: str
    ) -> Outgoing:
        """The original grouped message again, resolved items as their ✅ line."""
        members = uow.outbox.in_message(ws, recipient, platform, ref)
        overlay: dict[int, str] = {}
        for member in members:
            vid = member.violation_id
            if vid is None:
                continue
            done = uow.outbox.by_dedup_key(ws, f"resolved:{vid}:{recipient}:{platform}")
            if done is not None:
                overlay[vid] = str(done.payload.get("text", "✅ Resolved"))
        return group_message([m.payload for m in members], recipient, overlay, edit_ref=ref)

    def _job(
        self,
        uow: UnitOfWork,
        action: str,
        key: tuple[int, int, str],
        rows: list[NotificationRecord],
        message: Outgoing,
    ) -> _Job:
        ws, person_id, platform = key
        person = uow.people.get(ws, person_id)
        identity = next(
            (ext for plat, ext in uow.outbox.identities_of(ws, [person_id])[person_id]
             if plat == platform),
            None,
        )
        recipient = Recipient(ws, person_id, person.name if person else f"person {person_id}")
        return _Job(action, ws, recipient, platform, identity, rows, message)

    # -- delivering ---------------------------------------------------------------

    def _deliver(self, job: _Job, now: datetime, result: DispatchResult) -> None:
        port = self.ports.get(job.platform) or self.ports.get(ANY_PLATFORM)
        ref = job.ref
        error: BaseException | None = None
        if port is None:
            error = PermanentError(f"no adapter for platform '{job.platform}'")
        else:
            try:
                if job.action == "send":
                    ref = port.send(job.recipient, job.identity, job.message)
                else:
                    assert job.ref is not None
                    port.edit(job.ref, job.message)
            except Exception as exc:  # a port failure must never stop the others
                error = exc
        delivery = Delivery(
            job.action,
            job.recipient.person_id,
            job.platform,
            tuple(job.rows),
            job.message,
            ref,
            None if error is None else f"{type(error).__name__}: {error}",
        )
        with self.uow_factory() as uow:
            if error is None:
                for row in job.rows:
                    uow.outbox.mark_sent(row.id, now, ref)
                (result.sent if job.action == "send" else result.edited).append(delivery)
            else:
                self._record_failure(uow, job, error, now, delivery, result)
            uow.commit()

    def _record_failure(
        self,
        uow: UnitOfWork,
        job: _Job,
        error: BaseException,
        now: datetime,
        delivery: Delivery,
        result: DispatchResult,
    ) -> None:
        message = delivery.error or str(error)
        permanent = isinstance(error, PermanentError)
        if not permanent and not isinstance(error, TransientError):
            log.warning("unexpected error from the %s port (will retry): %s", job.platform, error)
        retry_after = error.retry_after if isinstance(error, TransientError) else None
        gave_up = False
        for row in job.rows:
            attempts = row.attempts + 1
            if permanent or attempts >= self.max_attempts:
                gave_up = True
                note = message if permanent else f"gave up after {attempts} attempts: {message}"
                uow.outbox.mark_failed(row.id, note)
            else:
                uow.outbox.mark_retry(row.id, now + self.backoff(attempts, retry_after), message)
        (result.failed if gave_up else result.retried).append(delivery)


def _payload_message(row: NotificationRecord) -> Outgoing:
    """A digest or reply row: ``payload = {"text": ..., "sections": [...]}``."""
    from bot.messages import Button, Section

    payload: dict[str, Any] = row.payload
    sections = []
    for s in payload.get("sections") or [{"text": payload.get("text", "")}]:
        buttons = tuple(
            Button(str(b["label"]), str(b["action"]), dict(b.get("args") or {}))
            for b in s.get("buttons") or ()
        )
        sections.append(Section(str(s.get("text", "")), buttons))
    return Outgoing(tuple(sections))
