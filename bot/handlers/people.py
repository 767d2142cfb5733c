"""Adding people: `invite NAME [@handle] [as manager] [reports to @x]` and plain words.

Also understood: "add Priya to the team", "people add Priya", "invite Priya, Sam and
Leo", "Priya reports to me". Invited people have no platform account yet; the
first time they write on Slack, Telegram or the console they are linked by
handle or name (see ``Conversation.onboard``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import VigilError
from bot.handlers.request import Request
from bot.language.given_names import NAMES
from bot.messages import Button, Outgoing, Section
from bot.permissions import can_administer, can_manage
from bot.services import people as people_svc
from engine.model import Person, Role

_NAME = r"[A-Za-z][\w'.\-]*(?:\s+[A-Za-z][\w'.\-]*){0,2}"
# What people call the three roles: "add Marcus as staff", "as a team member", "as our new
# employee" are members; "as a team lead" / "supervisor" a manager.
_ROLE_WORDS: dict[str, str] = {
    "member": "member", "staff": "member", "staff member": "member",
    "member of staff": "member", "employee": "member", "team member": "member",
    "teammate": "member", "colleague": "member", "user": "member",
    "manager": "manager", "team lead": "manager", "team leader": "manager",
    "supervisor": "manager", "line manager": "manager",
    "admin": "admin", "administrator": "admin",
}
_ROLE_WORD = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _ROLE_WORDS),
                             key=len, reverse=True))
_INVITE = re.compile(r"^(?:/?invite|people\s+add|add\s+person|add\s+people)\s+(?P<rest>.+)$", re.I)
_TO_TEAM = re.compile(
    r"^(?:please\s+)?(?:add|welcome)\s+(?P<rest>.+?)\s+to\s+(?:the|my|our)\s+"
    r"(?:team|staff|firm|company|office|workspace)(?P<tail>.*)$", re.I
)
# "add Priya as a member", "add Sam and Jo as managers": a role says a person is meant
_ADD_AS_ROLE = re.compile(
    r"^(?:please\s+)?add\s+(?P<rest>[^#@]+?\s+as\s+(?:an?\s+|our\s+|the\s+)?(?:new\s+)?"
    rf"(?:{_ROLE_WORD})s?"
    r"(?:\s+(?:of|to|on)\s+(?:the|my|our)\s+team)?(?:\s+report(?:s|ing)?\s+to\s+\S+)?)$",
    re.I,
)
# the three roles by their own names: "add Q3 filing as member" was always an invitation
_OWN_ROLE_WORD = re.compile(r"\bas\s+(?:an?\s+)?(?:admin|manager|member)s?\b", re.I)
# "add a new team member: Marcus", "new hire Marcus", "new starter: Priya and Leo"
_ROLE_FIRST = re.compile(
    r"^(?:please\s+)?(?:(?:add|invite)\s+(?:an?\s+|our\s+)?(?:new\s+)?|(?:an?\s+)?new\s+)"
    rf"(?P<word>{_ROLE_WORD}|hire|starter|joiner|person)s?\s*[:,\-]?\s+(?P<rest>[^#]+)$",
    re.I,
)
# "Marcus is joining the team", "Priya and Leo have joined us", "we hired Marcus"
_JOINING = re.compile(
    r"^(?P<rest>[^#]+?)\s+(?:is|are|has|have)?\s*(?:joining|joined|starting\s+with)\s+"
    r"(?:us|the\s+team|our\s+team|the\s+firm)(?P<tail>(?:\s+as\s+.+)?)$",
    re.I,
)
_HIRED = re.compile(r"^we(?:'ve|\s+have)?\s+(?:just\s+)?(?:hired|taken\s+on|took\s+on)\s+"
                    r"(?P<rest>[^#]+)$", re.I)
_REPORTS_PLAIN = re.compile(
    rf"^(?P<who>@?{_NAME})\s+(?:reports|will\s+report|is\s+reporting)\s+to\s+(?P<boss>@?\S+)$",
    re.I,
)
_ROLE_OPT = re.compile(
    rf"\s+as\s+(?:an?\s+|our\s+|the\s+)?(?:new\s+)?(?P<role>{_ROLE_WORD})s?\b", re.I
)
_BOSS_OPT = re.compile(r"\s+(?:reports?|reporting)\s+to\s+(?P<boss>@?[\w.\-]+)", re.I)
_HANDLE_OPT = re.compile(r"\s+@(?P<handle>[A-Za-z0-9][\w.\-]*)")
_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*", re.I)
MAX_AT_ONCE = 20


@dataclass(frozen=True)
class Invitation:
    """Who to add; ``roles`` and ``bosses`` go with ``names``, one each (None: not said)."""

    names: tuple[str, ...]
    handle: str | None = None
    roles: tuple[str | None, ...] = ()
    bosses: tuple[str | None, ...] = ()

    def role(self, i: int) -> str | None:
        return self.roles[i] if i < len(self.roles) else None

    def boss(self, i: int) -> str | None:
        return self.bosses[i] if i < len(self.bosses) else None


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer an invitation or a reporting line in plain words, or None."""
    text = text.strip().rstrip(".!")
    if text.lower().startswith("task "):
        text = text[5:].strip()
    m = _INVITE.match(text)
    if m:
        return invite(req, parse_invitation(m.group("rest")))
    m = _TO_TEAM.match(text)
    if m:
        return invite(req, parse_invitation(m.group("rest") + m.group("tail")))
    m = _ADD_AS_ROLE.match(text)
    if m:
        rest = re.sub(r"\s+(?:of|to|on)\s+(?:the|my|our)\s+team\b", "", m.group("rest"),
                      flags=re.I)
        inv = parse_invitation(rest)
        if _OWN_ROLE_WORD.search(rest) or _names_are_given(inv):
            return invite(req, inv)
    found = _joining_words(text)
    if found is not None:
        return invite(req, found)
    m = _REPORTS_PLAIN.match(text)
    if m and not m.group("who").lower().startswith(("reports", "role ")):
        return reporting_line(req, m.group("who"), m.group("boss"))
    return None


def _joining_words(text: str) -> Invitation | None:
    """'new hire: Marcus', 'Priya is joining the team', 'we hired Leo' — when given names follow.

    These words also start tasks ("new starter pack", "Acme is joining us for lunch"), so
    only a list of given names (bot.language.given_names) makes them an invitation.
    """
    m = _ROLE_FIRST.match(text)
    if m:
        word = " ".join(m.group("word").lower().split())
        inv = parse_invitation(m.group("rest"))
        role = _ROLE_WORDS.get(word)
        if role and role != Role.MEMBER.value and not any(inv.roles):
            inv = Invitation(inv.names, inv.handle, (role,) * len(inv.names), inv.bosses)
        return inv if _names_are_given(inv) else None
    m = _JOINING.match(text) or _HIRED.match(text)
    if m:
        rest = m.group("rest") + (m.groupdict().get("tail") or "")
        inv = parse_invitation(rest)
        return inv if _names_are_given(inv) else None
    return None


def _names_are_given(inv: Invitation) -> bool:
    """Every name starts with a known given name ("Marcus", "Priya Shah"), or is a @handle."""
    return bool(inv.names) and all(
        name.split()[0].lower() in NAMES for name in inv.names)


def _option(pattern: re.Pattern[str], group: str, text: str) -> tuple[str | None, str]:
    """The option ``pattern`` finds in ``text`` and the text without it."""
    m = pattern.search(" " + text)
    if not m:
        return None, text
    return m.group(group), ((" " + text)[: m.start()] + (" " + text)[m.end():]).strip()


def parse_invitation(rest: str) -> Invitation:
    """'Priya @priya as manager reports to @marcus' -> its parts.

    With several people each option belongs to the person it follows ("Priya
    as manager, Sam and Leo": only Priya is a manager); options after the
    last name, when nobody before has options of their own, are for everyone
    ("Sam and Leo as members reporting to Priya").
    """
    names: list[str] = []
    roles: list[str | None] = []
    bosses: list[str | None] = []
    handle = None
    for part in (p.strip() for p in _SPLIT.split(rest.strip())):
        if not part:
            continue
        role, part = _option(_ROLE_OPT, "role", part)
        boss, part = _option(_BOSS_OPT, "boss", part)
        own_handle, part = _option(_HANDLE_OPT, "handle", part)
        handle = handle or own_handle
        if not part and own_handle:
            part = own_handle.capitalize()
        if not part:
            continue
        names.append(part)
        roles.append(_ROLE_WORDS[" ".join(role.lower().split())] if role else None)
        bosses.append(boss)
    earlier = any(roles[:-1]) or any(bosses[:-1])
    if len(names) > 1 and not earlier:  # options said once, after every name, are for all
        roles = [roles[-1]] * len(names)
        bosses = [bosses[-1]] * len(names)
    return Invitation(tuple(names), handle, tuple(roles), tuple(bosses))


def invite(req: Request, inv: Invitation) -> Outgoing:
    """Add each named person (managers and admins); a role other than member needs an admin."""
    can_manage(req.person).enforce()
    if not inv.names:
        raise VigilError("Who should I add? For example: invite Priya as manager")
    if len(inv.names) > MAX_AT_ONCE:
        raise VigilError(f"I can add at most {MAX_AT_ONCE} people at once.")
    if inv.handle and len(inv.names) > 1:
        raise VigilError("Give a @handle only when you invite one person.")
    bad = [n for n in inv.names if not re.fullmatch(_NAME, n)]
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
    tail = ("You can give them work right away. When they first write to me (on Slack, "
            "Telegram or here) I recognise them by name or handle.")
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
