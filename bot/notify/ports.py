"""Where notices leave Vigil: one ``NotificationPort`` per platform.

A port is synchronous (the dispatcher runs in a worker thread). It raises
``TransientError`` (optionally with ``retry_after`` seconds, e.g. from an HTTP
429 ``Retry-After`` header) for anything worth retrying, and
``PermanentError`` for anything that will never work (unknown user, bot
removed from the chat). Any other exception counts as transient.

A port whose platform has a per-person home screen (Slack's App Home) also
implements ``HomePort``; ``bot.notify.home`` keeps that screen current.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from bot.messages import Outgoing


class DeliveryError(Exception):
    """Base of the errors a port may raise."""


class TransientError(DeliveryError):
    """Try again later; ``retry_after`` (seconds) is the earliest the platform allows.

    ``maybe_delivered``: the platform may have acted on the call although no
    answer came back (a timeout, a cut connection, a 5xx after the request);
    the next attempt first asks the platform, where it can (``DeliveryLookup``).
    """

    def __init__(self, message: str = "temporary failure", retry_after: float | None = None,
                 maybe_delivered: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_delivered = maybe_delivered


class PermanentError(DeliveryError):
    """Never try this notice again."""


@dataclass(frozen=True)
class Recipient:
    """Who a notice is for, in Vigil's terms."""

    workspace_id: int
    person_id: int
    name: str


class NotificationPort(Protocol):
    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        """Deliver a new message; return the platform reference for later edits."""
        ...

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        """Replace a delivered message in place."""
        ...


@runtime_checkable
class DeliveryLookup(Protocol):
    """Optional capability of a port: find notices that already reached a person.

    Messages carry their notice ids (``Outgoing.notice_ids``, e.g. as Slack
    message metadata); after an attempt whose answer was lost, the dispatcher
    asks before sending again.
    """

    def delivered(self, recipient: Recipient, platform_identity: str | None,
                  notice_ids: tuple[int, ...]) -> dict[int, str]:
        """Of ``notice_ids``, those already delivered -> the reference of their message."""
        ...


@runtime_checkable
class HomePort(Protocol):
    """Optional capability of a port: replace a person's home screen."""

    def publish_home(
        self, recipient: Recipient, platform_identity: str, message: Outgoing
    ) -> None:
        """Show ``message`` as the person's home screen (idempotent: the latest wins)."""
        ...


class LostAnswer(Exception):
    """For ``RecordingPort.failures``: the send arrives, then ``error`` is raised."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class Sent:
    recipient: Recipient
    platform_identity: str | None
    message: Outgoing
    ref: str


@dataclass(frozen=True)
class Edited:
    ref: str
    message: Outgoing


@dataclass(frozen=True)
class Published:
    recipient: Recipient
    platform_identity: str
    message: Outgoing


@dataclass
class RecordingPort:
    """Keeps every send, edit and home publish in memory; ``failures`` are raised first.

    Each entry of ``failures`` is an exception to raise on the next call (send,
    edit or publish_home), or None for a call that succeeds. A ``LostAnswer``
    entry delivers the send and then raises its error, like a platform whose
    answer never came back. ``lookup``: ``delivered`` finds the notices it sent.
    """

    prefix: str = "msg"
    failures: list[BaseException | None] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    edits: list[Edited] = field(default_factory=list)
    homes: list[Published] = field(default_factory=list)
    calls: int = 0
    lookup: bool = False
    _ids: Iterable[int] = field(default_factory=lambda: itertools.count(1))

    def _maybe_fail(self) -> None:
        self.calls += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure is not None:
                raise failure

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        lost = self.failures[0] if self.failures else None
        if isinstance(lost, LostAnswer):
            self.failures.pop(0)
            self.calls += 1
            self._record(recipient, platform_identity, message)
            raise lost.error
        self._maybe_fail()
        return self._record(recipient, platform_identity, message)

    def _record(self, recipient: Recipient, platform_identity: str | None,
                message: Outgoing) -> str:
        ref = f"{self.prefix}-{next(iter(self._ids))}"
        self.sent.append(Sent(recipient, platform_identity, message, ref))
        return ref

    def delivered(self, recipient: Recipient, platform_identity: str | None,
                  notice_ids: tuple[int, ...]) -> dict[int, str]:
        """Like Slack's history lookup: notices found in messages sent to the person.

        Without ``lookup`` nothing is ever found (a platform with no message tags).
        """
        if not self.lookup:
            return {}
        self._maybe_fail()
        wanted = set(notice_ids)
        return {nid: s.ref for s in self.sent if s.recipient == recipient
                for nid in s.message.notice_ids if nid in wanted}

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        self._maybe_fail()
        self.edits.append(Edited(platform_ref, message))

    def publish_home(
        self, recipient: Recipient, platform_identity: str, message: Outgoing
    ) -> None:
        self._maybe_fail()
        self.homes.append(Published(recipient, platform_identity, message))

    def to(self, person_id: int) -> list[Sent]:
        """Messages sent to one person."""
        return [s for s in self.sent if s.recipient.person_id == person_id]


class ConsolePort:
    """Prints notices (``vigil run`` without chat platforms, local demos)."""

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write
        self._ids = itertools.count(1)

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        ref = f"console-{next(self._ids)}"
        self.write(f"── to {recipient.name} [{ref}] ──\n{_text(message)}")
        return ref

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        self.write(f"── edit [{platform_ref}] ──\n{_text(message)}")


def _text(message: Outgoing) -> str:
    lines = []
    for section in message.sections:
        lines.append(section.text)
        if section.buttons:
            lines.append("   " + "  ".join(f"[{b.label}]" for b in section.buttons))
    return "\n".join(lines)
