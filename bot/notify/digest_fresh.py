"""A digest says what is true when it is read, not when it was queued.

The digest job builds each person's standup in the morning and the
dispatcher usually sends it the same minute. When it waits — the platform
was down and the notice is retried an hour later, or (in ``vigil console``)
it is kept until that person sits at the keyboard — the queued text may say
"Nothing due, nothing at risk 🎉" about someone who has had three deadlines
since. So a digest that waited ten minutes or more is built again at
sending, from the same "since" instant; the team digest posted to a channel
is too. Not sooner: a big workspace's morning queue drains over minutes, and
rebuilding every digest in it would double the morning's work (at 1M tasks,
50,000 digests) to say what was true a few minutes earlier anyway.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.notify.digest import digest, digest_payload
from bot.notify.team_digest import team_digest_payload
from storage.records import NotificationRecord
from storage.uow import UnitOfWork

REBUILD_AFTER = timedelta(minutes=10)  # sent within ten minutes of building: as it is


def as_of_sending(
    uow: UnitOfWork, row: NotificationRecord, now: datetime, after: timedelta = REBUILD_AFTER
) -> NotificationRecord:
    """``row`` with its digest rebuilt at ``now`` when it waited ``after`` or longer;
    any other row unchanged."""
    if row.kind != "digest" or "built_at" not in row.payload:
        return row  # replies, full-check summaries and digests queued before this existed
    if now - datetime.fromisoformat(str(row.payload["built_at"])) < after:
        return row
    raw = row.payload.get("since")
    since = datetime.fromisoformat(str(raw)) if raw else None
    channel = row.payload.get("channel")
    if channel:
        payload = team_digest_payload(uow, row.workspace_id, now, since, str(channel))
    else:
        person = uow.people.get(row.workspace_id, row.recipient_id)
        if person is None:
            return row
        payload = digest_payload(digest(uow, row.workspace_id, person, now, since), since, now)
    return replace(row, payload=payload)
