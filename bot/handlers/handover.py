"""'Sam, give the deck to Ana': a handover said to the person who holds the work.

Who may do it is DESIGN §9's rule for any change, judged as the speaker: the
owner, the creator, a manager of the project or of the owner, an admin. The
sentence is said *to* Sam, though, so Sam hears of it:

* the speaker may change the task — it is handed over, and Sam (when Sam owned
  it and is not the speaker) is told who gave it to whom;
* the speaker may not (a member asking for a colleague's work) — nothing changes
  behind Sam's back and nothing is refused into a dead end either: Sam is asked,
  with [Give #1 to Ana] [Keep it]; the tap is authorised as Sam (the owner), and
  whoever asked is told Sam's answer either way ("Sam kept #1 …").

A holder who does not own the task ("Leo, give the deck to Ana" when Sam owns
it) is only a way of speaking: the speaker's rights decide, as for any assign.
"""

from __future__ import annotations

from typing import Any

from bot import limits
from bot.errors import NotFound, VigilError
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
    args = {"task": task.id, "owner": to.id, "asker": req.person.id}
    _send(req, holder,
          f"{req.person.name} would like to take over #{task.number} {task.title} from you."
          if to.id == req.person.id else
          f"{req.person.name} asks you to hand #{task.number} {task.title} over to {to.name}.",
          [{"label": f"Give #{task.number} to {to.name.split()[0]}", "action": GIVE,
            "args": args},
           {"label": "Keep it", "action": KEEP, "args": args}],
          f"handover:{task.id}:{to.id}:{req.person.id}")
    whom = "you" if to.id == req.person.id else to.name.split()[0]
    return Outgoing.say(
        f"#{task.number} {task.title} is {first}'s, so I've asked {first} to hand it to "
        f"{whom}. I'll tell you what {first} says.")


GIVE, KEEP = "handover.give", "handover.keep"


def give(req: Request, args: dict[str, object]) -> Outgoing:
    """The holder's [Give #1 to Ana]: handed over on the presser's rights; the asker is told."""
    task, to, asker = _request_of(req, args)
    done = th.change(req, task, owner_id=to.id)  # refused unless the presser may change it
    out = th.reply(req, f"#{task.number} now belongs to {to.name}", done.task, done.events)
    if asker is not None and asker.id != req.person.id:
        whom = "you" if asker.id == to.id else to.name
        _send(req, asker, f"{req.person.name} gave #{task.number} {task.title} to {whom}, "
              "as you asked.", [], f"handed:{task.id}:{to.id}:{asker.id}")
    return out


def keep(req: Request, args: dict[str, object]) -> Outgoing:
    """The holder's [Keep it]: nothing changes, and the asker hears so (not silence)."""
    task, to, asker = _request_of(req, args)
    if task.owner_id != req.person.id:  # answered already, or not the presser's to keep
        owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
        whose = f"{owner.name}'s" if owner is not None else "nobody's"
        raise VigilError(f"#{task.number} is {whose} now, so it is not yours to keep.")
    if asker is None or asker.id == req.person.id:
        return Outgoing.say(f"OK, #{task.number} stays with you. Nothing was changed.")
    what = "you" if asker.id == to.id else to.name
    _send(req, asker, f"{req.person.name} is keeping #{task.number} {task.title}, so it was "
          f"not handed to {what}. Talk to {req.person.name.split()[0]} if it must move.", [],
          f"kept:{task.id}:{to.id}:{asker.id}")
    return Outgoing.say(f"OK, #{task.number} stays with you. I've told "
                        f"{asker.name.split()[0]}.")


def _request_of(req: Request, args: dict[str, object]) -> tuple[Task, Person, Person | None]:
    """The task, the person it was to go to and who asked, from a handover button."""
    def number(key: str) -> int:
        value = args.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, str)) \
                or not str(value).isdigit():
            raise VigilError("That button is out of date; try the command instead.")
        return limits.button_arg(key, int(value))

    task = req.uow.tasks.get(req.ws, number("task"))
    to = req.uow.people.get(req.ws, number("owner"))
    if task is None or to is None:
        raise NotFound("That task or person no longer exists here.")
    asker = req.uow.people.get(req.ws, number("asker")) if "asker" in args else None
    return req.about(task), to, asker


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
