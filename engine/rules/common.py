"""Small helpers shared by the rules (no rule is registered here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from engine.context import RuleContext, span
from engine.durations import Duration
from engine.model import AT_RISK, Task, Violation


def window_opens(ctx: RuleContext, within: Duration, due: datetime) -> datetime:
    """The instant from which ``due`` counts as "due within ``within``".

    Defined as ``within`` before the deadline, so the condition
    ``now >= window_opens(...)`` only ever switches on as time passes (a
    forward ``now + 2wd >= due`` would flicker on weekend nights).
    """
    return within.before(ctx.calendar, due)


def openings(ctx: RuleContext, within: Duration, dues: Iterable[datetime]) -> list[datetime]:
    """``window_opens`` of each of ``dues``, worked out once per (``within``, deadline) in
    an evaluation (``ctx.memo``): the person rules ask it of every open task an owner
    has, and a workspace's tasks share a few dozen deadlines."""
    memo = cast(dict[Duration, dict[datetime, datetime]], ctx.memo.setdefault("openings", {}))
    by_due = memo.setdefault(within, {})
    out = []
    for due in dues:
        at = by_due.get(due)
        if at is None:
            at = by_due[due] = within.before(ctx.calendar, due)
        out.append(at)
    return out


def plural(n: int, word: str) -> str:
    """'1 task', '3 tasks'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def span_ago(ctx: RuleContext, at: datetime) -> str:
    """'2 days ago': how long before ``ctx.now`` the instant ``at`` was."""
    return f"{span((ctx.now - at).total_seconds())} ago"


def due_soon_words(overdue: int, soon: int, window: str, verb: bool = False) -> str:
    """'3 tasks due within 2 working days'; with overdue ones counted apart, as they are:
    '1 task overdue and 2 due within 2 working days' ('is'/'are' with ``verb``)."""
    def be(n: int) -> str:
        return ("is " if n == 1 else "are ") if verb else ""

    if not overdue:
        return f"{plural(soon, 'task')} {be(soon)}due within {window}"
    late = f"{plural(overdue, 'task')} {be(overdue)}overdue"
    return late if not soon else f"{late} and {soon} {be(soon)}due within {window}"


def problem_words(v: Violation) -> str:
    """A rule id in plain words: ``task.behind_schedule`` -> 'behind schedule'."""
    return v.rule_id.split(".", 1)[-1].replace("_", " ")




def at_risk(violations: Iterable[Violation]) -> list[Violation]:
    """The warning and critical ones."""
    return [v for v in violations if v.severity in AT_RISK]


def worst(found: Iterable[tuple[Task, Violation]]) -> tuple[Task, Violation]:
    """The most severe (task, violation); ties go to the lowest task number, then rule id."""
    return min(found, key=lambda tv: (-tv[1].severity.rank, tv[0].number, tv[1].rule_id))


def ref(task: Task) -> str:
    """'#14'."""
    return f"#{task.number}"
