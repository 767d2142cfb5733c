"""'undo', 'undo that', 'oops, undo': the speaker's last change to the task of this chat, put back.

The task is the one this chat talked about last (the topic, as for "it"); the
change is the speaker's latest entry, or entries made together, in that task's
activity log, at most FRESH old. A task the speaker added is deleted (they created
it, so they may); a field change is applied in reverse through the same service as
any change, so rules, alerts and Homes follow. When someone else changed the task
since, or the field no longer holds what the speaker set, nothing is undone and the
reply says why. "undo" again puts the change back (the undo is itself a change).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bot.handlers import lifecycle
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.messages import Outgoing, Section
from bot.services.tasks import EDITABLE, logged
from bot.views.replies import local_when
from engine.model import Task
from storage.records import ActivityRecord

FRESH = timedelta(minutes=15)  # older than this, "undo" is not about the change just made
_UNDO_RE = re.compile(
    r"^(?:oops|sorry|no|wait)?[,!.\s]*(?:please\s+)?(?:undo|revert|take\s+(?:that|it)\s+back)"
    r"(?:\s+(?:that|it|this|the\s+last(?:\s+(?:one|change))?|my\s+last\s+change))?"
    r"(?:[,\s]+please)?[\s.!]*$",
    re.I,
)
_DATES = frozenset({"due", "start"})
NOTHING = ("There is nothing of yours to undo here: I undo the last change you made to the "
           "task this chat is about, within 15 minutes. Nothing was changed.")


def is_undo(text: str) -> bool:
    """True for "undo", "undo that", "oops, undo", "revert that", "take it back"."""
    return bool(_UNDO_RE.match(text.strip().replace("’", "'")))


def handle(req: Request, text: str) -> Outgoing | None:
    """Undo the speaker's last change to the chat's task, or None when ``text`` is no undo."""
    if not is_undo(text):
        return None
    task = req.topic_task()
    if task is None:
        return Outgoing.say(NOTHING)
    log = req.uow.activity.for_task(req.ws, task.id)
    mine = _last_change(log, req.person.id, req.now)
    if not mine:
        return Outgoing.say(NOTHING)
    since = [e for e in log if e.id > mine[-1].id and e.human and e.actor_id != req.person.id]
    if since:
        who = req.uow.people.get(req.ws, since[-1].actor_id) if since[-1].actor_id else None
        name = who.name if who is not None else "someone"
        return Outgoing.say(f"⚠ {name} changed #{task.number} after you, so I left it as it "
                            "is. Nothing was changed.")
    if any(e.kind == "created" for e in mine):
        return _unmake(req, task)
    return _put_back(req, task, mine, log)


def _last_change(log: list[ActivityRecord], person_id: int,
                 now: datetime) -> list[ActivityRecord]:
    """The speaker's newest entries that were made together, if fresh.

    One change logs one entry per field, all at one instant; walking back from the newest,
    a field seen twice or the task's creation starts an earlier change (a fixed clock, or
    two changes in one instant, would otherwise merge them).
    """
    own = [e for e in log if e.actor_id == person_id and e.human and e.kind != "note"]
    if not own or now - own[-1].at > FRESH:
        return []
    if own[-1].kind == "created":
        return [own[-1]]
    change: list[ActivityRecord] = []
    for e in reversed(own):
        if e.at != own[-1].at or e.kind == "created" or any(c.kind == e.kind for c in change):
            break
        change.append(e)
    return change[::-1]


def _unmake(req: Request, task: Task) -> Outgoing:
    """The task the speaker just added goes again (they created it, so they may delete it)."""
    out = lifecycle.delete(req, task)
    head = Section(f"↩ Undone: #{task.number} {task.title} is removed.")
    return Outgoing((head,) + out.sections[1:])  # after the head: what it did to other work


def _put_back(req: Request, task: Task, entries: list[ActivityRecord],
              log: list[ActivityRecord]) -> Outgoing:
    changes: dict[str, Any] = {}
    for e in entries:
        if e.kind not in EDITABLE or not isinstance(e.before, dict):
            continue
        now_value, set_value = logged(getattr(task, e.kind)), (e.after or {}).get(e.kind)
        if now_value != set_value:  # changed again since (by Vigil, a recurrence, a rule)
            return Outgoing.say(f"⚠ #{task.number} is no longer as you left it, so I left it "
                                "as it is. Nothing was changed.")
        changes[e.kind] = _value(e.kind, e.before.get(e.kind))
    if not changes:
        return Outgoing.say(NOTHING)
    if changes.get("status") == "blocked" and "blocked_reason" not in changes:
        # an unblock clears the reason without logging it: the block's own entry has it
        reasons = [e.after.get("blocked_reason") for e in log
                   if e.kind == "blocked_reason" and isinstance(e.after, dict)]
        changes["blocked_reason"] = next((r for r in reversed(reasons) if r), None)
    outcome = th.change(req, task, **changes)
    return th.reply(req, f"↩ Undone: #{task.number} is {_said(req, changes)} again.",
                    outcome.task, outcome.events)


def _said(req: Request, changes: dict[str, Any]) -> str:
    """'60%', 'blocked', 'due Fri 11 Dec 17:00', 'with @tom' — what the fields are again."""
    parts = []
    for kind, value in changes.items():
        if kind == "progress":
            parts.append(f"{value}%")
        elif kind == "status":
            parts.append(str(value).replace("_", " "))
        elif kind == "due":
            when = local_when(req.workspace.calendar, req.tz, value, req.now) if value else None
            parts.append(f"due {when}" if when else "without a deadline")
        elif kind == "owner_id":
            owner = req.uow.people.get(req.ws, value) if value else None
            parts.append(f"with @{owner.handle or owner.name}" if owner else "without an owner")
        elif kind == "title":
            parts.append(f"called “{value}”")
    return ", ".join(parts) or "as it was"


def _value(kind: str, stored: Any) -> Any:
    """An activity entry's stored value as the task field takes it."""
    if kind in _DATES and isinstance(stored, str):
        return datetime.fromisoformat(stored)
    if kind == "depends_on" and isinstance(stored, list):
        return tuple(stored)
    return stored
