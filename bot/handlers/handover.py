"""'Sam, give the deck to Ana': a handover said to the person who holds the work.

Who may do it is DESIGN §9's rule for any change, judged as the speaker: the
owner, the creator, a manager of the project or of the owner, an admin. The
sentence is said *to* Sam, though, so Sam hears of it:

* the speaker may change the task — it is handed over, and Sam (when Sam owned
  it and is not the speaker) is told who gave it to whom;
* the speaker may not (a member asking for a colleague's work) — nothing changes
  behind Sam's back and nothing is refused into a dead end either: Sam is asked,
  with [Give #1 to Ana] [Keep it]; the tap is authorised as Sam (the owner).

A holder who does not own the task ("Leo, give the deck to Ana" when Sam owns
it) is only a way of speaking: the speaker's rights decide, as for any assign.
"""

from __future__ import annotations

from typing import Any

from bot.handlers import asking
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.messages import Outgoing
from bot.notify.notice_context import workspace_platform
from bot.permissions import can_change_task
from engine.model import Person, Task


def hand_over(req: Request, task: Task, holder_said: str | None,
              owner_said: str | None) -> Outgoing:
    """Assign ``task`` to ``owner_said`` on the speaker's rights, telling or asking the
    holder ("Sam, …") when it is someone else's work; no owner said: who should own it?"""
    if not owner_said:
        return asking.ask_owner(req, task)
    holder = req.uow.people.by_handle(req.ws, holder_said.lstrip("@")) if holder_said else None
    if holder is None or holder.id == req.person.id or task.owner_id != holder.id:
        return th.assign(req, task, owner_said)
    to = req.person_ref(owner_said)
    if to.id == holder.id:
        return th.assign(req, task, owner_said)  # "Sam, keep the deck": nothing to hand over
    if can_change_task(req.uow, req.ws, req.person, task).allowed:
        out = th.assign(req, task, owner_said)
        done = (f"took #{task.number} {task.title} over from you" if to.id == req.person.id
                else f"gave #{task.number} {task.title} to {to.name}")
        _send(req, holder, f"{req.person.name} {done}.", [], f"handed:{task.id}:{to.id}")
        return out
    first = holder.name.split()[0]
    _send(req, holder,
          f"{req.person.name} would like to take over #{task.number} {task.title} from you."
          if to.id == req.person.id else
          f"{req.person.name} asks you to hand #{task.number} {task.title} over to {to.name}.",
          [{"label": f"Give #{task.number} to {to.name.split()[0]}", "action": "task.assign",
            "args": {"task": task.id, "owner": to.id}},
           {"label": "Keep it", "action": "task.keep", "args": {"task": task.id}}],
          f"handover:{task.id}:{to.id}:{req.person.id}")
    return Outgoing.say(
        f"#{task.number} {task.title} is {first}'s: only {first}, its creator, their manager "
        f"or an admin can hand it over. I've asked {first} to give it to "
        f"{'you' if to.id == req.person.id else to.name} — nothing changes until they do.")


def _send(req: Request, to: Person, text: str, buttons: list[dict[str, Any]],
          key: str) -> None:
    """A message to ``to`` on each platform they use (one per request: ``key``)."""
    found = req.uow.outbox.identities_of(req.ws, [to.id]).get(to.id) or []
    platforms = sorted({platform for platform, _ in found}) or [
        workspace_platform(req.workspace.key)]
    payload = {"text": text, "sections": [{"text": text, "buttons": buttons}]}
    for platform in platforms:
        req.uow.outbox.add(req.ws, to.id, platform, "reply", payload,
                           f"{key}:{req.now.isoformat()}:{platform}", req.now)
