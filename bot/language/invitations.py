"""Invitation words: "invite Priya as manager", "add Sam and Jo as staff", "new hire: Ana".

``bot.handlers.people`` acts on them; here they are only read. A role word
("staff", "team lead") or a list of given names (bot.language.given_names) says
a person is meant — "add the Q3 filing" and "new starter pack" stay tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.given_names import NAMES
from engine.model import Role

NAME = r"[A-Za-z][\w'.\-]*(?:\s+[A-Za-z][\w'.\-]*){0,2}"
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
    rf"^(?P<who>@?{NAME})\s+(?:reports|will\s+report|is\s+reporting)\s+to\s+(?P<boss>@?\S+)$",
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


# "our new junior", "the new intern", "my new assistant": words before a given name that
# say who the person is, not their name ("add our new junior Ben as staff")
_DESCRIBED = re.compile(
    r"^(?:(?:our|my|the|a|an)\s+)?(?:(?:new|newest|latest|junior|senior|trainee|graduate|"
    r"part-time|full-time|temporary|temp)\s+)*(?:(?:hire|starter|joiner|recruit|intern|"
    r"trainee|apprentice|junior|senior|graduate|assistant|bookkeeper|accountant|analyst|"
    r"clerk|colleague|associate|engineer|developer|designer)\s*,?\s+)?"
)


def _undescribed(rest: str) -> str:
    """'our new junior Ben as staff' -> 'Ben as staff' when a given name follows the words."""
    m = _DESCRIBED.match(rest)
    if not m or not m.group(0).strip():
        return rest
    after = rest[m.end():]
    first = re.split(r"[\s,]", after, maxsplit=1)[0]
    if not (first.startswith("@") or first.lower() in NAMES):
        return rest
    return re.sub(r",\s*(?=as\s)", " ", after, count=1)  # "the new intern, Priya, as staff"


def people_words(text: str) -> Invitation | tuple[str, str] | None:
    """An invitation ("add Ben as staff", "new hire: Ana"), a reporting line ("Priya
    reports to me": who and boss as typed), or None when the words are about work."""
    text = text.strip().rstrip(".!")
    if text.lower().startswith("task "):
        text = text[5:].strip()
    m = _INVITE.match(text)
    if m:
        return parse_invitation(_undescribed(m.group("rest")))
    m = _TO_TEAM.match(text)
    if m:
        return parse_invitation(_undescribed(m.group("rest")) + m.group("tail"))
    m = _ADD_AS_ROLE.match(text)
    if m:
        rest = re.sub(r"\s+(?:of|to|on)\s+(?:the|my|our)\s+team\b", "", m.group("rest"),
                      flags=re.I)
        inv = parse_invitation(_undescribed(rest))
        if _OWN_ROLE_WORD.search(rest) or _names_are_given(inv):
            return inv
    found = _joining_words(text)
    if found is not None:
        return found
    m = _REPORTS_PLAIN.match(text)
    if m and not m.group("who").lower().startswith(("reports", "role ")):
        return m.group("who"), m.group("boss")
    return None
