"""The readable timeline printed by ``vigil simulate`` without ``--json``."""

from __future__ import annotations

from bot.simulate.runner import SimulationEvent

_MARK = {"fired": "!", "severity": "^", "resolved": "✓", "notified": "→", "escalated": "⇧"}


def render_text(events: list[SimulationEvent]) -> str:
    """One line per event, grouped under the day it happened."""
    lines: list[str] = []
    day = None
    for e in events:
        if e.at.date() != day:
            day = e.at.date()
            lines.append(f"{e.at:%a %d %b %Y}")
        subject = e.task or e.person or "-"
        extra = f" to {e.to} (level {e.level})" if e.to else ""
        lines.append(
            f"  {e.at:%H:%M} {_MARK.get(e.event, ' ')} {e.event:9} {e.rule:26} {subject:12} "
            f"{e.severity:8}{extra} {e.explanation}"
        )
    if not events:
        lines.append("nothing fired")
    return "\n".join(lines) + "\n"
