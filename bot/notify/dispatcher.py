"""Deliver due outbox rows through the platform ports.

One ``run_once`` pass:

1. **claim** (own short transaction): due rows become ``sending`` with a lease
   and this pass's fencing token (``OutboxRepository.claim_due``: ``FOR UPDATE
   SKIP LOCKED`` on PostgreSQL, the single SQLite writer otherwise);
2. **plan** (read-only): alerts whose violation resolved meanwhile are
   skipped, snoozed ones put back until the snooze ends; the remaining due
   alerts of one person on one platform become ONE grouped message; resolved
   rows become one edit per original message;
3. **deliver** through the port, outside any transaction — each message only
   after renewing the lease of every row the pass still holds (the fencing
   check: a row another pass took over is not sent);
4. **record** each outcome in its own transaction, only while the rows still
   carry the pass's token: ``sent`` with the platform reference, ``pending``
   with capped exponential backoff (at least ``Retry-After``; the pass never
   sleeps) for transient errors, ``failed`` for permanent ones or once the
   notice has been tried for ``max_age`` (``bot.notify.retry``).

Delivery guarantee: **exactly once where the platform allows, else at least
once**. A send whose answer was lost (timeout, cut connection, 5xx) or whose
claimant died leaves the row *in doubt*; before sending it again the pass asks
a port that can look messages up (``DeliveryLookup``: Slack finds the notice
ids in the DM's message metadata) and records the message found instead of
sending a second. A port without a lookup (Telegram) sends again. The dedup
key makes a second *row* for the same notice impossible.

Grouping is therefore "one message per person per dispatch pass": rows
written in one tick (one transaction) are due together and land in one
message; rows held by quiet hours are released together at the start of the
working period and also land in one message.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.messages import Outgoing
from bot.notify import digest_fresh, hours, wording
from bot.notify.ports import (
    DeliveryLookup,
    NotificationPort,
    PermanentError,
    Recipient,
    TransientError,
)
from bot.notify.render import group_message
from bot.notify.retry import DEFAULT_MAX_AGE, RetryPolicy, maybe_delivered
from storage.records import NotificationRecord
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.notify")

ANY_PLATFORM = "*"


# Notices claimed per pass. The pass plans them in one transaction (SQLite's
# write lock held), ~20-40 ms a notice under load at 100k tasks: 50 keeps that
# near a second, so the rule tick never waits long behind a morning's backlog.
DISPATCH_BATCH = 50

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
    # rows found already delivered after an attempt whose answer was lost
    recovered: list[int] = field(default_factory=list)
    # rows another pass took over before this one could send or record them
    lost_claim: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        rows = [d.rows for d in (*self.sent, *self.edited, *self.retried, *self.failed)]
        return (sum(len(r) for r in rows) + len(self.skipped) + len(self.deferred)
                + len(self.recovered) + len(self.lost_claim))


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
        batch: int = DISPATCH_BATCH,
        base_backoff: timedelta = timedelta(seconds=30),
        max_backoff: timedelta = timedelta(minutes=10),
        max_age: timedelta = DEFAULT_MAX_AGE,
        max_attempts: int | None = None,
        edit_wait: timedelta = timedelta(seconds=30),
        clock: Callable[[], datetime] | None = None,
        rebuild_digests_after: timedelta = digest_fresh.REBUILD_AFTER,
    ) -> None:
        """``clock``: the current time while a pass works (lease renewal and results);
        None: the pass's ``now`` throughout (fixed-clock tests, simulations).
        ``rebuild_digests_after``: a digest that waited this long is built again at
        sending (the console, which keeps notices until their person sits down: 0)."""
        self.uow_factory = uow_factory
        self.ports = dict(ports)
        self.lease = lease
        self.batch = batch
        self.policy = RetryPolicy(base_backoff, max_backoff, max_age, max_attempts)
        self.edit_wait = edit_wait
        self.clock = clock
        self.rebuild_digests_after = rebuild_digests_after
        # None: everybody's notices. The console sets the person at the keyboard, so a
        # notice for somebody else stays pending until they open the console.
        self.recipients: set[int] | None = None

    # -- public -----------------------------------------------------------------

    def run_once(self, now: datetime) -> DispatchResult:
        """One claim-plan-deliver-record pass at ``now``."""
        result = DispatchResult()
        token = uuid.uuid4().hex
        with self.uow_factory() as uow:
            platforms = None if ANY_PLATFORM in self.ports else list(self.ports)
            rows = uow.outbox.claim_due(now, self.lease, self.batch, platforms, token,
                                        recipients=self.recipients)
            uow.commit()
        if not rows:
            return result
        jobs = self._plan(rows, now, result, token)
        held = {row.id for job in jobs for row in job.rows}
        paused: dict[str, datetime] = {}  # platform -> rate-limited until
        for job in jobs:
            current = self.clock() if self.clock is not None else now
            held = self._renew(token, held, current)
            mine = [row for row in job.rows if row.id in held]
            result.lost_claim.extend(row.id for row in job.rows if row.id not in held)
            held -= {row.id for row in job.rows}  # settled by this job, whatever happens
            if not mine:
                continue
            job.rows = mine
            until = paused.get(job.platform)
            if until is not None and until > current:  # the platform said wait: no call now
                self._put_back(job, until, token, result)
                continue
            limited = self._deliver(job, current, result, token)
            if limited is not None:
                paused[job.platform] = limited
        return result

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Delay before the next try after ``attempts`` failed ones (>= Retry-After)."""
        return self.policy.backoff(attempts, retry_after)

    def _renew(self, token: str, held: set[int], now: datetime) -> set[int]:
        """Extend the lease of the rows this pass holds; those still held (fencing)."""
        if not held:
            return held
        with self.uow_factory() as uow:
            still = uow.outbox.renew(token, held, now + self.lease)
            uow.commit()
        if still != held:
            log.warning("dispatch: %d row(s) taken over by another pass; not sending them",
                        len(held - still))
        return still

    def _put_back(self, job: _Job, at: datetime, token: str, result: DispatchResult) -> None:
        with self.uow_factory() as uow:
            for row in job.rows:
                if uow.outbox.reschedule(row.id, at, token):
                    result.deferred.append(row.id)
            uow.commit()

    # -- planning ---------------------------------------------------------------

    def _plan(
        self, rows: list[NotificationRecord], now: datetime, result: DispatchResult, token: str
    ) -> list[_Job]:
        jobs: list[_Job] = []
        with self.uow_factory() as uow:
            alerts: dict[tuple[int, int, str], list[NotificationRecord]] = defaultdict(list)
            resolved: dict[tuple[int, int, str, str], list[NotificationRecord]] = defaultdict(
                list
            )
            for row in rows:
                if row.kind == "alert":
                    if self._hold_alert(uow, row, now, result, token):
                        continue
                    alerts[(row.workspace_id, row.recipient_id, row.platform)].append(row)
                elif row.kind == "resolved":
                    ref = self._original_ref(uow, row, now, result, token)
                    if ref is not None:
                        key = (row.workspace_id, row.recipient_id, row.platform, ref)
                        resolved[key].append(row)
                else:  # digest / reply: a ready-made message in the payload
                    row = digest_fresh.as_of_sending(uow, row, now, self.rebuild_digests_after)
                    key3 = (row.workspace_id, row.recipient_id, row.platform)
                    job = self._job(uow, "send", key3, [row], _payload_message(row))
                    channel = row.payload.get("channel")
                    if channel:  # the team digest goes to a channel or group, not a DM
                        job = replace(job, identity=str(channel))
                    jobs.append(job)
            for key3, group in sorted(alerts.items()):
                group = wording.reworded(uow, key3[0], group, now)  # as of sending
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
        self, uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult,
        token: str,
    ) -> bool:
        """Skip an alert whose problem is gone; put back a snoozed one. True: not sent now."""
        if row.violation_id is None:
            return False
        violation = uow.violations.get(row.workspace_id, row.violation_id)
        if violation is None or violation.state != "firing":
            uow.outbox.mark_sent(row.id, now, None, "skipped: resolved before delivery", token)
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
            uow.outbox.reschedule(row.id, at, token)
            result.deferred.append(row.id)
            return True
        return False

    def _original_ref(
        self, uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult,
        token: str,
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
            uow.outbox.reschedule(row.id, now + self.edit_wait, token)  # wait for the alert's ref
            result.deferred.append(row.id)
            return None
        uow.outbox.mark_sent(row.id, now, None, "skipped: the alert was never delivered", token)
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

    def _deliver(
        self, job: _Job, now: datetime, result: DispatchResult, token: str
    ) -> datetime | None:
        """Send or edit one message and record it; the rate limit's end when limited."""
        port = self.ports.get(job.platform) or self.ports.get(ANY_PLATFORM)
        ref = job.ref
        error: BaseException | None = None
        if port is None:
            error = PermanentError(f"no adapter for platform '{job.platform}'")
        else:
            try:
                if job.action == "send":
                    if not self._already_delivered(port, job, now, result, token):
                        return None
                    message = replace(job.message, notice_ids=tuple(r.id for r in job.rows))
                    ref = port.send(job.recipient, job.identity, message)
                else:
                    assert job.ref is not None
                    port.edit(job.ref, job.message)  # an edit is idempotent: no lookup
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
                # The payload as sent (worded at this pass): an edit re-renders exactly it.
                recorded = [uow.outbox.mark_sent(row.id, now, ref, token=token,
                                                 payload=row.payload
                                                 if row.kind in ("alert", "digest") else None)
                            for row in job.rows]
                self._note_lost(job.rows, recorded, result)
                (result.sent if job.action == "send" else result.edited).append(delivery)
            else:
                self._record_failure(uow, job, error, now, delivery, result, token)
            uow.commit()
        if isinstance(error, TransientError) and error.retry_after:
            return now + timedelta(seconds=min(error.retry_after, 86_400.0))
        return None

    def _already_delivered(
        self, port: NotificationPort, job: _Job, now: datetime, result: DispatchResult,
        token: str,
    ) -> bool:
        """Settle the job's in-doubt rows with the port's lookup; True: something to send.

        Rows found in the recipient's conversation are recorded as sent with the
        message found; the job keeps the others, and its message is rebuilt for
        them when it grouped alerts. Without a lookup the rows are sent again.
        """
        doubtful = tuple(row.id for row in job.rows if row.in_doubt)
        if not doubtful:
            return True
        if not isinstance(port, DeliveryLookup):
            log.info("dispatch: %d notice(s) in doubt on %s, which cannot look messages up; "
                     "sending again", len(doubtful), job.platform)
            return True
        found = port.delivered(job.recipient, job.identity, doubtful)
        if not found:
            return True
        with self.uow_factory() as uow:
            for row in job.rows:
                if row.id in found and uow.outbox.mark_sent(row.id, now, found[row.id],
                                                            token=token):
                    result.recovered.append(row.id)
            uow.commit()
        rest = [row for row in job.rows if row.id not in found]
        if not rest:
            return False
        if len(rest) != len(job.rows) and all(row.kind == "alert" for row in rest):
            job.message = group_message([row.payload for row in rest], job.recipient.person_id)
        job.rows = rest
        return True

    @staticmethod
    def _note_lost(rows: list[NotificationRecord], recorded: list[bool],
                   result: DispatchResult) -> None:
        lost = [row.id for row, ok in zip(rows, recorded, strict=True) if not ok]
        if lost:
            log.warning("dispatch: the claim on %s ran out before the result was recorded", lost)
            result.lost_claim.extend(lost)

    def _record_failure(
        self,
        uow: UnitOfWork,
        job: _Job,
        error: BaseException,
        now: datetime,
        delivery: Delivery,
        result: DispatchResult,
        token: str,
    ) -> None:
        message = delivery.error or str(error)
        if not isinstance(error, (PermanentError, TransientError)):
            log.warning("unexpected error from the %s port (will retry): %s", job.platform, error)
        retry_after = error.retry_after if isinstance(error, TransientError) else None
        doubt = maybe_delivered(error)
        gave_up = False
        recorded = []
        for row in job.rows:
            reason = self.policy.give_up(row, error, now)
            if reason is not None:
                gave_up = True
                recorded.append(uow.outbox.mark_failed(row.id, reason, token))
            else:
                at = now + self.policy.backoff(row.attempts + 1, retry_after)
                recorded.append(uow.outbox.mark_retry(row.id, at, message, token,
                                                      in_doubt=doubt or row.in_doubt))
        self._note_lost(job.rows, recorded, result)
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
