"""Sentences about a person, answered (stop 22; parsing in bot.language.someone).

* "Marcus is doing payroll this week", nobody called Marcus on the team: invite
  Marcus and give them the task, or create it without an owner — never a task
  titled with the whole sentence, never a silent drop of the owner.
* "Sam will handle the client deck" when no such task exists: the task is new work
  for Sam (a handover of existing work when it does exist).
* "Jo is off Friday": someone else's time off is never a task; only Jo can mark
  themselves away, and the reply says how.
* "Jo will cover for me": Jo becomes the writer's backup.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.errors import VigilError
from bot.handlers import questions
from bot.handlers.request import Request
from bot.language import ParsedIntent
from bot.messages import Outgoing, Section
from bot.permissions import can_manage
from engine.model import Person, Task

_SELF = frozenset({"me", "i", "myself"})
_HANDOVER_RE = re.compile(
    r"^@?[A-Za-z][\w.\-]*(?:\s+will|'ll|\s+can|\s+could)\s+(?:take|own|handle|pick\s+up"
    r"|take\s+over)\s+(?!#\d)", re.I)
_DOING_RE = re.compile(
    r"^@?[A-Za-z][\w.\-]*(?:\s+is|'s)\s+(?:doing|handling|working\s+on|taking\s+care\s+of"
    r"|looking\s+after|sorting(?:\s+out)?|on|owning|running)\s", re.I)
INVITE, OWNERLESS = "someone.invite_owner", "someone.create_ownerless"


def named_owner(req: Request, p: ParsedIntent) -> ParsedIntent | Outgoing:
    """The reading with its owner as a handle of the team, or a question when nobody has
    that name. Owners written as @handles keep the usual "I don't know @x" answer."""
    owner = (p.owner or "").strip().lstrip("@")
    if not owner or owner.lower() in _SELF or f"@{owner.lower()}" in req.text.lower():
        return p
    known = _by_name(req, owner)
    if known is not None:
        return replace(p, owner=known.handle or owner)
    return _ask_invite(req, p, _as_typed(req, owner))


def existing_work(req: Request, p: ParsedIntent) -> Task | None:
    """'Sam is doing the VAT return' when an open task is called exactly that: Sam's now,
    not a second VAT return."""
    if not p.owner or not p.title or not _DOING_RE.match(req.text.strip()):
        return None
    if p.owner.lower() not in _SELF and _by_name(req, p.owner) is None:
        return None  # someone new: the invitation question comes first (named_owner)
    same = [t for t in req.uow.tasks.search_title(req.ws, p.title.split())
            if t.status.is_active and t.recurrence is None
            and t.title.lower() == p.title.lower()]
    return same[0] if len(same) == 1 else None


def _by_name(req: Request, name: str) -> Person | None:
    found = req.uow.people.by_handle(req.ws, name)
    if found is not None:
        return found
    firsts = [person for person in req.uow.people.list(req.ws, active_only=True)
              if person.name.split()[0].lower() == name.lower()]
    if len(firsts) > 1:
        handles = ", ".join(f"@{person.handle}" for person in firsts)
        raise VigilError(f"Several people are called {firsts[0].name.split()[0]} ({handles}). "
                         "Say which one with their @handle")
    return firsts[0] if firsts else None


def _as_typed(req: Request, name: str) -> str:
    at = req.text.lower().find(name.lower())
    typed = req.text[at:at + len(name)] if at >= 0 else name
    return typed[:1].upper() + typed[1:]


def _ask_invite(req: Request, p: ParsedIntent, name: str) -> Outgoing:
    from bot.handlers.capture import intent_to_json, preview

    what = preview(req, replace(p, owner=None))
    data = {"intent": intent_to_json(p), "name": name}
    ownerless = ("Create it without an owner", OWNERLESS, data)
    ownerless_words = ("without", "owner", "ownerless", "unowned", "nobody", "no-one", "task",
                       "create", "just")
    if not can_manage(req.person).allowed:
        return questions.ask(
            req, "options", {"title": name, "example": "reply create, or say cancel.",
                             "again": req.text[:200]},
            f"{name} isn't on the team yet, and only a manager can invite people. Create the "
            f"task without an owner?\n{what}", [ownerless],
            words=[(*ownerless_words, "yes", "y", "ok")],
            hint="(Tap it or reply create. Or say cancel.)")
    invite = (f"Invite {name} and give it to them", INVITE, data)
    return questions.ask(
        req, "options", {"title": name, "example": "reply invite or without owner.",
                         "again": req.text[:200]},
        f"{name} isn't on the team yet. Invite {name} and give them this task?\n{what}",
        [invite, ownerless],
        words=[("invite", "yes", "y", "them", "him", "her", "give"), ownerless_words],
        hint="(Tap one, or reply invite or without owner. Or say cancel.)")


def _drafted(args: dict[str, object]) -> tuple[ParsedIntent, str]:
    from bot.handlers.capture import intent_from_json

    data, name = args.get("intent"), str(args.get("name") or "").strip()
    if not isinstance(data, dict) or not name:
        raise VigilError("That button is out of date; try the sentence again.")
    return intent_from_json(data), name


def invite_owner(req: Request, args: dict[str, object]) -> Outgoing:
    """[Invite NAME and give it to them]: add the person, then the task as theirs."""
    from bot.handlers import tasks as th
    from bot.handlers.people import Invitation, invite

    p, name = _drafted(args)
    invited = invite(req, Invitation((name,)))
    person = req.uow.people.by_handle(req.ws, name)
    if person is None:  # invite() adds the person under this name or raises
        raise VigilError(f"{name} could not be added.")
    created = th.create(req, replace(p, owner=person.handle))
    return Outgoing(invited.sections[:1] + created.sections)


def create_ownerless(req: Request, args: dict[str, object]) -> Outgoing:
    """[Create it without an owner]: the task, saying why nobody owns it."""
    from bot.handlers import tasks as th

    p, name = _drafted(args)
    created = th.create(req, replace(p, owner=None))
    why = Section(f"Nobody owns it yet, because {name} isn't on the team. A manager can "
                  f"invite {name} and then assign it to them.")
    return Outgoing(created.sections[:1] + (why,) + created.sections[1:])


def is_handover(text: str) -> bool:
    """'Sam will handle the client deck': said of work that may not exist yet."""
    return bool(_HANDOVER_RE.match(text.strip()))


def new_work(req: Request, p: ParsedIntent) -> Outgoing:
    """'Sam will handle the client deck' and no task is called that: new work for Sam."""
    from bot.handlers import tasks as th

    words = (p.task or "").strip()
    return th.create(req, ParsedIntent("create_task", title=words[:1].upper() + words[1:],
                                       owner=p.owner))


def someone_away(req: Request, p: ParsedIntent) -> Outgoing:
    """'Jo is off Friday': not a task; only Jo can mark themselves away."""
    who = (p.owner or "").strip()
    person = _by_name(req, who) if who else None
    if person is not None and person.id == req.person.id:
        return Outgoing.say("To mark yourself away, say it like this: “I'm off Friday” or "
                            "“I'm on holiday next week”. Nothing was changed.")
    name = person.name.split()[0] if person else _as_typed(req, who)
    said = _in_first_person(req.text, who)
    return Outgoing.say(
        f"I haven't made that a task. Only {name} can mark themselves away: they can tell me "
        f"“{said}”, and while they're away their alerts go to their backup. "
        "Nothing was changed.")


def _in_first_person(text: str, who: str) -> str:
    m = re.match(rf"^\s*@?{re.escape(who)}(?P<verb>\s+is|'s|\s+will\s+be|\s+is\s+going\s+to"
                 r"\s+be)\s+(?P<rest>.+?)[\s.!]*$", text, re.I)
    if m is None:
        return "I'm off Friday"
    verb = m.group("verb").strip().lower()
    lead = "I'm" if verb in ("is", "'s") else "I'll be"
    rest = m.group("rest")
    if len(rest.split()) == 1:  # "Jo is off": the example says when, as Jo would
        rest += " Friday"
    return f"{lead} {rest}"


def cover(req: Request, p: ParsedIntent) -> Outgoing:
    """'Jo will cover for me': Jo is the writer's backup while they are away."""
    from bot.handlers import away

    backup = _by_name(req, (p.owner or "").strip()) if p.owner else None
    if backup is None:
        return req_person_unknown(p.owner or "", req)
    out = away.set_my_backup(req, backup.id)
    if req.person.ooo_until is None or req.person.ooo_until <= req.now:
        hint = Section("When you're away, tell me — for example “I'm off Friday” — and your "
                       f"alerts go to {backup.name.split()[0]} meanwhile.")
        return Outgoing(out.sections + (hint,))
    return out


def req_person_unknown(who: str, req: Request | None = None) -> Outgoing:
    from bot.handlers.people import unknown_person

    return unknown_person(who or "them", req)
