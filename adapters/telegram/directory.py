"""Telegram identities -> Vigil workspaces and people, through the core's storage.

A group is the workspace ``telegram:{chat_id}``. Anonymous group admins
(messages sent "as the group": ``sender_chat`` is the group itself, from
GroupAnonymousBot) are one person of the workspace, "<group> admins", with
the admin role; their Telegram identity is the group's chat id, so what is
meant for them is said in the group.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from telegram import Chat, User

from bot.conversation import Conversation
from bot.services import people as people_svc
from engine.model import Role

log = logging.getLogger("vigil.telegram")

PLATFORM = "telegram"
_INVITE_RE = re.compile(r"^j(?P<ws>\d{1,12})_(?P<sig>[A-Za-z0-9_\-]{12})$")


def workspace_key(chat_id: int) -> str:
    return f"{PLATFORM}:{chat_id}"


def _signature(secret: str, workspace_id: int) -> str:
    digest = hmac.new(secret.encode(), f"join:{workspace_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:12]


def invite_code(secret: str, workspace_id: int) -> str:
    """Deep-link payload for joining a workspace (A-Z a-z 0-9 _ -, at most 64 chars)."""
    return f"j{workspace_id}_{_signature(secret, workspace_id)}"


def parse_invite(secret: str, code: str) -> int | None:
    m = _INVITE_RE.match(code.strip())
    if m is None:
        return None
    workspace_id = int(m.group("ws"))
    if not hmac.compare_digest(m.group("sig"), _signature(secret, workspace_id)):
        return None
    return workspace_id


def display_name(user: User) -> str:
    return user.full_name or user.username or f"user{user.id}"


def handle_of(user: User) -> str:
    """The Telegram @username, else the first name squashed to letters and digits."""
    if user.username:
        return user.username.lower()
    squashed = "".join(ch for ch in (user.first_name or "").lower() if ch.isalnum())
    return squashed or f"tg{user.id}"


@dataclass(frozen=True)
class Who:
    workspace_id: int
    person_id: int


class Directory:
    """Platform identities -> workspace and person (all calls run in a worker thread)."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    def group_workspace(self, chat_id: int) -> int | None:
        with self.conversation.uow_factory() as uow:
            ws = uow.workspaces.by_key(workspace_key(chat_id))
            return ws.id if ws else None

    def member(self, workspace_id: int, user_id: int) -> int | None:
        with self.conversation.uow_factory() as uow:
            person = uow.people.by_identity(workspace_id, PLATFORM, str(user_id))
            return person.id if person else None

    def private_workspace(self, user_id: int) -> Who | None:
        """The workspace a person uses from a private chat (the oldest one they belong to)."""
        with self.conversation.uow_factory() as uow:
            for ws in sorted(uow.workspaces.list(), key=lambda w: w.id):
                person = uow.people.by_identity(ws.id, PLATFORM, str(user_id))
                if person is not None:
                    return Who(ws.id, person.id)
        return None

    def workspace_name_key(self, workspace_id: int) -> tuple[str, str] | None:
        with self.conversation.uow_factory() as uow:
            ws = uow.workspaces.get(workspace_id)
            return (ws.name, ws.key) if ws else None

    def join(self, key: str, name: str, user: User) -> Who:
        ws, person = self.conversation.onboard(key, name, PLATFORM, str(user.id),
                                               display_name(user), handle=handle_of(user))
        return Who(ws, person)

    def group_admins(self, chat: Chat) -> Who:
        """The person the group's anonymous admins act as (created on first use, admin)."""
        title = chat.title or "Telegram group"
        ws, person = self.conversation.onboard(workspace_key(chat.id), title, PLATFORM,
                                               str(chat.id), f"{title} admins",
                                               handle="admins")
        with self.conversation.uow_factory() as uow:
            record = uow.people.get(ws, person)
            if record is not None and record.role != Role.ADMIN.value:
                people_svc.update_person(uow, ws, self.conversation.clock.now(), person,
                                         role=Role.ADMIN.value)
                uow.commit()
        return Who(ws, person)

    def identify(self, chat: Chat, user: User) -> Who | None:
        """Who is writing, or None when the chat belongs to no workspace."""
        if chat.type == Chat.PRIVATE:
            return self.private_workspace(user.id)
        ws = self.group_workspace(chat.id)
        if ws is None:
            return None
        person = self.member(ws, user.id)
        if person is not None:
            return Who(ws, person)
        # Writing to the bot from the team's group is how people join.
        return self.join(workspace_key(chat.id), chat.title or "Telegram group", user)

    def migrate(self, old_chat_id: int, new_chat_id: int) -> int | None:
        """The group became a supergroup (new chat id): its workspace follows.

        Idempotent (Telegram sends both ``migrate_to_chat_id`` in the old chat
        and ``migrate_from_chat_id`` in the new one). Returns the workspace id.
        """
        with self.conversation.uow_factory() as uow:
            moved = uow.workspaces.by_key(workspace_key(new_chat_id))
            if moved is not None:
                return moved.id
            ws = uow.workspaces.by_key(workspace_key(old_chat_id))
            if ws is None:
                return None
            uow.workspaces.rekey(ws.id, workspace_key(new_chat_id))
            # the anonymous admins' identity is the group's chat id
            uow.people.move_identity(ws.id, PLATFORM, str(old_chat_id), str(new_chat_id))
            uow.commit()
            log.info("Telegram group %s became %s: workspace %s follows", old_chat_id,
                     new_chat_id, ws.id)
            return ws.id

    def set_paused(self, chat_id: int, at: datetime | None) -> tuple[int, bool] | None:
        """Pause (``at``) or resume (None) the group's workspace; (id, it was paused)."""
        with self.conversation.uow_factory() as uow:
            ws = uow.workspaces.by_key(workspace_key(chat_id))
            if ws is None:
                return None
            was_paused = ws.paused_at is not None
            uow.workspaces.set_paused(ws.id, at)
            uow.commit()
            return ws.id, was_paused
