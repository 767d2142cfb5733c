"""'add Sam': is a title that is only a name a task, or a person? (issue #13, item 1)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.handlers import questions
from bot.handlers.request import Request
from bot.language import ParsedIntent
from bot.language.names import reads_like_a_name
from bot.messages import Outgoing
from bot.permissions import can_manage
from engine.model import Person

_NAME_LIKE = re.compile(r"^[\w'\-]+(?: [\w'\-]+)?$")
SIMILAR = 80  # rapidfuzz ratio: "Pirya" is close to Priya (80), "Payroll" is not (33)


def _person_named(req: Request, title: str) -> tuple[Person, bool] | None:
    """The team member ``title`` names (True) or nearly names, as a typo would (False)."""
    known = req.uow.people.by_handle(req.ws, title)
    if known is not None:
        return known, True
    needle = title.lower()
    best: tuple[float, Person] | None = None
    for person in req.uow.people.list(req.ws):
        names = {person.name.lower(), person.name.split()[0].lower(),
                 (person.handle or "").lower()} - {""}
        score = max(fuzz.ratio(needle, n) for n in names)
        if score >= SIMILAR and (best is None or score > best[0]):
            best = (score, person)
    return (best[1], False) if best else None


TASK_WORDS = ("task", "todo", "to-do", "it", "work", "job", "chore", "first")
INVITE_WORDS = ("invite", "person", "team", "teammate", "colleague", "member",
                "them", "him", "her", "they", "they're", "he's", "she's", "second")
THEIR_WORK_WORDS = ("tasks", "hers", "his", "theirs", "portfolio", "second")


def only_a_name(req: Request, p: ParsedIntent) -> Outgoing | None:
    """'add Priya' when the whole title is a name: a task, or a person?

    A name on the team (or a near spelling) asks: a task, or their tasks? A name
    nobody on the team has, that reads like one ("add Sam": capitalised, a given
    name), asks: a task, or invite Sam? "add Payroll" is simply a task.
    """
    title = (p.title or "").strip()
    others = (p.owner, p.project, p.parent, p.due, p.priority, p.recurrence, p.proof, p.backup)
    if any(v is not None for v in others) or p.depends_on or not _NAME_LIKE.match(title):
        return None
    found = _person_named(req, title)
    if found is None:
        return _new_name(req, title) if reads_like_a_name(_as_typed(req, title)) else None
    known, exact = found
    create = (f"Create task “{title}”", "task.create_titled", {"title": title})
    who = f"{known.name} is on your team" if exact else \
        f"“{title}” is close to {known.name}, who is on your team"
    theirs = (*THEIR_WORK_WORDS, known.name.split()[0].lower() + "'s")
    return questions.ask(
        req, "options", {"example": f"reply yes (a task) or {known.name}'s tasks.", "yes": 0},
        f"{who}. Did you mean a task called “{title}”? "
        f"(To give {known.name} work: add <what> @{known.handle})",
        [create, (f"{known.name}'s tasks", "person.portfolio", {"person": known.id})],
        words=[TASK_WORDS[:-1], theirs], hint="(Tap one, or reply yes or no.)")


def _as_typed(req: Request, title: str) -> str:
    """The title as the person wrote it: the parser capitalises its first letter."""
    at = req.text.lower().rfind(title.lower())
    return req.text[at:at + len(title)] if at >= 0 else title


def _new_name(req: Request, title: str) -> Outgoing:
    """'add Sam', nobody called Sam on the team: a task called "Sam", or invite Sam?"""
    create = (f"Task “{title}”", "task.create_titled", {"title": title})
    if not can_manage(req.person).allowed:  # a member cannot invite: only "a task?"
        return questions.ask(
            req, "options", {"title": title, "example": "reply yes or no.", "yes": 0},
            f"Add a task called “{title}”? (If {title} is a person, a manager can invite "
            f"them: invite {title})", [create], words=[(*TASK_WORDS, "yes", "y")],
            hint="(Tap it, or reply yes or no.)")
    return questions.ask(
        req, "options", {"title": title, "example": "reply task or invite.",
                         "either": f"reply task for a task called “{title}”, or invite to "
                                   f"add {title} to the team."},
        f"Add a task called “{title}”, or invite {title} to the team?",
        [create, (f"Invite {title}", "person.invite", {"name": title})],
        words=[TASK_WORDS, INVITE_WORDS], hint="(Tap one, or reply task or invite. "
                                              "Or say cancel.)")
