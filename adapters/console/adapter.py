"""Terminal rendering of neutral messages; buttons become numbered choices."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.conversation import Conversation
from bot.messages import Action, Button, Incoming, Outgoing

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


class ConsoleAdapter:
    """Reads lines, sends them through the conversation, prints the replies."""

    def __init__(self, conversation: Conversation, write: Callable[[str], None],
                 tz: str = "UTC", name: str = "Me") -> None:
        self.conversation = conversation
        self.write = write
        self.tz = tz
        self.buttons: list[Button] = []
        self.workspace_id, self.person_id = self._become(name)
        self.name = name

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
            return True
        if text.isdigit() and self.buttons:
            index = int(text) - 1
            if not 0 <= index < len(self.buttons):
                self.write(f"Pick a number from 1 to {len(self.buttons)}.")
                return True
            button = self.buttons[index]
            self._show(self.conversation.handle(Incoming(
                self.workspace_id, self.person_id, action=Action(button.action, button.args))))
            return True
        self._show(self.conversation.handle(Incoming(self.workspace_id, self.person_id, text=text)))
        return True

    def _show(self, out: Outgoing) -> None:
        text, self.buttons = render(out)
        self.write(text)

    def run(self, lines: Iterable[str]) -> None:
        """The loop: one reply per line until /quit or the end of input."""
        self.write(PROMPT_HELP)
        for line in lines:
            if not self.feed(line):
                break
