"""The python-telegram-bot ``Application``: updates in, neutral messages through the core.

Workspaces: a Telegram group becomes the workspace ``telegram:{chat_id}`` when
one of its admins sends ``/start`` (that admin becomes Vigil's admin; see
``lifecycle`` for upgrades to supergroups and the bot being added or
removed). People join by writing to the bot from that group or through a
deep link ``/start j<ws>_<signature>`` (``/invite`` in the group prints it).
Anonymous group admins act as one person with the admin role. In a private
chat a person acts in the workspace they belong to. Chats that belong to no
workspace get onboarding help, never data. Edited messages are ignored on
purpose (an edited command is not run again; see docs/platforms.md).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Chat, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.callbacks import CallbackError, decode_callback
from adapters.telegram.directory import (
    PLATFORM,
    Directory,
    Who,
    display_name,
    invite_code,
    parse_invite,
    workspace_key,
)
from adapters.telegram.inbound import (
    addressed_text,
    attachment_id,
    command,
    is_private,
    proof_text,
)
from adapters.telegram.lifecycle import (
    CANNOT_CHECK,
    ONLY_ADMINS,
    Lifecycle,
    is_anonymous_admin,
    is_group_admin,
)
from adapters.telegram.port import deliver, edit, parse_ref
from adapters.telegram.texts import (
    MAX_ANSWER,
    NOT_MEMBER,
    NOT_MEMBER_GROUP,
    ONBOARDING_GROUP,
    ONBOARDING_PRIVATE,
    PROOF_HELP,
)
from bot.conversation import Conversation
from bot.messages import Incoming, Outgoing
from bot.notify.ports import PermanentError

log = logging.getLogger("vigil.telegram")

# What Vigil asks Telegram for (getUpdates and setWebhook). Not edited_message: an edited
# command is not run again (see docs/platforms.md).
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")

__all__ = ["ALLOWED_UPDATES", "PLATFORM", "Directory", "TelegramBot", "Who",
           "invite_code", "parse_invite", "workspace_key"]


class TelegramBot:
    """The update handlers; all core and database work runs in a worker thread."""

    def __init__(self, conversation: Conversation, secret: str) -> None:
        self.conversation = conversation
        self.directory = Directory(conversation)
        self.secret = secret

    def install(self, application: Application) -> None:
        # "I haven't met @priya yet": the core answers with this workspace's join link
        self.conversation.join_links["telegram"] = (
            lambda ws: self.join_link(ws, application.bot.username))
        lifecycle = Lifecycle(self.directory)
        application.add_handler(ChatMemberHandler(lifecycle.on_my_chat_member,
                                                  ChatMemberHandler.MY_CHAT_MEMBER))
        application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE,
                                               lifecycle.on_migrate))
        application.add_handler(CallbackQueryHandler(self.on_callback))
        # Not edited messages: running an edited command again would apply it twice.
        application.add_handler(MessageHandler(
            (filters.TEXT | filters.PHOTO | filters.Document.ALL) & ~filters.UpdateType.EDITED,
            self.on_message))
        application.add_error_handler(self.on_error)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %s", context.error, exc_info=context.error)

    # ------------------------------------------------------------ messages

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        anonymous = is_anonymous_admin(message)
        if message.sender_chat is not None and not anonymous:
            return  # on behalf of a channel (a linked channel's post): nobody's request
        if user.is_bot and not anonymous:
            return
        bot = context.bot
        text = message.text or message.caption or ""
        addressed = addressed_text(message, text, bot.username, bot.id)
        upload = attachment_id(message)
        if addressed is None:
            return
        cmd = command(text, bot.username)
        verb = cmd[0] if cmd else None
        if verb == "start":
            await self.start(message, user, cmd[1] if cmd else "", context)
            return
        who = await asyncio.to_thread(self.identify, message, user, anonymous)
        if who is None:
            await self.say(message, ONBOARDING_PRIVATE if is_private(message)
                           else ONBOARDING_GROUP, context)
            return
        if verb == "invite":
            await self.say(message, self.invite_text(who.workspace_id, bot.username), context)
            return
        attachment = None
        if upload is not None:
            kind, file_id = upload
            core_text = proof_text(message, addressed, kind, file_id)
            if core_text is None:
                await self.say(message, PROOF_HELP, context)
                return
            addressed, attachment = core_text, file_id
        incoming = Incoming(who.workspace_id, who.person_id, text=addressed,
                            direct=is_private(message),
                            reply_to=f"{message.chat_id}:{message.message_id}",
                            attachment=attachment, chat=str(message.chat_id))
        out = await asyncio.to_thread(self.conversation.handle, incoming)
        await respond(bot, message.chat_id, out, who.workspace_id,
                      None if is_private(message) else message.message_id)

    def identify(self, message: Message, user: User, anonymous: bool) -> Who | None:
        """The writer (anonymous admins: the group's admins person) or None (no workspace)."""
        if anonymous:
            if self.directory.group_workspace(message.chat_id) is None:
                return None
            return self.directory.group_admins(message.chat)
        return self.directory.identify(message.chat, user)

    async def say(self, message: Message, text: str,
                  context: ContextTypes.DEFAULT_TYPE) -> None:
        await deliver(context.bot, message.chat_id, Outgoing.say(text), None,
                      None if is_private(message) else message.message_id)

    def join_link(self, workspace_id: int, bot_username: str | None) -> str:
        code = invite_code(self.secret, workspace_id)
        return f"https://t.me/{bot_username}?start={code}" if bot_username else f"/start {code}"

    def invite_text(self, workspace_id: int, bot_username: str | None) -> str:
        link = self.join_link(workspace_id, bot_username)
        return f"Teammates join this workspace by opening {link} (or by writing to me here)."

    async def start(self, message: Message, user: User, payload: str,
                    context: ContextTypes.DEFAULT_TYPE) -> None:
        bot = context.bot
        if not is_private(message):
            await self.start_group(message, user, context)
            return
        if payload:
            workspace_id = parse_invite(self.secret, payload)
            found = (await asyncio.to_thread(self.directory.workspace_name_key, workspace_id)
                     if workspace_id is not None else None)
            if found is None:
                await self.say(message, "That invite link is not valid. Ask a teammate for a "
                                        "fresh one (/invite in your team's group).", context)
                return
            name, key = found
            await asyncio.to_thread(self.directory.join, key, name, user)
            await self.say(message, f"You're linked to {name}. Tell me about your work here — "
                                    "/help lists what I understand.", context)
            return
        known = await asyncio.to_thread(self.directory.private_workspace, user.id)
        if known is None:
            await self.say(message, ONBOARDING_PRIVATE, context)
            return
        out = await asyncio.to_thread(self.conversation.handle,
                                      Incoming(known.workspace_id, known.person_id, text="help"))
        await deliver(bot, message.chat_id, out, known.workspace_id)

    async def start_group(self, message: Message, user: User,
                          context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start in a group: an admin sets the workspace up; anyone may join one."""
        chat = message.chat
        existed = await asyncio.to_thread(self.directory.group_workspace, chat.id)
        anonymous = is_anonymous_admin(message)
        if existed is None:
            admin = await is_group_admin(context.bot, message, user)
            if not admin:
                await self.say(message, CANNOT_CHECK if admin is None else ONLY_ADMINS,
                               context)
                return
        if anonymous:
            who = await asyncio.to_thread(self.directory.group_admins, chat)
            name = "the group's admins"
        else:
            who = await asyncio.to_thread(self.directory.join, workspace_key(chat.id),
                                          chat.title or "Telegram group", user)
            name = display_name(user)
        if existed is None:
            text = (f"This group is now a Vigil workspace and {name} is its admin. Add tasks "
                    "with /add, see yours with /tasks, /help lists everything.\n\n"
                    + self.invite_text(who.workspace_id, context.bot.username))
        else:
            text = "Vigil already watches this group — you're in. /help lists what I do."
        await self.say(message, text, context)

    # ------------------------------------------------------------ buttons

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        answer: str | None = None
        try:
            answer = await self._press(update, context)
        finally:
            try:
                await query.answer(answer[:MAX_ANSWER] if answer else None)
            except TelegramError as exc:
                log.warning("answerCallbackQuery failed: %s", exc)

    async def _press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
        """Run the press as the presser; returns the text for answerCallbackQuery."""
        query = update.callback_query
        assert query is not None
        presser = query.from_user
        try:
            action, pinned = decode_callback(query.data)
        except CallbackError:
            return "That button is not valid any more."
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != Chat.PRIVATE:
            ws = await asyncio.to_thread(self.directory.group_workspace, chat.id)
            if ws is None:
                return "This group is not a Vigil workspace yet — send /start here."
            if pinned is not None and pinned != ws:
                return NOT_MEMBER
        elif pinned is not None:
            ws = pinned
        else:
            found = await asyncio.to_thread(self.directory.private_workspace, presser.id)
            if found is None:
                return NOT_MEMBER
            ws = found.workspace_id
        person = await asyncio.to_thread(self.directory.member, ws, presser.id)
        if person is None:
            in_group = chat is not None and chat.type != Chat.PRIVATE
            return NOT_MEMBER_GROUP if in_group and pinned in (None, ws) else NOT_MEMBER
        reply_to = (f"{chat.id}:{query.message.message_id}"
                    if chat is not None and query.message is not None else None)
        out = await asyncio.to_thread(self.conversation.handle, Incoming(
            ws, person, action=action, direct=chat is None or chat.type == Chat.PRIVATE,
            reply_to=reply_to, chat=str(chat.id if chat is not None else presser.id)))
        if out.ephemeral and not out.buttons and len(out.text) <= MAX_ANSWER:
            return out.text
        target = chat.id if chat is not None else presser.id
        await respond(context.bot, target, out, ws)
        return None


async def respond(bot: Bot, chat_id: int, out: Outgoing, workspace_id: int,
                  reply_to_message_id: int | None = None) -> None:
    """Send the core's answer; an ``edit_ref`` in this chat edits that message instead."""
    if out.edit_ref:
        try:
            ref_chat, _ = parse_ref(out.edit_ref)
            if ref_chat == chat_id:
                await edit(bot, out.edit_ref, out, workspace_id)
                return
        except (PermanentError, TelegramError) as exc:
            log.info("could not edit %s (%s); sending a new message", out.edit_ref, exc)
    await deliver(bot, chat_id, out, workspace_id, reply_to_message_id)
