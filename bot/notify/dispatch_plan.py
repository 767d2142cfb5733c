"""The planning step of a dispatch pass: claimed outbox rows become messages.

See ``bot.notify.dispatcher`` for the whole pass; this step runs in one
transaction and decides what is sent, edited, skipped or put back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.messages import Outgoing
from bot.notify import digest_fresh, hours, wording
from bot.notify.ports import Recipient
from bot.notify.render import group_message
from storage.records import NotificationRecord
from storage.uow import UnitOfWork


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
class Job:
    """One platform call to make: a send or an edit, and the rows it carries."""

    action: str
    ws: int
    recipient: Recipient
    platform: str
    identity: str | None
    rows: list[NotificationRecord]
    message: Outgoing
    ref: str | None = None


def plan(
    uow_factory: Callable[[], UnitOfWork],
    rows: list[NotificationRecord],
    now: datetime,
    result: DispatchResult,
    token: str,
    edit_wait: timedelta,
    rebuild_digests_after: timedelta,
) -> list[Job]:
    """Turn claimed rows into the pass's messages (one transaction, read mostly).

    Alerts whose problem is gone are skipped, snoozed ones put back; one
    person's due alerts on one platform become one grouped message; resolved
    rows become an edit of the message that carried their alert; digests are
    rebuilt when they waited longer than ``rebuild_digests_after``.
    """
    jobs: list[Job] = []
    with uow_factory() as uow:
        alerts: dict[tuple[int, int, str], list[NotificationRecord]] = defaultdict(list)
        resolved: dict[tuple[int, int, str, str], list[NotificationRecord]] = defaultdict(
            list
        )
        for row in rows:
            if row.kind == "alert":
                if _hold_alert(uow, row, now, result, token):
                    continue
                alerts[(row.workspace_id, row.recipient_id, row.platform)].append(row)
            elif row.kind == "resolved":
                ref = _original_ref(uow, row, now, result, token, edit_wait)
                if ref is not None:
                    key = (row.workspace_id, row.recipient_id, row.platform, ref)
                    resolved[key].append(row)
            else:  # digest / reply: a ready-made message in the payload
                row = digest_fresh.as_of_sending(uow, row, now, rebuild_digests_after)
                key3 = (row.workspace_id, row.recipient_id, row.platform)
                job = _job(uow, "send", key3, [row], _payload_message(row))
                channel = row.payload.get("channel")
                if channel:  # the team digest goes to a channel or group, not a DM
                    job = replace(job, identity=str(channel))
                jobs.append(job)
        for key3, group in sorted(alerts.items()):
            group = wording.reworded(uow, key3[0], group, now)  # as of sending
            message = group_message([g.payload for g in group], key3[1])
            jobs.append(_job(uow, "send", key3, group, message))
        for key4, group in sorted(resolved.items()):
            ws, recipient, platform, ref = key4
            message = _edited_message(uow, ws, recipient, platform, ref)
            job = _job(uow, "edit", (ws, recipient, platform), group, message)
            job.ref = ref
            jobs.append(job)
        uow.commit()  # the skips and deferrals made while planning
    return jobs

def _hold_alert(
    uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult,
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
    uow: UnitOfWork, row: NotificationRecord, now: datetime, result: DispatchResult,
    token: str, edit_wait: timedelta,
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
        uow.outbox.reschedule(row.id, now + edit_wait, token)  # wait for the alert's ref
        result.deferred.append(row.id)
        return None
    uow.outbox.mark_sent(row.id, now, None, "skipped: the alert was never delivered", token)
    result.skipped.append(row.id)
    return None

def _edited_message(
    uow: UnitOfWork, ws: int, recipient: int, platform: str, ref: str
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
    uow: UnitOfWork,
    action: str,
    key: tuple[int, int, str],
    rows: list[NotificationRecord],
    message: Outgoing,
) -> Job:
    ws, person_id, platform = key
    person = uow.people.get(ws, person_id)
    identity = next(
        (ext for plat, ext in uow.outbox.identities_of(ws, [person_id])[person_id]
         if plat == platform),
        None,
    )
    recipient = Recipient(ws, person_id, person.name if person else f"person {person_id}")
    return Job(action, ws, recipient, platform, identity, rows, message)


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
