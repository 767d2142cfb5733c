"""One message, one transaction — from BEGIN to COMMIT inside the error handling.

``answer_in_transaction`` runs a conversation step in a fresh unit of work and
turns every database fault into an honest reply:

* the database refused or dropped the transaction before it committed
  (PostgreSQL serialization failure or deadlock, SQLite "database is locked",
  a connection lost mid-way): nothing is stored, so the step runs again, a few
  times with a short growing pause (``RETRY_PAUSES``); if the database stays
  away: "nothing was changed — try again";
* the connection failed during COMMIT, so the change may or may not be stored:
  each transaction writes a one-off marker (``seen_events``, kind ``commit``)
  with its change, and a fresh transaction looks for it — found: the change is
  stored and the prepared answer is given; absent: nothing was stored and the
  step runs again; the database unreachable even for that: "I could not confirm
  that — check with `show`", never "nothing was changed".
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from bot.messages import Outgoing
from storage.errors import CommitUnconfirmed, is_retryable
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.conversation")

RETRY_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)  # seconds; about 3 s in all
MARKER_KIND = "commit"

BUSY = ("⚠ I can't reach the database right now, so nothing was changed. "
        "Please try again in a minute.")
UNCONFIRMED = ("⚠ I could not confirm that — check with `show` before trying again "
               "(the database stopped answering while I was saving it).")
INTERNAL = "Something went wrong on my side; nothing was changed."

# A step: (answer, whether to commit) from an open unit of work.
Step = Callable[[UnitOfWork], tuple[Outgoing, bool]]


def answer_in_transaction(
    uow_factory: Callable[[], UnitOfWork],
    now: Callable[[], datetime],
    step: Step,
    what: object = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outgoing:
    """Run ``step`` in its own transaction and commit when it asks to; see the module doc."""
    for pause in (*RETRY_PAUSES, None):
        marker = uuid.uuid4().hex
        try:
            return _attempt(uow_factory, now, step, marker)
        except _Unconfirmed as exc:
            stored = _marker_stored(uow_factory, marker)
            if stored is None:
                log.error("commit unconfirmed for %r: %s", what, exc.__cause__)
                return Outgoing.say(UNCONFIRMED)
            if stored:
                log.warning("commit acknowledgement lost for %r, but the change is stored", what)
                return exc.out
            log.warning("commit failed for %r and nothing was stored; running it again", what)
        except Exception as exc:
            if not is_retryable(exc):
                log.exception("handler failed for %r", what)
                return Outgoing.say(INTERNAL)
            log.warning("database refused %r for now (%s); %s", what, _short(exc),
                        "retrying" if pause is not None else "giving up")
        if pause is not None:
            sleep(pause)
    return Outgoing.say(BUSY)


class _Unconfirmed(Exception):
    """COMMIT failed without an answer; ``out`` is the reply prepared for success."""

    def __init__(self, out: Outgoing) -> None:
        super().__init__("commit unconfirmed")
        self.out = out


def _attempt(uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime], step: Step,
             marker: str) -> Outgoing:
    with uow_factory() as uow:
        out, commit = step(uow)
        if commit:
            uow.seen.first_time(MARKER_KIND, marker, now())
            try:
                uow.commit()
            except CommitUnconfirmed as exc:
                raise _Unconfirmed(out) from exc
        return out


def _marker_stored(uow_factory: Callable[[], UnitOfWork], marker: str) -> bool | None:
    """Whether the transaction carrying ``marker`` committed (None: cannot tell)."""
    try:
        with uow_factory() as uow:
            return uow.seen.recorded(MARKER_KIND, marker)
    except Exception as exc:  # the database is still away: the outcome stays unknown
        log.warning("could not check the commit marker: %s", _short(exc))
        return None


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
