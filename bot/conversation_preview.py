"""How the chat reads a sentence, for ``vigil parse`` and the corpus (DESIGN §8).

The sentence goes through the conversation itself (``Conversation.step``), not
a second parser: the speaker is the admin of a scratch workspace in an
in-memory database, and everything the answer would change is rolled back.
So "add Ben as staff" reads as ``invite``, "hi there 👋" as ``greeting`` and
"cancel #14" as ``cancel`` — exactly what a message in the chat does. The
reply is the one an empty workspace gives ("There is no task #14 here").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.conversation_text import DATE_ERROR
from bot.language import DateNotUnderstood, ParsedIntent
from bot.messages import Incoming, Outgoing
from bot.services import people as people_svc
from engine.model import WorkCalendar
from storage.db import make_engine, upgrade
from storage.uow import UnitOfWork, make_uow_factory


@dataclass(frozen=True)
class Reading:
    """What the chat made of a sentence: the reading's name, the parse, the reply."""

    heard: str  # "invite", "cancel", "greeting", ... or the parsed intent ("create_task")
    parsed: ParsedIntent | None  # the parser's reading when no named handler took the words
    reply: Outgoing

    @property
    def intent(self) -> ParsedIntent:
        """The parse, or for a named handler's reading an intent of that name, no fields."""
        return self.parsed if self.parsed is not None else ParsedIntent(self.heard)


class _Scratch:
    """An in-memory database holding one committed workspace per (zone, speaker)."""

    def __init__(self) -> None:
        engine = make_engine("sqlite://")
        upgrade(engine)
        self.uow: Callable[[], UnitOfWork] = make_uow_factory(engine)
        self.speakers: dict[tuple[str, str], tuple[int, int]] = {}

    def speaker(self, tz: str, handle: str) -> tuple[int, int]:
        key = (tz, handle)
        if key not in self.speakers:
            with self.uow() as uow:
                ws = uow.workspaces.create(f"parse:{len(self.speakers)}", "Scratch", tz=tz,
                                           calendar=WorkCalendar(tz=tz))
                person = people_svc.add_person(uow, ws.id, handle.capitalize(),
                                               handle=handle, tz=tz)
                uow.commit()
                self.speakers[key] = (ws.id, person.id)
        return self.speakers[key]


@functools.cache
def _scratch() -> _Scratch:
    return _Scratch()


def read(text: str, now: datetime, tz: str, speaker: str, date_order: str | None = None,
         direct: bool = True) -> Reading:
    """How the chat reads ``text`` said by ``speaker`` (an admin) at ``now``; nothing kept."""
    scratch = _scratch()
    ws, person = scratch.speaker(tz, speaker.lstrip("@").lower())
    conversation = Conversation(scratch.uow, FixedClock(now))
    with scratch.uow() as uow:  # never committed: the block's end rolls everything back
        reply, _, req = conversation.step(
            uow, Incoming(ws, person, text=text, chat="parse", direct=direct), date_order)
    assert req is not None  # the scratch speaker always exists
    return Reading(req.heard or "unknown", req.parsed, reply)


def understand(text: str, now: datetime, tz: str, speaker: str,
               date_order: str | None = None, direct: bool = True) -> ParsedIntent:
    """The chat's reading as a ParsedIntent (the corpus grades it); a date the parser
    could not read raises DateNotUnderstood with the chat's reply."""
    reading = read(text, now, tz, speaker, date_order, direct)
    if reading.heard == DATE_ERROR:
        raise _DateRefused(reading.reply.text)
    return reading.intent


class _DateRefused(DateNotUnderstood):
    """The chat's "⚠ I could not understand the date …" reply, as the parser's error."""

    def __init__(self, reply: str) -> None:
        ValueError.__init__(self, reply.removeprefix("⚠ ").removesuffix(" Nothing was changed."))
        self.phrase = reply
