"""The transport-neutral conversation: Incoming in, Outgoing out.

Every adapter (console, Slack, Telegram) calls the same ``Conversation``.
One message is one transaction: a refused or bad request changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import replace

from bot import limits
from bot.clock import Clock
from bot.errors import NotFound, VigilError
from bot.handlers import (
    actions,
    admin,
    answers,
    asking,
    away,
    capture,
    closing,
    handover,
    inquiry,
    lifecycle,
    lists,
    moving,
    picking,
    questions,
    redo,
    someone,
    undo,
    working,
)
from bot.handlers import people as team_handlers
from bot.handlers import tasks as th
from bot.handlers.request import Ambiguous, Request, UnknownPerson
from bot.language import DateNotUnderstood, ParsedIntent, parse
from bot.language.settings import date_order
from bot.messages import Action, Incoming, Outgoing, Section
from bot.notify.digest import digest
from bot.notify.home import home_message
from bot.notify.notifier import answering
from bot.observe import metrics
from bot.services import people as people_svc
from bot.transaction import answer_in_transaction
from bot.views import board as board_view
from bot.views import gantt as gantt_view
from bot.views import team as team_view
from engine.model import Person, Task, WorkCalendar
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.conversation")

NOT_YET: dict[str, str] = {}
INQUIRIES = {"who_owns": inquiry.who_owns, "when_due": inquiry.when_due,
             "is_done": inquiry.is_done, "how_far": inquiry.how_far,
             "why_blocked": inquiry.why_blocked, "task_status": inquiry.status_line}


class Conversation:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock,
                 join_links: Mapping[str, Callable[[int], str]] | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        # platform -> a workspace's join link (Telegram's t.me deep link); adapters register it
        self.join_links: dict[str, Callable[[int], str]] = dict(join_links or {})

    def join_hint(self, uow: UnitOfWork, ws: int, person: Person) -> str | None:
        """How someone Vigil has not met joins on the speaker's platform (Telegram: a link)."""
        for identity in uow.people.identities(ws, person.id):
            if identity.platform in self.join_links:
                return self.join_links[identity.platform](ws)
        return None

    def onboard(self, workspace_key: str, workspace_name: str, platform: str, external_id: str,
                name: str, handle: str | None = None, tz: str = "UTC") -> tuple[int, int]:
        """The workspace and person for a platform user, created on first contact.

        The first person of a workspace becomes its admin.
        """
        with self.uow_factory() as uow:
            ws = uow.workspaces.by_key(workspace_key)
            if ws is None:
                ws = uow.workspaces.create(workspace_key, workspace_name, tz=tz,
                                           calendar=WorkCalendar(tz=tz))
            person = uow.people.by_identity(ws.id, platform, external_id)
            if person is None:
                person = _invited(uow, ws.id, platform, handle, name)
            if person is None:
                person = people_svc.add_person(uow, ws.id, name,
                                               handle=handle or people_svc.handle_from(name),
                                               tz=tz)
            if uow.people.by_identity(ws.id, platform, external_id) is None:
                uow.people.add_identity(ws.id, person.id, platform, external_id)
            uow.commit()
            return ws.id, person.id

    def known(self, workspace_key: str, name: str) -> tuple[int, int] | None:
        """(workspace id, person id) of the person with this handle or name, or None."""
        with self.uow_factory() as uow:
            ws = uow.workspaces.by_key(workspace_key)
            person = uow.people.by_handle(ws.id, name) if ws is not None else None
            return (ws.id, person.id) if ws is not None and person is not None else None

    def name_of(self, workspace_id: int, person_id: int) -> str:
        """A person's display name."""
        with self.uow_factory() as uow:
            person = uow.people.get(workspace_id, person_id)
            return person.name if person else "?"

    def admin_of(self, workspace_key: str) -> tuple[int, int, str] | None:
        """The first admin of a workspace (id, person id, name), or None when it has nobody."""
        with self.uow_factory() as uow:
            ws = uow.workspaces.by_key(workspace_key)
            people = uow.people.list(ws.id) if ws is not None else []
            admins = [p for p in people if p.role.value == "admin"] or people
            return (ws.id, admins[0].id, admins[0].name) if ws is not None and admins else None

    def join(self, workspace_key: str, platform: str, external_id: str, name: str,
             handle: str | None = None, tz: str = "UTC") -> tuple[int, int] | None:
        """The person in an EXISTING workspace, added as a member on first contact.

        None when no workspace has that key: only its creator (an installation,
        a first DM, a group admin's /start) makes one, through ``onboard``.
        """
        with self.uow_factory() as uow:
            if uow.workspaces.by_key(workspace_key) is None:
                return None
        return self.onboard(workspace_key, "", platform, external_id, name, handle, tz)

    def home(self, workspace_id: int, person_id: int) -> Outgoing:
        """The person's home screen (Slack's App Home): their My Tasks."""
        with self.uow_factory() as uow:
            out = home_message(uow, workspace_id, person_id, self.clock.now())
        return out or Outgoing.say("I don't know you in this workspace yet.")

    def handle(self, incoming: Incoming) -> Outgoing:
        """Answer one message or button press; never silent, never half-applied.

        The whole transaction runs inside ``answer_in_transaction``: database
        faults are retried or answered honestly (see ``bot.transaction``).
        """
        return answer_in_transaction(self.uow_factory, self.clock.now,
                                     lambda uow: self._step(uow, incoming),
                                     what=incoming.text or incoming.action)

    def _step(self, uow: UnitOfWork, incoming: Incoming) -> tuple[Outgoing, bool]:
        """The answer and whether to commit (refusals and errors change nothing)."""
        workspace = uow.workspaces.get(incoming.workspace_id)
        person = uow.people.get(incoming.workspace_id, incoming.person_id)
        if workspace is None or person is None:
            return Outgoing.say("I don't know you in this workspace yet."), False
        uow.lock_workspace(workspace.id)  # one change or tick of a workspace at a time
        req = Request(uow, workspace, person, self.clock.now(), incoming.attachment,
                      incoming.chat, incoming.text or "")
        try:  # a DM's reply shows what the change caused: no alert of it to the writer too
            with answering(person.id) if incoming.direct else nullcontext():
                if incoming.action is not None:
                    out = actions.handle(req, incoming.action)
                else:
                    out = self._text(req, incoming.text or "", incoming.direct)
        except Ambiguous as amb:
            uow.rollback()  # nothing of the request is kept: only the question is stored
            return picking.ask_which(req, amb, ("task.show", {})), True
        except UnknownPerson as unknown:
            uow.rollback()
            hint = self.join_hint(uow, workspace.id, person)
            out = team_handlers.unknown_mention(unknown.text, hint)
            questions.offer_to_add(req, out.buttons[0])  # "yes" adds them
            return out, True
        except (VigilError, DateNotUnderstood) as exc:
            message = str(exc).rstrip()
            if not message.endswith((".", "?", "!")):
                message += "."
            return Outgoing.say(f"⚠ {message} Nothing was changed."), False
        if req.topic is not None and uow.tasks.get(workspace.id, req.topic) is not None:
            # "it" in this chat's next message means this task (unless it was just deleted)
            uow.topics.set(workspace.id, person.id, req.chat, req.topic, req.now)
        return out, True

    def _text(self, req: Request, text: str, direct: bool = True) -> Outgoing:
        if not text.strip():
            return lists.not_understood()
        limits.check_message(text)  # refused whole, never cut at 2,000 characters
        again = redo.kept(req, text)  # "Now say it again": the sentence that waited on someone
        if isinstance(again, Outgoing):
            return again
        if again:
            text = req.text = again
        answer = (questions.answer(req, text, answers.ANSWERS) or undo.handle(req, text)
                  or team_handlers.handle(req, text)
                  or lifecycle.handle(req, text) or away.handle(req, text)
                  or admin.handle(req, text) or (lists.pleasantry(text) if direct else None)
                  or (lists.greeting(req) if lists.is_greeting(text) else None))
        if answer is None:
            parsed = parse(text, req.now, req.tz, req.person.handle or req.person.name.lower(),
                           date_order=date_order(req.workspace.settings,
                                                 req.workspace.calendar.tz),
                           direct=direct)
            metrics.count_parse(parsed.intent)
            answer = _dispatch(req, parsed)
        if again:
            answer = replace(answer, sections=(Section(f"Again: {again}"),) + answer.sections)
        if req.left:  # the request moved on from a question of Vigil's: say what was left
            answer = replace(answer, sections=(Section(req.left),) + answer.sections)
        return answer


def _invited(uow: UnitOfWork, ws: int, platform: str, handle: str | None,
             name: str) -> Person | None:
    """Someone invited by name who writes for the first time: the same person, not a new one."""
    for text in (handle, name):
        person = uow.people.by_handle(ws, text) if text else None
        if person is not None and not any(i.platform == platform
                                          for i in uow.people.identities(ws, person.id)):
            return person
    return None


def _dispatch(req: Request, p: ParsedIntent) -> Outgoing:
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


__all__ = ["Action", "Conversation"]
