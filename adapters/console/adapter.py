"""Terminal rendering of neutral messages; buttons become numbered choices."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable

from bot.conversation import Conversation
from bot.messages import Action, Button, Incoming, Outgoing
from bot.notify.ports import Recipient

WORKSPACE_KEY = "console:default"
PLATFORM = "console"
PROMPT_HELP = ("Type a command or a sentence (help lists them). /as NAME switches to someone "
               "on the team; a number presses a button of the last message; /quit leaves.")


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


def default_name() -> str:
    """The OS user's name, offered when a new console workspace asks who you are."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) and no LOGNAME/USER
        name = ""
    return name.capitalize() if name and name != "root" else "Admin"


def unknown_name(name: str) -> Outgoing:
    """`/as Pirya` when nobody is called that: nothing is created without asking."""
    return Outgoing.say(f"{name} isn't on the team (a typo? 'people' lists everyone). "
                        f"Add {name} to the team?",
                        Button(f"Add {name} to the team", "person.invite", {"name": name}))


def expired(number: int, available: int) -> str:
    if available:
        return (f"The last message has buttons 1 to {available}; [{number}] belonged to an "
                "earlier message and has expired. Type the command instead.")
    return (f"[{number}] belonged to an earlier message and has expired. "
            "Type the command instead.")


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
                 tz: str = "UTC", name: str | None = None, inbox: ConsoleInbox | None = None,
                 after_each: Callable[[], None] | None = None) -> None:
        self.conversation = conversation
        self.write = write
        self.tz = tz
        self.buttons: list[Button] = []
        self.pressed_before = False  # an earlier message had buttons: its numbers expired
        self.inbox = inbox
        self.after_each = after_each  # runs the scheduled jobs between lines
        self._pending_unknown: str | None = None  # --as NAME of nobody on the team
        self.workspace_id, self.person_id, self.name = self._start(name)
        if inbox is not None:
            inbox.current = lambda: self.person_id
            inbox.show = lambda ref, message: self._show(message, prefix=f"🔔 ({ref}) ")

    def _start(self, name: str | None) -> tuple[int, int, str]:
        """Who is at the keyboard: a known person, or the founder of a new workspace."""
        admin = self.conversation.admin_of(WORKSPACE_KEY)
        if admin is None:
            founder = (name or "").strip() or default_name()
            handle = "".join(ch for ch in founder.lower() if ch.isalnum() or ch in "._-")
            ws, person = self.conversation.onboard(WORKSPACE_KEY, "Console", PLATFORM,
                                                   handle or "admin", founder,
                                                   handle=handle or None, tz=self.tz)
            return ws, person, founder
        if name:
            found = self.conversation.known(WORKSPACE_KEY, name)
            if found is not None:
                return found[0], found[1], self.conversation.name_of(*found)
            self._pending_unknown = name
        return admin

    def switch(self, name: str) -> None:
        """`/as NAME`: only to someone on the team; an unknown name offers to add them."""
        found = self.conversation.known(WORKSPACE_KEY, name)
        if found is None:
            self._show(unknown_name(name))
            return
        self.workspace_id, self.person_id = found
        self.name = self.conversation.name_of(*found)
        self.buttons, self.pressed_before = [], False
        self.write(f"You are now {self.name}.")
        if self.after_each is not None:  # the notices kept for them arrive now
            self.after_each()
        for ref, message in self.inbox.take(self.person_id) if self.inbox else []:
            self._show(message, prefix=f"🔔 ({ref}) ")

    def feed(self, line: str) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit"):
            return False
        if text == "/as" or text.startswith("/as "):
            name = text[3:].strip()
            if not name:
                self.write("Usage: /as NAME (someone on the team; 'people' lists them)")
                return True
            self.switch(name)
            return True
        if text.isascii() and text.isdigit() and (self.buttons or self.pressed_before):
            index = int(text) - 1
            if not 0 <= index < len(self.buttons):
                self.write(expired(int(text), len(self.buttons)))
                return True
            button = self.buttons[index]
            self._show(self.conversation.handle(Incoming(
                self.workspace_id, self.person_id, action=Action(button.action, button.args),
                chat=PLATFORM)))
        else:
            self._show(self.conversation.handle(
                Incoming(self.workspace_id, self.person_id, text=text, chat=PLATFORM)))
        if self.after_each is not None:
            self.after_each()
        return True

    def _show(self, out: Outgoing, prefix: str = "") -> None:
        self.pressed_before = self.pressed_before or bool(self.buttons)
        text, self.buttons = render(out)
        self.write(prefix + text)

    def run(self, lines: Iterable[str]) -> None:
        """The loop: one reply per line until /quit or the end of input."""
        self.write(PROMPT_HELP)
        self.write(f"You are {self.name}.")
        if self._pending_unknown:
            self._show(unknown_name(self._pending_unknown))
        for line in lines:
            if not self.feed(line):
                break


def ask_founder_name(read: Callable[[str], str] = input) -> str:
    """A new console workspace: who is its admin? Enter keeps the OS user's name."""
    suggested = default_name()
    try:
        typed = read(f"Welcome to Vigil. What's your name? [{suggested}] ").strip()
    except EOFError:
        typed = ""
    return typed or suggested
