"""Terminal rendering of neutral messages; buttons become numbered choices."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.conversation import Conversation
from bot.messages import Action, Button, Incoming, Outgoing
from bot.notify.ports import Recipient

WORKSPACE_KEY = "console:default"
PLATFORM = "console"
PROMPT_HELP = ("Type a command or a sentence (help lists them). /as NAME switches who you are; "
               "a number presses a button; /quit leaves.")


def render(out: Outgoing) -> tuple[str, list[Button]]:
    """Text for the terminal, and the buttons in the order they are numbered."""
    lines: list[str] = []
    buttons: list[Button] = []
    for section in out.sections:
        lines.append(section.text)
        if section.buttons:
            labels = []
            for button in section.buttons:
                buttons.append(button)
                labels.append(f"[{len(buttons)}] {button.label}")
            lines.append("   " + "  ".join(labels))
    if out.image_path:
        lines.append(f"(image saved to {out.image_path})")
    return "\n".join(lines), buttons


class ConsoleInbox:
    """The console's notification port.

    A notice for the person at the keyboard is printed at once; one for
    somebody else waits in their inbox until ``/as`` makes them current. An
    edit (an alert turned "resolved") is printed or replaces the waiting one.
    """

    def __init__(self) -> None:
        self.waiting: dict[int, list[tuple[str, Outgoing]]] = {}
        self.owner_of: dict[str, int] = {}
        self.current: Callable[[], int] = lambda: -1
        self.show: Callable[[str, Outgoing], None] = lambda ref, message: None
        self._count = 0

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        self._count += 1
        ref = f"notice {self._count}"
        self.owner_of[ref] = recipient.person_id
        self._deliver(recipient.person_id, ref, message)
        return ref

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        person_id = self.owner_of.get(platform_ref)
        if person_id is None:
            return
        items = self.waiting.get(person_id, [])
        self.waiting[person_id] = [item for item in items if item[0] != platform_ref]
        self._deliver(person_id, platform_ref, message)

    def _deliver(self, person_id: int, ref: str, message: Outgoing) -> None:
        if person_id == self.current():
            self.show(ref, message)
        else:
            self.waiting.setdefault(person_id, []).append((ref, message))

    def take(self, person_id: int) -> list[tuple[str, Outgoing]]:
        """Hand over (and forget) what is waiting for ``person_id``."""
        return self.waiting.pop(person_id, [])


class ConsoleAdapter:
    """Reads lines, sends them through the conversation, prints the replies."""

    def __init__(self, conversation: Conversation, write: Callable[[str], None],
                 tz: str = "UTC", name: str = "Me", inbox: ConsoleInbox | None = None,
                 after_each: Callable[[], None] | None = None) -> None:
        self.conversation = conversation
        self.write = write
        self.tz = tz
        self.buttons: list[Button] = []
        self.inbox = inbox
        self.after_each = after_each  # runs the scheduled jobs between lines
        self.workspace_id, self.person_id = self._become(name)
        self.name = name
        if inbox is not None:
            inbox.current = lambda: self.person_id
            inbox.show = lambda ref, message: self._show(message, prefix=f"🔔 ({ref}) ")

    def _become(self, name: str) -> tuple[int, int]:
        handle = "".join(ch for ch in name.lower() if ch.isalnum() or ch in "._-") or "me"
        return self.conversation.onboard(WORKSPACE_KEY, "Console", PLATFORM, handle, name,
                                         handle=handle, tz=self.tz)

    def feed(self, line: str) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit"):
            return False
        if text.startswith("/as"):
            name = text[3:].strip()
            if not name:
                self.write("Usage: /as NAME")
                return True
            self.workspace_id, self.person_id = self._become(name)
            self.name = name
            self.write(f"You are now {name}.")
            if self.after_each is not None:  # the notices kept for them arrive now
                self.after_each()
            for ref, message in self.inbox.take(self.person_id) if self.inbox else []:
                self._show(message, prefix=f"🔔 ({ref}) ")
            return True
        if text.isdigit() and self.buttons:
            index = int(text) - 1
            if not 0 <= index < len(self.buttons):
                self.write(f"Pick a number from 1 to {len(self.buttons)}.")
                return True
            button = self.buttons[index]
            self._show(self.conversation.handle(Incoming(
                self.workspace_id, self.person_id, action=Action(button.action, button.args))))
        else:
            self._show(self.conversation.handle(
                Incoming(self.workspace_id, self.person_id, text=text)))
        if self.after_each is not None:
            self.after_each()
        return True

    def _show(self, out: Outgoing, prefix: str = "") -> None:
        text, self.buttons = render(out)
        self.write(prefix + text)

    def run(self, lines: Iterable[str]) -> None:
        """The loop: one reply per line until /quit or the end of input."""
        self.write(PROMPT_HELP)
        for line in lines:
            if not self.feed(line):
                break
