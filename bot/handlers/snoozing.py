"""Snoozing a task's problems from chat: ``snooze #14``, ``snooze #14 until Monday``,
``mute the alerts on #14 for 2 days``, ``snooze it for a week``.

A snooze mutes the reminders of the task's firing problems until a time; the
problems stay open (and visible to managers) until reality fixes them. Without
a time it lasts a day; "until Monday" means the start of Monday's working day,
when the reminder is useful again. At most 90 days, like the buttons.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.errors import VigilError
from bot.handlers.request import Request
from bot.language.dates import parse_date
from bot.messages import Outgoing
from bot.services import violations as violation_svc
from bot.views.replies import local_when, problem
from engine.model import Task

DEFAULT = timedelta(days=1)
LONGEST = timedelta(days=90)

_AMOUNT = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|ten|fourteen)"
_UNIT = r"(?P<unit>min(?:ute)?s?|h(?:(?:ou)?rs?)?|days?|d|weeks?|wks?|w|months?)"
_FOR_RE = re.compile(rf"^(?:for\s+)?{_AMOUNT}\s*{_UNIT}$", re.I)
_UNTIL_RE = re.compile(r"^(?:until|till|til|to|through|thru)\s+(?P<when>.+)$", re.I)
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "ten": 10, "fourteen": 14}
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
          "w": timedelta(weeks=1), "mo": timedelta(days=30)}


def until_of(req: Request, phrase: str | None) -> datetime:
    """The instant a snooze phrase ("for 2 days", "until Monday", none) ends."""
    if not phrase:
        return req.now + DEFAULT
    phrase = phrase.strip()
    span = _FOR_RE.match(phrase)
    if span is not None:
        count = int(span["n"]) if span["n"].isdigit() else _WORDS[span["n"].lower()]
        unit = span["unit"].lower()
        key = "mo" if unit.startswith("mo") else unit[0]
        until = req.now + count * _UNITS[key]
    else:
        until_match = _UNTIL_RE.match(phrase)
        if until_match is None:
            raise VigilError(f"I can snooze for a while (“for 2 days”) or until a time "
                             f"(“until Monday”), not “{phrase}”")
        start = req.workspace.calendar.day_start
        found = parse_date(until_match["when"], req.now, req.tz, calendar_day_end=start)
        if found is None:
            raise VigilError(f"I could not read “{until_match['when']}” as a time")
        until = found
    if until <= req.now:
        raise VigilError("Snooze needs a time in the future")
    if until - req.now > LONGEST:
        raise VigilError("A snooze lasts at most 90 days")
    return until


def snooze(req: Request, task: Task, phrase: str | None = None) -> Outgoing:
    """Mute the reminders of ``task``'s firing problems until the phrase's time."""
    until = until_of(req, phrase)
    firing = [v for v in req.uow.violations.firing(req.ws, task_ids=[task.id])
              if v.acked_at is None]
    if not firing:
        return Outgoing.say(f"#{task.number} {task.title} has no problem to snooze — "
                            "nothing is reminding you about it.")
    for v in firing:
        violation_svc.snooze(req.uow, req.ws, v.id, until, req.now)
    names = ", ".join(dict.fromkeys(problem(v.rule_id) for v in firing))
    when = local_when(req.workspace.calendar, req.tz, until, req.now)
    return Outgoing.say(f"💤 Snoozed #{task.number} {task.title} ({names}) until {when}. "
                        "It stays open until fixed.")
