"""The whole team's standup, posted once a day to the workspace's ``digest.channel``."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Outgoing, Section
from bot.notify.digest import digest_payload
from bot.notify.digest_sections import team_sections
from bot.notify.digest_time import digest_due, since_last_digest
from bot.notify.notice_context import workspace_platform
from engine import calendar as cal_ops
from engine.model import Role
from storage.uow import UnitOfWork


def queue_team_digest(uow: UnitOfWork, ws: int, now: datetime) -> bool:
    """Post the whole team's digest to the workspace's ``digest.channel`` once a day."""
    record = uow.workspaces.get(ws)
    channel = str(record.settings.get("digest.channel") or "") if record else ""
    if record is None or not channel:
        return False
    cal = record.calendar
    local = cal_ops.to_local(cal, now)
    if not digest_due(cal, record.settings, None, now):
        return False
    key = f"team-digest:{ws}:{local.date().isoformat()}:{channel}"
    if uow.outbox.by_dedup_key(ws, key) is not None:
        return False  # already out today: do not build it again
    admins = [p for p in uow.people.list(ws, active_only=True) if p.role is Role.ADMIN]
    if not admins:
        return False
    since = since_last_digest(cal, record.settings, None, local.date())
    payload = team_digest_payload(uow, ws, now, since, channel)
    platform = workspace_platform(record.key)
    return uow.outbox.queue(ws, admins[0].id, platform, "digest", payload, key, now, now)


def team_digest_payload(
    uow: UnitOfWork, ws: int, now: datetime, since: datetime | None, channel: str
) -> dict[str, object]:
    """The team digest's outbox payload as of ``now`` (problems new since ``since``)."""
    record = uow.workspaces.get(ws)
    cal = record.calendar if record is not None else None
    local = cal_ops.to_local(cal, now) if cal is not None else now
    head = Section(f"☀ Team standup — {local:%a} {local.day} {local:%b}")
    start = since or now
    sections = [head] + (team_sections(uow, ws, None, now, start) or [Section("No one yet.")])
    return {**digest_payload(Outgoing(tuple(sections)), since, now), "channel": channel}
