"""The transport-neutral conversation: Incoming in, Outgoing out.

Every adapter (console, Slack, Telegram) calls the same ``Conversation``.
One message is one transaction: a refused or bad request changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import nullcontext

from bot import conversation_text
from bot.clock import Clock
from bot.errors import VigilError
from bot.handlers import actions, picking, questions
from bot.handlers import people as team_handlers
from bot.handlers.request import Ambiguous, Request, UnknownPerson
from bot.language import DateNotUnderstood
from bot.messages import Action, Incoming, Outgoing
from bot.notify.home import home_message
from bot.notify.notifier import answering
from bot.services import people as people_svc
from bot.transaction import answer_in_transaction
from engine.model import Person, WorkCalendar
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.conversation")


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
        out, commit, _ = self.step(uow, incoming)
        return out, commit

    def step(self, uow: UnitOfWork, incoming: Incoming,
             order: str | None = None) -> tuple[Outgoing, bool, Request | None]:
        """One message in an open unit of work: the answer, whether to commit, and the
        request (how the words were heard); ``vigil parse`` runs it and rolls back."""
        workspace = uow.workspaces.get(incoming.workspace_id)
        person = uow.people.get(incoming.workspace_id, incoming.person_id)
        if workspace is None or person is None:
            return Outgoing.say("I don't know you in this workspace yet."), False, None
        uow.lock_workspace(workspace.id)  # one change or tick of a workspace at a time
        req = Request(uow, workspace, person, self.clock.now(), incoming.attachment,
                      incoming.chat, incoming.text or "")
        try:  # a DM's reply shows what the change caused: no alert of it to the writer too
            with answering(person.id) if incoming.direct else nullcontext():
                if incoming.action is not None:
                    out = actions.handle(req, incoming.action)
                else:
                    out = conversation_text.answer(req, incoming.text or "", incoming.direct,
                                                   order)
        except Ambiguous as amb:
            uow.rollback()  # nothing of the request is kept: only the question is stored
            return picking.ask_which(req, amb, ("task.show", {})), True, req
        except UnknownPerson as unknown:
            uow.rollback()
            hint = self.join_hint(uow, workspace.id, person)
            out = team_handlers.unknown_mention(unknown.text, hint)
            questions.offer_to_add(req, out.buttons[0])  # "yes" adds them
            return out, True, req
        except (VigilError, DateNotUnderstood) as exc:
            message = str(exc).rstrip()
            if not message.endswith((".", "?", "!")):
                message += "."
            return Outgoing.say(f"⚠ {message} Nothing was changed."), False, req
        if req.topic is not None and uow.tasks.get(workspace.id, req.topic) is not None:
            # "it" in this chat's next message means this task (unless it was just deleted)
            uow.topics.set(workspace.id, person.id, req.chat, req.topic, req.now)
        return out, True, req


def _invited(uow: UnitOfWork, ws: int, platform: str, handle: str | None,
             name: str) -> Person | None:
    """Someone invited by name who writes for the first time: the same person, not a new one."""
    for text in (handle, name):
        person = uow.people.by_handle(ws, text) if text else None
        if person is not None and not any(i.platform == platform
                                          for i in uow.people.identities(ws, person.id)):
            return person
    return None


__all__ = ["Action", "Conversation"]
