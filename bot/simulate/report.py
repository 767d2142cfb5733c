"""The readable timeline printed by ``vigil simulate`` without ``--json`` (issue #13, item 8).

Each line says what happened at its moment, by task title: the scenario's own
events ("Priya: progress 60%"), problems that fire, change severity or clear,
and who was told. Every line is worded as of its own moment: a notice sent
an hour after the problem fired says "1 hour ago" (the dispatcher words each
notice when it sends it, ``bot.notify.wording``).
"""

from __future__ import annotations

from bot.notify.render import problem
from bot.simulate.runner import SimulationEvent

_MARK = {"fired": "!", "severity": "^", "resolved": "✓", "notified": "→", "escalated": "⇧",
         "change": "✎"}


def _subject(e: SimulationEvent) -> str:
    return e.title or e.task or e.person or "the workspace"


def line(e: SimulationEvent) -> str:
    """One event in words, as of its own moment."""
    mark = _MARK.get(e.event, " ")
    if e.event == "change":
        who = f"{e.person}: " if e.person else ""
        what = f" — {e.title or e.task}" if e.task else ""
        return f"{mark} {who}{e.explanation}{what}"
    if e.event == "fired":
        return f"{mark} {_subject(e)}: {problem(e.rule)} ({e.severity}) — {e.explanation}"
    if e.event == "severity":
        return f"{mark} {_subject(e)}: {problem(e.rule)} is now {e.severity} — {e.explanation}"
    if e.event == "resolved":
        return f"{mark} {_subject(e)}: no longer {problem(e.rule)}"
    told = "told" if e.event == "notified" else "escalated to"
    level = f" (level {e.level})" if e.level else ""
    head = f"{mark} {told} {e.to}{level}: {_subject(e)} — {problem(e.rule)} ({e.severity})"
    return f"{head}, {e.explanation}"


def render_text(events: list[SimulationEvent]) -> str:
    """One line per event, grouped under the day it happened."""
    lines: list[str] = []
    day = None
    for e in events:
        if e.at.date() != day:
            day = e.at.date()
            lines.append(f"{e.at:%a %d %b %Y}")
        lines.append(f"  {e.at:%H:%M} {line(e)}")
    if not any(e.event != "change" for e in events):
        lines.append("nothing fired")
    return "\n".join(lines) + "\n"
