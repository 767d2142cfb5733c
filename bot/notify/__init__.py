"""Notifications: routing, the transactional outbox, escalation, quiet hours, dispatch.

* ``routing``    — who hears about a violation (pure).
* ``hours``      — quiet hours and ladder timing (pure working-time arithmetic).
* ``notifier``   — queue outbox rows in the caller's transaction.
* ``escalation`` — the ladder job.
* ``render``     — payloads and the grouped / edited messages.
* ``ports``      — ``NotificationPort`` and its recording and console implementations.
* ``dispatcher`` — claim, group, send, retry, record.
* ``home``       — publish the My Tasks of people whose tasks changed (Slack App Home).
* ``status``     — ``status_report`` for ``vigil status``.

Nothing is re-exported here: importing any ``bot.notify.x`` runs this file first,
and re-exports would make every importer load the dispatcher, the digests and
the views behind them (an import circle through ``bot.views``).
"""
