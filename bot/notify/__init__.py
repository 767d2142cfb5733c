"""Notifications: routing, the transactional outbox, escalation, quiet hours, dispatch.

* ``routing``    — who hears about a violation (pure).
* ``hours``      — quiet hours and ladder timing (pure working-time arithmetic).
* ``notifier``   — queue outbox rows in the caller's transaction; the ladder job.
* ``render``     — payloads and the grouped / edited messages.
* ``ports``      — ``NotificationPort`` and its recording and console implementations.
* ``dispatcher`` — claim, group, send, retry, record.
* ``home``       — publish the My Tasks of people whose tasks changed (Slack App Home);
  not re-exported here: it builds views, which import the evaluation, which imports
  this package.
* ``status``     — ``status_report`` for ``vigil status``.
"""

from bot.notify.dispatcher import Dispatcher, DispatchResult
from bot.notify.escalation import escalate
from bot.notify.notice_context import Notice
from bot.notify.notifier import notify_events
from bot.notify.ports import (
    ConsolePort,
    NotificationPort,
    PermanentError,
    Recipient,
    RecordingPort,
    TransientError,
)

__all__ = [
    "ConsolePort",
    "DispatchResult",
    "Dispatcher",
    "Notice",
    "NotificationPort",
    "PermanentError",
    "Recipient",
    "RecordingPort",
    "TransientError",
    "escalate",
    "notify_events",
]
