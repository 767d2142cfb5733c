"""Adding people: `invite NAME [@handle] [as manager] [reports to @x]` and plain words.

Also understood: "add Priya to the team", "people add Priya", "invite Priya, Sam and
Leo", "Priya reports to me". Invited people have no platform account yet; the
first time they write on Slack, Telegram or the console they are linked by
handle or name (see ``Conversation.onboard``).
"""

from __future__ import annotations

import re

from bot.errors import VigilError
from bot.handlers.request import Request
from bot.language.invitations import MAX_AT_ONCE, NAME, Invitation, people_words
from bot.messages import Button, Outgoing, Section
from bot.permissions import can_administer, can_manage
from bot.services import people as people_svc
from engine.model import Person, Role

__all__ = ["Invitation", "handle", "invite", "unknown_mention", "unknown_person"]


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer an invitation or a reporting line in plain words, or None."""
    words = people_words(text)
    if words is None:
        return None
    if isinstance(words, Invitation):
        req.heard = "invite"  # how `vigil parse` reports the words
        return invite(req, words)
    req.heard = "reporting_line"
    return reporting_line(req, *words)


def invite(req: Request, inv: Invitation) -> Outgoing:
    """Add each named person (managers and admins); a role other than member needs an admin."""
    can_manage(req.person).enforce()
    if not inv.names:
        raise VigilError("Who should I add? For example: invite Priya as manager")
    if len(inv.names) > MAX_AT_ONCE:
        raise VigilError(f"I can add at most {MAX_AT_ONCE} people at once.")
    if inv.handle and len(inv.names) > 1:
        raise VigilError("Give a @handle only when you invite one person.")
    bad = [n for n in inv.names if not re.fullmatch(NAME, n)]
    if bad:
        raise VigilError(f"'{bad[0]}' does not look like a name. For example: invite Priya Shah")
    if any(r and r != Role.MEMBER.value for r in inv.roles):
        can_administer(req.person).enforce()
    lines = []
    for i, name in enumerate(inv.names):
        boss = req.person_ref(inv.boss(i)) if inv.boss(i) else None
        existing = req.uow.people.by_handle(req.ws, inv.handle or name)
        if existing is not None:
            raise VigilError(f"{existing.name} (@{existing.handle}) is already on the team.")
        handle = inv.handle or free_handle(req, name)
        if inv.handle and req.uow.people.by_handle(req.ws, handle) is not None:
            raise VigilError(f"@{handle} is already taken.")
        person = people_svc.add_person(req.uow, req.ws, name, handle=handle,
                                       role=inv.role(i) or Role.MEMBER.value,
                                       reports_to_id=boss.id if boss else None)
        lines.append(describe_new(req, person, boss))
    tail = ("You can give them work right away; I'll know them by name when they first "
            "write to me.")
    head = lines[0] if len(lines) == 1 else f"Added {len(lines)} people:\n" + "\n".join(
        "• " + line.removeprefix("Added ") for line in lines)
    return Outgoing((Section(head), Section(tail)))


def describe_new(req: Request, person: Person, boss: Person | None) -> str:
    role = "" if person.role is Role.MEMBER else f" as {person.role.value}"
    reports = ""
    if boss is not None:
        whom = "you" if boss.id == req.person.id else boss.name
        reports = f", reporting to {whom}"
    return f"Added {person.name} (@{person.handle}){role}{reports}"


def free_handle(req: Request, name: str) -> str:
    """'Priya Shah' -> 'priya', or 'priyas' / 'priya2' when that is taken."""
    # at most 90 characters, so a number can follow within a handle's 100
    words = [re.sub(r"[^a-z0-9]", "", w.lower())[:90] for w in name.split()]
    words = [w for w in words if w] or ["person"]
    candidates = [words[0]]
    if len(words) > 1:
        candidates.append(words[0] + words[1][0])
    candidates += [f"{words[0]}{n}" for n in range(2, 100)]
    for candidate in candidates:
        if req.uow.people.by_handle(req.ws, candidate) is None:
            return candidate
    raise VigilError(f"Give {name} a handle: invite {name} @handle")


def reporting_line(req: Request, who_text: str, boss_text: str) -> Outgoing:
    """'Priya reports to me': sets the line, adding Priya first when she is new."""
    boss = req.person_ref(boss_text)
    who = req.uow.people.by_handle(req.ws, who_text)
    if who is None:
        if who_text.startswith("@") or not who_text[:1].isupper():
            return unknown_person(who_text, req)
        return invite(req, Invitation((who_text,), bosses=(boss_text,)))
    if req.person.role is not Role.ADMIN and boss.id != req.person.id:
        can_administer(req.person).enforce()
    can_manage(req.person).enforce()
    people_svc.update_person(req.uow, req.ws, req.now, who.id, reports_to_id=boss.id)
    whom = "you" if boss.id == req.person.id else boss.name
    return Outgoing.say(f"{who.name} now reports to {whom}.")


def unknown_person(who_text: str, req: Request | None = None) -> Outgoing:
    """'I don't know @leo yet. Add Leo to the team?' — with ``req``, a typed "yes" adds them."""
    name = who_text.lstrip("@").capitalize()
    button = add_to_team_button(name)
    if req is not None:
        from bot.handlers import questions  # questions reads people's sentences: no cycle

        questions.offer_to_add(req, button)
    return Outgoing.say(f"I don't know {who_text} yet. Add {name} to the team?", button)


def invite_button(req: Request, args: dict[str, object]) -> Outgoing:
    """The 'Add NAME to the team' button."""
    name = str(args.get("name") or "").strip()
    return invite(req, Invitation((name,) if name else ()))


def add_to_team_button(name: str) -> Button:
    return Button(f"Add {name} to the team", "person.invite", {"name": name})


def unknown_mention(text: str, join_link: str | None) -> Outgoing:
    """'I don't know @priya yet' with a way forward: add them, or (Telegram) the join link."""
    name = text.lstrip("@")
    label = name[:1].upper() + name[1:]
    if join_link:
        head = (f"I haven't met @{name} yet: on this platform I can only see people after "
                f"they have written to me once. Send them {join_link} and ask them to say "
                "hello, then try again — or add them by name now:")
    else:
        head = f"I don't know @{name} here yet. Add {label} to the team?"
    return Outgoing((Section(head, (add_to_team_button(label),)),
                     Section("Nothing was changed. 'people' lists everyone.")))
