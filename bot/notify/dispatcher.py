"""Deliver due outbox rows through the platform ports.

One ``run_once`` pass:

1. **claim** (own short transaction): due rows become ``sending`` with a lease
   and this pass's fencing token (``OutboxRepository.claim_due``: ``FOR UPDATE
   SKIP LOCKED`` on PostgreSQL, the single SQLite writer otherwise); due
   digests first, so at 09:00 nobody's digest waits behind the alerts quiet
   hours held overnight for everybody (at least one claimed row in five is
   left to the others while both wait);
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
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.notify import digest_fresh
from bot.notify.dispatch_plan import Delivery, DispatchResult, Job, plan
from bot.notify.ports import (
    DeliveryLookup,
    NotificationPort,
    PermanentError,
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
        jobs = plan(self.uow_factory, rows, now, result, token, self.edit_wait,
                    self.rebuild_digests_after)
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

    def _put_back(self, job: Job, at: datetime, token: str, result: DispatchResult) -> None:
        with self.uow_factory() as uow:
            for row in job.rows:
                if uow.outbox.reschedule(row.id, at, token):
                    result.deferred.append(row.id)
            uow.commit()

    # -- delivering ---------------------------------------------------------------

    def _deliver(
        self, job: Job, now: datetime, result: DispatchResult, token: str
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
        self, port: NotificationPort, job: Job, now: datetime, result: DispatchResult,
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
        job: Job,
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
