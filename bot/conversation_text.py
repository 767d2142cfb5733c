"""A typed message to its answer: the one path every sentence takes (DESIGN §8).

The handlers that own whole sentences are tried in order (``ROUTES``); the
first that answers wins, and what none takes is parsed and dispatched. The
request records which reading won (``Request.heard``: "invite", "cancel",
"greeting", or the parsed intent), so ``vigil parse`` reports what the chat
would actually do with a sentence, not what a second parser thinks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot import limits
from bot.conversation_dispatch import dispatch
from bot.handlers import admin, answers, away, lifecycle, lists, questions, redo, undo
from bot.handlers import people as team_handlers
from bot.handlers.request import Request
from bot.language import parse
from bot.language.settings import date_order
from bot.messages import Outgoing, Section
from bot.observe import metrics

Route = Callable[[Request, str, bool], Outgoing | None]

# (the reading's name, the handler): a handler may name its reading more exactly
# (people: "invite" or "reporting_line"; lifecycle: "cancel", "snooze", ...).
ROUTES: tuple[tuple[str, Route], ...] = (
    ("answer", lambda req, text, direct: questions.answer(req, text, answers.ANSWERS)),
    ("undo", lambda req, text, direct: undo.handle(req, text)),
    ("people", lambda req, text, direct: team_handlers.handle(req, text)),
    ("lifecycle", lambda req, text, direct: lifecycle.handle(req, text)),
    ("away", lambda req, text, direct: away.handle(req, text)),
    ("admin", lambda req, text, direct: admin.handle(req, text)),
    ("small_talk", lambda req, text, direct: lists.pleasantry(text) if direct else None),
    ("greeting", lambda req, text, direct:
        lists.greeting(req) if lists.is_greeting(text) else None),
)
DATE_ERROR = "date_not_understood"  # Request.heard when the parser refused a date


def answer(req: Request, text: str, direct: bool = True, order: str | None = None) -> Outgoing:
    """The reply to typed ``text``; ``order`` overrides the workspace's date order."""
    if not text.strip():
        req.heard = "empty"
        return lists.not_understood()
    limits.check_message(text)  # refused whole, never cut at 2,000 characters
    again = redo.kept(req, text)  # "Now say it again": the sentence that waited on someone
    if isinstance(again, Outgoing):
        req.heard = "redo"
        return again
    if again:
        text = req.text = again
    reply = _routed(req, text, direct)
    if reply is None:
        req.heard = DATE_ERROR  # until the parser has read the words
        parsed = parse(text, req.now, req.tz, req.person.handle or req.person.name.lower(),
                       date_order=order or date_order(req.workspace.settings,
                                                      req.workspace.calendar.tz),
                       direct=direct)
        req.parsed, req.heard = parsed, parsed.intent
        metrics.count_parse(parsed.intent)
        reply = dispatch(req, parsed)
    if again:
        reply = replace(reply, sections=(Section(f"Again: {again}"),) + reply.sections)
    if req.left:  # the request moved on from a question of Vigil's: say what was left
        reply = replace(reply, sections=(Section(req.left),) + reply.sections)
    return reply


def _routed(req: Request, text: str, direct: bool) -> Outgoing | None:
    """The first named handler's answer (``req.heard`` names it), or None."""
    for name, route in ROUTES:
        req.heard = name
        reply = route(req, text, direct)
        if reply is not None:
            return reply
    req.heard = None
    return None
