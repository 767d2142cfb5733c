"""Play Ledger & Co's two weeks through the production code with a simulated clock.

The scheduler's own jobs run on every tick (rule tick with recurring work,
escalation ladder, morning digests, outbox dispatch); people's messages and
button presses go through the ``Conversation`` every chat platform uses.
Every notice, edit and reply becomes a ``Moment`` of the story.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.demo import firm as firm_mod
from bot.demo.script import STEPS, Step
from bot.jobs import digest_all, dispatch_due, escalate_all, tick_all
from bot.messages import Action, Button, Incoming, Outgoing
from bot.notify.dispatcher import ANY_PLATFORM, Dispatcher
from bot.notify.ports import RecordingPort
from engine import calendar as cal_ops
from storage.uow import UnitOfWork

TICK = timedelta(hours=1)


def ticks(fast: bool = False, shift: timedelta = timedelta(0)) -> list[datetime]:
    """The scheduler's ticks: every hour, like ``vigil run`` with a 1 h tick.

    ``fast`` leaves out the hours in which nothing can reach anyone (nights and
    weekends, when notices wait for working hours anyway) except one tick at
    midnight, so the rules still see every day.
    """
    out = []
    at = firm_mod.local(firm_mod.SETUP, shift) + TICK
    end = firm_mod.local(firm_mod.END, shift)
    while at <= end:
        here = cal_ops.to_local(firm_mod.CALENDAR, at)
        working = cal_ops.is_working_day(firm_mod.CALENDAR, here.date())
        if not fast or here.hour == 0 or (working and 6 <= here.hour <= 18):
            out.append(at)
        at += TICK
    return out


@dataclass(frozen=True)
class Moment:
    """One line of the story: ``kind`` is notice, edit, digest, say, press or reply."""

    at: datetime  # local wall-clock time of the firm
    kind: str
    who: str  # the person it was for, or who acted
    text: str
    buttons: tuple[str, ...] = ()
    escalated: bool = False


@dataclass
class Replay:
    """One run; ``moments`` fills as it goes."""

    uow_factory: Callable[[], UnitOfWork]
    fast: bool = False
    shift: timedelta = timedelta(0)
    moments: list[Moment] = field(default_factory=list)
    firm: firm_mod.Firm | None = None
    last_digest: dict[str, Outgoing] = field(default_factory=dict)
    _sent: int = 0
    _edits: int = 0
    # person -> the messages they got, newest last (to find the button they press)
    _inbox: dict[str, list[Outgoing]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clock = FixedClock(firm_mod.local(firm_mod.SETUP, self.shift))
        self.port = RecordingPort(prefix="demo")
        self.dispatcher = Dispatcher(self.uow_factory, {ANY_PLATFORM: self.port})
        self.conversation = Conversation(self.uow_factory, self.clock)

    def run(self, steps: tuple[Step, ...] = STEPS) -> firm_mod.Firm:
        """Build the firm on Friday, then play every tick and step until the last Friday."""
        with self.uow_factory() as uow:
            self.firm = firm_mod.build(uow, self.shift)
            uow.commit()
        self._jobs()
        pending = sorted(steps, key=lambda s: s.at)
        for at in ticks(self.fast, self.shift):
            while pending and firm_mod.local(pending[0].at, self.shift) <= at:
                step = pending.pop(0)
                self.clock.at = firm_mod.local(step.at, self.shift)
                self._act(step)
                self._deliver()
            self.clock.at = at
            self._jobs()
        return self.firm

    # -- time passing -------------------------------------------------------------

    def _jobs(self) -> None:
        tick_all(self.uow_factory, self.clock)
        escalate_all(self.uow_factory, self.clock)
        digest_all(self.uow_factory, self.clock)
        self._deliver()

    def _deliver(self) -> None:
        dispatch_due(self.dispatcher, self.clock)
        for sent in self.port.sent[self._sent:]:
            name = sent.recipient.name
            self._inbox.setdefault(name, []).append(sent.message)
            text = sent.message.text
            if text.startswith("☀"):
                self.last_digest[name] = sent.message
                self._moment("digest", name, text)
            else:
                self._moment("notice", name, text, sent.message.buttons,
                             escalated="⇧" in text or "escalat" in text.lower())
        self._sent = len(self.port.sent)
        for edit in self.port.edits[self._edits:]:
            owner = next((s.recipient.name for s in self.port.sent if s.ref == edit.ref),
                         "?")
            self._moment("edit", owner, edit.message.text)
        self._edits = len(self.port.edits)

    # -- people acting ------------------------------------------------------------

    def _act(self, step: Step) -> None:
        assert self.firm is not None
        person = self.firm.people[step.who]
        if step.say is not None:
            text = self._fill(step.say)
            self._moment("say", step.who, text)
            incoming = Incoming(self.firm.workspace_id, person, text=text)
        else:
            button = self._button(step)
            self._moment("press", step.who, button.label)
            incoming = Incoming(self.firm.workspace_id, person,
                                action=Action(button.action, button.args))
        reply = self.conversation.handle(incoming)
        self._inbox.setdefault(step.who, []).append(reply)
        self._moment("reply", step.who, reply.text, reply.buttons)

    def _button(self, step: Step) -> Button:
        """The newest button of that label in a message the person got (about the task)."""
        assert self.firm is not None and step.press is not None
        mention = f"#{self._number(step.about, False)} " if step.about else ""
        for message in reversed(self._inbox.get(step.who, [])):
            for section in message.sections:
                if mention not in section.text:
                    continue
                for button in section.buttons:
                    if button.label.startswith(step.press):
                        return button
        raise LookupError(f"{step.who} has no '{step.press}' button to press at {step.at}")

    def _fill(self, text: str) -> str:
        def number(match: re.Match[str]) -> str:
            ref, today = match.group(1), match.group(2)
            return f"#{self._number(ref, bool(today))}"

        return re.sub(r"\{(\w+)(@today)?\}", number, text)

    def _number(self, ref: str, today: bool) -> int:
        assert self.firm is not None
        ws, tid = self.firm.workspace_id, self.firm.tasks[ref]
        with self.uow_factory() as uow:
            if today:
                started = [t for t in uow.tasks.get_many(ws, uow.tasks.occurrence_ids(ws, tid))
                           if t.effective_start <= self.clock.now()]
                return max(started, key=lambda t: (t.effective_start, t.id)).number
            task = uow.tasks.get(ws, tid)
            assert task is not None
            return task.number

    def _moment(self, kind: str, who: str, text: str, buttons: tuple[Button, ...] = (),
                escalated: bool = False) -> None:
        at = cal_ops.to_local(firm_mod.CALENDAR, self.clock.now()).replace(tzinfo=None)
        self.moments.append(Moment(at, kind, who, text, tuple(b.label for b in buttons),
                                   escalated))
