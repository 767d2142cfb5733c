"""A group's life with Vigil: set up by an admin, followed when it moves, paused when left.

* ``/start`` in a group makes it a workspace only when a group admin sends it
  (``getChatMember``: creator or administrator; an anonymous admin, writing
  as the group through ``sender_chat``, is an admin too).
* ``migrate_to_chat_id`` / ``migrate_from_chat_id``: a group upgraded to a
  supergroup gets a new chat id; its workspace, tasks and people follow.
* ``my_chat_member``: Vigil added to a group -> a short greeting saying how
  to start (or, for a paused workspace, that it is back); removed or kicked
  -> the workspace is paused: its scheduled notices stop, nothing is deleted,
  and adding Vigil again resumes it.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, ChatMember, ChatMemberUpdated, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.telegram.directory import Directory
from adapters.telegram.port import deliver
from bot.messages import Outgoing

log = logging.getLogger("vigil.telegram")

ADMIN_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
PRESENT_STATUSES = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER,
                    ChatMember.RESTRICTED)
ONLY_ADMINS = ("Only an admin of this group can set Vigil up here (whoever does becomes "
               "Vigil's admin for the group). Ask one of them to send /start.")
CANNOT_CHECK = ("I could not check whether you are an admin of this group; please try "
                "/start again in a minute.")
GREETING = ("Hi, I'm Vigil: I keep track of this team's tasks and tell the right person when "
            "work slips. An admin of this group sends /start to set me up — whoever does "
            "becomes Vigil's admin here.")
BACK = ("I'm back. Everything was kept: tasks, people and settings; reminders and digests "
        "for this group start again.")


def is_anonymous_admin(message: Message) -> bool:
    """Sent "as the group" by one of its anonymous admins (not a linked channel's post)."""
    return message.sender_chat is not None and message.sender_chat.id == message.chat_id


async def is_group_admin(bot: Bot, message: Message, user: User) -> bool | None:
    """Whether the sender administers the group; None when Telegram would not say."""
    if is_anonymous_admin(message):
        return True
    try:
        member = await bot.get_chat_member(message.chat_id, user.id)
    except TelegramError as exc:
        log.warning("getChatMember failed in %s: %s", message.chat_id, exc)
        return None
    return member.status in ADMIN_STATUSES


def membership_change(change: ChatMemberUpdated) -> str | None:
    """"added" or "removed" when Vigil's own membership of a group changed, else None."""
    was = change.old_chat_member.status in PRESENT_STATUSES
    now = change.new_chat_member.status in PRESENT_STATUSES
    if change.new_chat_member.status == ChatMember.RESTRICTED:
        now = bool(getattr(change.new_chat_member, "is_member", True))
    if change.old_chat_member.status == ChatMember.RESTRICTED:
        was = bool(getattr(change.old_chat_member, "is_member", True))
    if was == now:
        return None
    return "added" if now else "removed"


class Lifecycle:
    """The group lifecycle handlers (database work in a worker thread)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    async def on_my_chat_member(self, update: Update,
                                context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None or change.chat.type == change.chat.PRIVATE:
            return  # a person blocking or unblocking the bot in private: nothing to do
        what = membership_change(change)
        chat_id = change.chat.id
        if what == "removed":
            paused = await asyncio.to_thread(self.directory.set_paused, chat_id,
                                             self.directory.conversation.clock.now())
            if paused is not None:
                log.warning("Vigil was removed from Telegram group %s: workspace %s paused "
                            "(nothing deleted)", chat_id, paused[0])
            return
        if what == "added":
            resumed = await asyncio.to_thread(self.directory.set_paused, chat_id, None)
            text = BACK if resumed is not None and resumed[1] else (
                GREETING if resumed is None else None)
            if text:
                await deliver(context.bot, chat_id, Outgoing.say(text), resumed[0]
                              if resumed else None)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:  # seen in the old group
            old, new = message.chat_id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:  # seen in the new supergroup
            old, new = message.migrate_from_chat_id, message.chat_id
        else:
            return
        await asyncio.to_thread(self.directory.migrate, old, new)
