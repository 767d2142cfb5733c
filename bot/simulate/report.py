"""The readable timeline printed by ``vigil simulate`` without ``--json`` (issue #13, item 8).

Each line says what happened at its moment, by task title: the scenario's own
events ("Priya: progress 60%"), problems that fire, change severity or clear,
and who was told. A notice later than the problem's own line does not repeat
that older wording (it pointed at a different moment); it refers back to it.
"""

from __future__ import annotations

from datetime import datetime

from bot.notify.render import problem
from bot.simulate.runner import SimulationEvent

_MARK = {"fired": "!", "severity": "^", "resolved": "✓", "notified": "→", "escalated": "⇧",
         "change": "✎"}


def _when(at: datetime) -> str:
    return f"{at:%H:%M} on {at:%a} {at.day} {at:%b}"


def _subject(e: SimulationEvent) -> str:
    return e.title or e.task or e.person or "the workspace"


def line(e: SimulationEvent, worded: dict[tuple[str, str], datetime]) -> str:
    """One event in words; ``worded`` remembers when each problem was last explained."""
    mark = _MARK.get(e.event, " ")
    key = (e.rule, e.task or e.person or "")
    if e.event == "change":
        who = f"{e.person}: " if e.person else ""
        what = f" — {e.title or e.task}" if e.task else ""
        return f"{mark} {who}{e.explanation}{what}"
    if e.event == "fired":
        worded[key] = e.at
        return f"{mark} {_subject(e)}: {problem(e.rule)} ({e.severity}) — {e.explanation}"
    if e.event == "severity":
        worded[key] = e.at
        return f"{mark} {_subject(e)}: {problem(e.rule)} is now {e.severity} — {e.explanation}"
    if e.event == "resolved":
        worded.pop(key, None)
        return f"{mark} {_subject(e)}: no longer {problem(e.rule)}"
    told = "told" if e.event == "notified" else "escalated to"
    level = f" (level {e.level})" if e.level else ""
    head = f"{mark} {told} {e.to}{level}: {_subject(e)} — {problem(e.rule)} ({e.severity})"
    explained = worded.get(key)
    if explained == e.at:
        return f"{head}, {e.explanation}"
    if explained is not None:
        return f"{head}, as explained at {_when(explained)}"
    return f"{head}, {e.explanation}"


def render_text(events: list[SimulationEvent]) -> str:
    """One line per event, grouped under the day it happened."""
    lines: list[str] = []
    day = None
    worded: dict[tuple[str, str], datetime] = {}
    for e in events:
        if e.at.date() != day:
            day = e.at.date()
            lines.append(f"{e.at:%a %d %b %Y}")
        lines.append(f"  {e.at:%H:%M} {line(e, worded)}")
    if not any(e.event != "change" for e in events):
        lines.append("nothing fired")
    return "\n".join(lines) + "\n"
