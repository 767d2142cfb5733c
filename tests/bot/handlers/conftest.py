"""A chat on a real database with a fixed clock: speak and press as anyone on the team."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Action, Incoming, Outgoing

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # Tuesday morning, London


class Chat:
    """Marcus (the admin) writes first; others join by being invited or by writing."""

    def __init__(self, conv: Conversation, clock: FixedClock) -> None:
        self.conv, self.clock = conv, clock
        self.ws, marcus = conv.onboard("test:chat", "Chat", "test", "U1", "Marcus", "marcus",
                                       tz="Europe/London")
        self.ids = {"marcus": marcus}
        self.last: Outgoing | None = None

    def join(self, name: str, external: str | None = None) -> int:
        """``name`` writes for the first time (linked to an invitation of the same name)."""
        _, pid = self.conv.onboard("test:chat", "Chat", "test", external or name, name,
                                   name.lower(), tz="Europe/London")
        self.ids[name.lower()] = pid
        return pid

    def say(self, who: str, text: str, chat: str = "dm") -> Outgoing:
        self.last = self.conv.handle(Incoming(self.ws, self._id(who), text=text, chat=chat))
        return self.last

    def press(self, who: str, label: str, out: Outgoing | None = None,
              chat: str = "dm") -> Outgoing:
        """Press the button labelled ``label`` (a prefix will do) of ``out`` or the last reply."""
        source = out or self.last
        assert source is not None
        button = next((b for b in source.buttons if b.label.startswith(label)), None)
        assert button is not None, f"no {label!r} in {[b.label for b in source.buttons]}"
        return self.act(who, button.action, chat=chat, **dict(button.args))

    def act(self, who: str, action: str, chat: str = "dm", **args: object) -> Outgoing:
        self.last = self.conv.handle(Incoming(self.ws, self._id(who),
                                              action=Action(action, args), chat=chat))
        return self.last

    def _id(self, who: str) -> int:
        if who not in self.ids:
            found = self.conv.known("test:chat", who)
            assert found is not None, f"{who} is not on the team"
            self.ids[who] = found[1]
        return self.ids[who]


@pytest.fixture
def chat(uow) -> Chat:
    clock = FixedClock(NOW)
    return Chat(Conversation(uow, clock), clock)
