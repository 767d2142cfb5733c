"""The demo's story with Rich: who was told what, when, what they pressed, what cleared.

Made from the ``Moment``s of a replay. Grouped alerts show one line per
problem; an alert edited into "✅ Resolved by …" is told once however many
people's copies changed; the morning digests are one line a day, except the
last morning's, which is printed whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule

from bot.demo.firm import PEOPLE, PROJECTS, TASKS, WORKSPACE_NAME
from bot.demo.replay import Moment

_PROBLEM = ("⚠", "🔴", "ℹ", "⇧")


def problem_lines(text: str) -> list[str]:
    """The problem lines of an alert (a grouped one has a header line first)."""
    return [line for line in text.splitlines() if line.startswith(_PROBLEM)]


def resolved_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("✅ Resolved")]


def _buttons(labels: Iterable[str]) -> str:
    shown = [f"[{escape(label)}]" for label in labels
             if label not in ("Acknowledge", "Snooze 1 day")]
    return " ".join(dict.fromkeys(shown))


def _reply_lines(text: str) -> list[str]:
    lines = text.splitlines()
    keep = lines[:1] + [line for line in lines[1:] if line.startswith(("✅", "⚠", "🔴"))]
    return keep


class Story:
    """Prints moments as they come (``tell``), day headings included."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.day: date | None = None
        self.told_resolved: set[str] = set()
        self.digest_days: dict[datetime, list[str]] = {}

    def opening(self) -> None:
        names = ", ".join(f"{n} ({what})" for n, _, what in PEOPLE)
        self.console.print(Panel.fit(
            f"[bold]{WORKSPACE_NAME}[/bold], an accounting firm: {names}.\n"
            f"Clients and work: {', '.join(PROJECTS)} — {len(TASKS)} tasks, one of them a "
            "7 am check every working day.\n"
            "Two working weeks follow, played through Vigil's own rules, scheduler, "
            "notifications and chat in a few seconds.",
            title="vigil demo"))

    def tell(self, moment: Moment) -> None:
        if moment.at.date() != self.day:
            self._flush_digests()
            self.day = moment.at.date()
            self.console.print(Rule(f"[bold]{moment.at:%A %-d %B}[/bold]", align="left"))
        at = f"[dim]{moment.at:%H:%M}[/dim]"
        kind = moment.kind
        if kind == "digest":
            self.digest_days.setdefault(moment.at, []).append(moment.who)
            return
        self._flush_digests()
        if kind == "notice":
            self._notice(at, moment)
        elif kind == "edit":
            self._edit(at, moment)
        elif kind == "say":
            self.console.print(f"{at}  💬 [bold]{moment.who}[/bold]: “{escape(moment.text)}”")
        elif kind == "press":
            self.console.print(f"{at}  👆 [bold]{moment.who}[/bold] pressed "
                               f"[reverse] {escape(moment.text)} [/reverse]")
        elif kind == "reply":
            for line in _reply_lines(moment.text):
                self.console.print(f"        [cyan]Vigil[/cyan] → {moment.who}: {escape(line)}")

    def _notice(self, at: str, moment: Moment) -> None:
        lines = problem_lines(moment.text)
        for i, line in enumerate(lines):
            style = "bold magenta" if line.startswith("⇧") else (
                "red" if line.startswith("🔴") else "yellow")
            lead = f"{at}  🔔 Vigil → [bold]{moment.who}[/bold]:" if i == 0 else " " * 7 + "   "
            self.console.print(f"{lead} [{style}]{escape(line)}[/{style}]")
        if lines and moment.buttons:
            self.console.print(f"{' ' * 10}{_buttons(moment.buttons)}", style="dim")

    def _edit(self, at: str, moment: Moment) -> None:
        for line in resolved_lines(moment.text):
            if line in self.told_resolved:
                continue
            self.told_resolved.add(line)
            self.console.print(f"{at}  [green]{escape(line)}[/green] "
                               "[dim](alert edited in place)[/dim]")

    def _flush_digests(self) -> None:
        for at, names in self.digest_days.items():
            self.console.print(f"[dim]{at:%H:%M}[/dim]  ☀ [dim]morning standup digests for "
                               f"{', '.join(names)}[/dim]")
        self.digest_days.clear()

    def ending(self, digest_text: str, digest_for: str, png: str, command: str) -> None:
        self._flush_digests()
        self.console.print(Rule("[bold]This morning's standup[/bold]", align="left"))
        self.console.print(Panel(escape(digest_text), title=f"what {digest_for} read at 09:00",
                                 expand=False))
        self.console.print(f"Gantt of the firm saved to [bold]{escape(png)}[/bold]")
        self.console.print("Everything is left in the demo database. Talk to Vigil as Marcus:")
        self.console.print(f"  [bold green]{escape(command)}[/bold green]")
