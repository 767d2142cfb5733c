"""Transport-neutral messages: what adapters hand to the bot and get back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Action:
    """A button press: an action id (``task.extend``) and compact id arguments."""

    action: str
    args: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Incoming:
    """One message or button press, already mapped to a workspace and person.

    ``reply_to`` is an opaque platform reference the adapter uses to answer in
    the right place; the bot never looks inside it.
    """

    workspace_id: int
    person_id: int
    text: str | None = None
    action: Action | None = None
    direct: bool = True
    reply_to: str | None = None
    attachment: str | None = None  # proof: a file id, URL or path the adapter understood
    chat: str = ""  # the conversation it came from (a channel or DM id): questions wait per chat


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    args: Mapping[str, object] = field(default_factory=dict)
    style: str | None = None  # "primary" | "danger" | None


@dataclass(frozen=True)
class Picker:
    """A native picker where the platform has one (Slack: datepicker, users_select).

    Choosing presses ``action`` with ``args`` plus ``date`` (ISO day) or ``owner``
    (a person id). Elsewhere the question is answered by the next message.
    """

    kind: str  # "date" | "person"
    action: str
    args: Mapping[str, object] = field(default_factory=dict)
    placeholder: str = ""


@dataclass(frozen=True)
class Section:
    text: str
    buttons: tuple[Button, ...] = ()
    picker: Picker | None = None


@dataclass(frozen=True)
class Outgoing:
    """A reply or notice. ``edit_ref`` replaces an earlier message in place."""

    sections: tuple[Section, ...]
    image_path: str | None = None
    edit_ref: str | None = None
    ephemeral: bool = False
    # Outbox rows a notice carries: a port that can tag messages (Slack metadata)
    # marks them, so a retry after a lost answer finds the message already sent.
    notice_ids: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """All sections as plain text (console, notifications, logs)."""
        return "\n".join(s.text for s in self.sections)

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(b for s in self.sections for b in s.buttons)

    @property
    def picker(self) -> Picker | None:
        """The message's picker, if a section has one (a question waits for its answer)."""
        return next((s.picker for s in self.sections if s.picker is not None), None)

    @staticmethod
    def say(text: str, *buttons: Button) -> Outgoing:
        return Outgoing((Section(text, tuple(buttons)),))
