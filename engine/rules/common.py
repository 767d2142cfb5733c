"""Small helpers shared by the rules (no rule is registered here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from engine.context import RuleContext
from engine.durations import Duration
from engine.model import Severity, Task, Violation


def window_opens(ctx: RuleContext, within: Duration, due: datetime) -> datetime:
    """The instant from which ``due`` counts as "due within ``within``".

    Defined as ``within`` before the deadline, so the condition
    ``now >= window_opens(...)`` only ever switches on as time passes (a
    forward ``now + 2wd >= due`` would flicker on weekend nights).
    """
    return within.before(ctx.calendar, due)


def plural(n: int, word: str) -> str:
    """'1 task', '3 tasks'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def problem_words(v: Violation) -> str:
    """A rule id in plain words: ``task.behind_schedule`` -> 'behind schedule'."""
    return v.rule_id.split(".", 1)[-1].replace("_", " ")


AT_RISK = frozenset({Severity.WARNING, Severity.CRITICAL})


def at_risk(violations: Iterable[Violation]) -> list[Violation]:
    """The warning and critical ones."""
    return [v for v in violations if v.severity in AT_RISK]


def worst(found: Iterable[tuple[Task, Violation]]) -> tuple[Task, Violation]:
    """The most severe (task, violation); ties go to the lowest task number, then rule id."""
    return min(found, key=lambda tv: (-tv[1].severity.rank, tv[0].number, tv[1].rule_id))


def ref(task: Task) -> str:
    """'#14'."""
    return f"#{task.number}"
