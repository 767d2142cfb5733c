"""Marking done on a guess: 'close report' when the words only half name a task.

Done is the change people notice least and regret most: the task leaves every
list and its problems stop being chased. So a completion whose task was a guess
asks first — "Mark #1 Monthly report done?" — the way an uncertain new task is
shown before it is made (DESIGN §8). A guess is:

* a close title (typos: "finished the paryoll" for "Payroll run"), or
* "close …" with words that are only part of a title: in a finance team "close"
  is as often a noun ("Close report", "month-end close") as a verb.

A number (``#1``, ``done 1``), the whole title, "it", or words a title holds
after an unambiguous verb ("done report", "finished the Q3 filing") stay
immediate; so does a completion that sends proof (the proof says what was done).
"""

from __future__ import annotations

import re

from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Request, is_pronoun
from bot.language.references import words_of
from bot.messages import Outgoing
from engine.model import Task

_CLOSE_RE = re.compile(
    r"^\W*(?:(?:hey|hi|ok(?:ay)?|so|please|pls|can\s+you|could\s+you|@?vigil)[\s,:]+)*"
    r"close\b", re.I)


def complete(req: Request, reference: str | None, task: Task, proof: str | None) -> Outgoing:
    """Mark ``task`` done — or, when ``reference`` only guessed it, ask first."""
    if proof or not guessed(req, reference, task):
        return th.complete(req, task, proof)
    said = " ".join(req.text.split())
    new = (f"\n(For a new task called “{said[0].upper() + said[1:]}”, say "
           f"“add {said[0].upper() + said[1:]}”.)") if _CLOSE_RE.match(req.text) else ""
    return q.ask(
        req, "confirm", {"task": task.id, "yes_words": ["done", "close", "mark"],
                         "no_words": ["keep", "open"]},
        f"Mark #{task.number} {task.title} done?{new}",
        [(f"Mark #{task.number} done", "task.done", {"task": task.id}),
         ("Keep it open", "task.keep", {"task": task.id})],
        hint="(Tap one, or reply yes or no.)")


def guessed(req: Request, reference: str | None, task: Task) -> bool:
    """Whether ``reference`` named ``task`` only by a guess (see the module docstring)."""
    ref = " ".join((reference or "").split())
    if not ref or is_pronoun(ref) or ref.lstrip("#") == str(task.number):
        return False
    title = task.title.lower()
    if words_of(ref) == words_of(title):
        return False  # the whole title ("close the monthly report")
    if not all(w in title for w in words_of(ref)):
        return True  # no title holds the words: a close spelling was picked
    return bool(_CLOSE_RE.match(req.text))
