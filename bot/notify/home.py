"""Keep each person's home screen (Slack's App Home) showing their current My Tasks.

The change path only marks people (``uow.homes.mark``; the unit of work writes
every mark of the transaction with the change, in one statement):

* a task created or changed: its owner, and the previous owner when it moved
  (``bot.services.tasks``, new occurrences in ``bot.services.obligations``);
* a task's violation fired, resolved or changed severity: the task's owner
  (``bot.notify.notifier.notify_events``) — this is how the tick's changes,
  which repaint health colours and problems, reach the Home.

``HomePublisher.run_once`` claims due marks (leased, so several processes
share the work), builds each person's My Tasks with the same view as the
``tasks`` command, publishes it through the platform's ``HomePort`` (outside
any transaction) and clears the mark only if nobody marked the person again
meanwhile; otherwise the person is published again on the next run. Any
number of changes between two runs become one publish. Rate limits and other
transient errors keep the mark and retry later (never before ``Retry-After``);
a permanent error (user gone, app uninstalled) and a person without an
identity on a platform with a home screen drop it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.handlers.request import Request
from bot.messages import Outgoing
from bot.notify.ports import HomePort, PermanentError, Recipient, TransientError
from bot.views.my_tasks import my_tasks
from storage.records import HomeMark
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.home")

# People claimed per run: a Home costs a My Tasks (~40 ms at 100k tasks), so a
# run stays near one second and the Home job yields to the rule tick often.
HOME_BATCH = 25


@dataclass
class HomeResult:
    """Person ids by outcome of one or more runs."""

    published: list[int] = field(default_factory=list)
    again: list[int] = field(default_factory=list)  # changed while publishing: next run
    retried: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return len(self.published) + len(self.again) + len(self.retried) + len(self.dropped)

    def add(self, other: HomeResult) -> None:
        for name in ("published", "again", "retried", "dropped"):
            getattr(self, name).extend(getattr(other, name))


@dataclass(frozen=True)
class _Job:
    mark: HomeMark
    platform: str
    identity: str
    recipient: Recipient
    message: Outgoing


def home_message(uow: UnitOfWork, ws: int, person_id: int, now: datetime) -> Outgoing | None:
    """The person's home screen: their My Tasks (None: no such person in ``ws``)."""
    workspace = uow.workspaces.get(ws)
    person = uow.people.get(ws, person_id)
    if workspace is None or person is None:
        return None
    return my_tasks(Request(uow, workspace, person, now))


class HomePublisher:
    """Publishes marked people's homes through the ports that have one.

    ``ports`` maps a platform to its port (as for the dispatcher); only ports
    implementing ``HomePort`` are used. Safe to run in several processes.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        ports: Mapping[str, object],
        *,
        batch: int = HOME_BATCH,
        lease: timedelta = timedelta(minutes=2),
        base_backoff: timedelta = timedelta(seconds=30),
        max_backoff: timedelta = timedelta(hours=1),
    ) -> None:
        self.uow_factory = uow_factory
        self.ports: dict[str, HomePort] = {
            name: port for name, port in ports.items() if isinstance(port, HomePort)
        }
        self.batch = batch
        self.lease = lease
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff

    @property
    def platforms(self) -> list[str]:
        """The platforms whose homes this publisher keeps (empty: nothing to do)."""
        return sorted(self.ports)

    def run_once(self, now: datetime) -> HomeResult:
        """Claim due marks and publish each person's home once."""
        result = HomeResult()
        if not self.ports:
            return result
        with self.uow_factory() as uow:
            marks = uow.homes.claim_due(now, self.lease, self.batch)
            uow.commit()
        for mark in marks:
            self._publish(mark, now, result)
        return result

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Delay after the ``attempts``-th failure in a row (at least ``retry_after``)."""
        delay = min(self.base_backoff * (2 ** max(0, attempts - 1)), self.max_backoff)
        if retry_after is not None and retry_after > 0:
            delay = max(delay, timedelta(seconds=retry_after))
        return delay

    # -- one person ------------------------------------------------------------------

    def _publish(self, mark: HomeMark, now: datetime, result: HomeResult) -> None:
        try:
            job = self._plan(mark, now)
        except Exception as exc:  # the database failed: keep the mark, try later
            log.exception("could not build the home of person %s", mark.person_id)
            self._record(mark, now, exc, result)
            return
        if job is None:
            self._record(mark, now, None, result, drop=True)
            return
        error: BaseException | None = None
        try:
            self.ports[job.platform].publish_home(job.recipient, job.identity, job.message)
        except Exception as exc:  # one person's failure must not stop the others
            error = exc
        self._record(mark, now, error, result)

    def _plan(self, mark: HomeMark, now: datetime) -> _Job | None:
        """What to publish where (None: nobody to publish to)."""
        ws, pid = mark.workspace_id, mark.person_id
        with self.uow_factory() as uow:
            # A person of a Slack workspace has one Slack identity; the first
            # identity on a platform with a home screen is the one to use.
            identities = uow.outbox.identities_of(ws, [pid]).get(pid, [])
            found = next(((p, ext) for p, ext in identities if p in self.ports), None)
            if found is None:
                return None
            message = home_message(uow, ws, pid, now)
            person = uow.people.get(ws, pid)
        if message is None or person is None:
            return None
        platform, identity = found
        return _Job(mark, platform, identity, Recipient(ws, pid, person.name), message)

    def _record(self, mark: HomeMark, now: datetime, error: BaseException | None,
                result: HomeResult, drop: bool = False) -> None:
        pid = mark.person_id
        if isinstance(error, PermanentError):
            log.warning("home of person %s not published, dropped: %s", pid, error)
            drop = True
        elif error is not None and not isinstance(error, TransientError):
            log.warning("unexpected error publishing the home of person %s (will retry): %s",
                        pid, error)
        try:
            with self.uow_factory() as uow:
                if error is None or drop:
                    cleared = uow.homes.clear(mark, now)
                    if drop:
                        result.dropped.append(pid)
                    else:
                        (result.published if cleared else result.again).append(pid)
                else:
                    retry_after = error.retry_after if isinstance(error, TransientError) else None
                    uow.homes.retry(mark, now + self.backoff(mark.attempts + 1, retry_after))
                    result.retried.append(pid)
                uow.commit()
        except Exception:  # the lease runs out and another run claims the mark again
            log.exception("could not record the home of person %s", pid)
