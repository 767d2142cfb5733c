"""'Now say it again', 'try again', 'do it now': the request that waited on someone, redone.

When a request names someone Vigil does not know ("assign #1 to Leo", "Olga will file
the VAT return by Friday"), the question it asks keeps the sentence (payload "again").
Once the person is added — by the question's button, a typed "yes", or "add Olga as a
member" — these words run that sentence again. With nothing kept, the reply says what
to do instead of making a task called "Try again".
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.handlers import questions
from bot.handlers.request import Request
from bot.messages import Outgoing

FRESH = timedelta(minutes=30)  # a sentence older than this is not what "again" means
_REDO_RE = re.compile(
    r"^(?:(?:ok(?:ay)?|now|so|please|then|right|great|thanks)[,\s]+)*"
    r"(?:say\s+it\s+again|try\s+(?:it\s+|that\s+)?again|do\s+it\s+(?:now|again)"
    r"|(?:do\s+that\s+)?again|redo(?:\s+it|\s+that)?|retry|same\s+again|one\s+more\s+time)"
    r"(?:[,\s]+(?:now|please|then))*[\s.!]*$", re.I)


def is_redo(text: str) -> bool:
    """True for "again", "try again", "now say it again", "do it now", "redo"."""
    return bool(_REDO_RE.match(text.strip().replace("’", "'")))


def kept(req: Request, text: str) -> str | Outgoing | None:
    """The sentence to run again, an answer saying there is none, or None (not a redo)."""
    if not is_redo(text):
        return None
    question = req.uow.questions.open(req.ws, req.person.id, req.chat, req.now)
    again = str(question.payload.get("again") or "") if question is not None else ""
    if question is not None and again and req.now - question.asked_at <= FRESH:
        req.uow.questions.answered(req.ws, question.id)
        return again
    if question is not None and question.kind in questions.YES_NO_KINDS:
        return None  # "do it now" to "Create this task?": a yes, answered as one
    return Outgoing.say("There is nothing waiting for me to try again. Say the whole request "
                        "again — for example “Olga will file the VAT return by Friday” or "
                        "“assign #1 to Olga”.")
