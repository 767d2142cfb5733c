"""A parsed sentence to its handler: the intents of DESIGN §8 after the named handlers.

``bot.conversation_text`` tries the handlers that own whole sentences first
(answers to Vigil's questions, undo, people, a task's lifecycle, away, admin,
small talk); what none of them takes is parsed and lands here.
"""

from __future__ import annotations

from bot.errors import NotFound
from bot.handlers import (
    asking,
    capture,
    closing,
    handover,
    inquiry,
    lists,
    moving,
    picking,
    someone,
    working,
)
from bot.handlers import tasks as th
from bot.handlers.request import Ambiguous, Request
from bot.language import ParsedIntent
from bot.messages import Outgoing
from bot.notify.digest import digest
from bot.views import board as board_view
from bot.views import gantt as gantt_view
from bot.views import team as team_view
from engine.model import Task

NOT_YET: dict[str, str] = {}
INQUIRIES = {"who_owns": inquiry.who_owns, "when_due": inquiry.when_due,
             "is_done": inquiry.is_done, "how_far": inquiry.how_far,
             "why_blocked": inquiry.why_blocked, "task_status": inquiry.status_line}


def dispatch(req: Request, p: ParsedIntent) -> Outgoing:
    """Answer a parsed sentence: create, list, show, change or ask about a task."""
    intent = p.intent
    existing = someone.existing_work(req, p) if intent == "create_task" else None
    if existing is not None:  # "Sam is working on the client deck": that task is Sam's now
        return th.assign(req, existing, p.owner)
    if p.confirm and intent in ("create_task", "set_deadline"):
        return capture.confirm(req, p)  # uncertain: show what would happen, one tap to do it
    if intent == "create_task":  # a new task, or the deadline of the one its words name
        return moving.create_or_move(req, p)
    if intent == "list_tasks":
        return lists.list_tasks(req, p.owner, p.project, p.scope)
    if intent == "help":
        return lists.help_text()
    if intent == "board":
        return board_view.board(req, p.project)
    if intent == "gantt":
        return gantt_view.gantt(req, p.project)
    if intent == "team":
        return team_view.team(req)
    if intent == "standup":
        return digest(req.uow, req.ws, req.person, req.now)
    if intent == "what_next":
        return inquiry.what_next(req)
    if intent in NOT_YET:
        return Outgoing.say(NOT_YET[intent])
    if intent == "unknown":
        return lists.not_understood(req.text)
    if intent == "away":  # "Jo is off Friday": never a task
        return someone.someone_away(req, p)
    if intent == "set_backup":  # "Jo will cover for me"
        return someone.cover(req, p)
    if intent == "block" and not p.task and p.reason:
        # "I'm stuck on the bank rec": the words after "stuck on" may name the task itself.
        named = _task_named_by(req, p.reason)
        if named is not None:
            return named if isinstance(named, Outgoing) else th.block(req, named, None)
    if not p.task and intent in picking.BARE:
        return picking.ask_task(req, intent, picking.pick_action(req, p))  # "done": which task?
    which = working.unknown_it(req, p)  # "I'm working on it", nothing talked about lately
    if which is not None:
        return which
    try:
        task = req.task_of(p.task, p.owner if intent != "assign" else p.holder)
    except Ambiguous as amb:
        return picking.ask_which(req, amb, picking.pick_action(req, p))
    except NotFound:
        if intent == "assign" and p.owner and someone.is_handover(req.text):
            return someone.new_work(req, p)  # "Sam will handle the client deck": none yet
        offer = working.offer_new(req, p)  # "I'm working on the budget deck": create it?
        if offer is not None:
            return offer
        raise
    if intent in INQUIRIES:
        return INQUIRIES[intent](req, task)
    if intent == "update_progress":
        return th.progress(req, task, p.progress)
    if intent == "complete":
        return closing.complete(req, p.task, task, (p.note if p.proof else None) or req.attachment)
    if intent == "block":
        return th.block(req, task, p.reason, p.progress)
    if intent == "unblock":
        return th.unblock(req, task)
    if intent == "assign":
        return handover.hand_over(req, task, p.holder, p.owner)  # no owner said: asks who
    if intent == "set_deadline":
        return th.set_due(req, task, p.due) if p.due else asking.ask_date(req, task)
    if intent == "add_note":
        return th.note(req, task, p.note)
    return th.show(req, task)


def _task_named_by(req: Request, words: str) -> Task | Outgoing | None:
    """The task ``words`` name, a 'which one?' question when several match, None when none does."""
    try:
        return req.task(words)
    except Ambiguous as amb:
        return picking.ask_which(req, amb, ("task.block", {}))
    except NotFound:
        return None

