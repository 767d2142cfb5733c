"""What a rule can see: the world, ``now``, resolved settings, and helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from engine import calendar as cal_ops
from engine.model import AT_RISK, Project, Task, Violation, WorkCalendar
from engine.settings import RuleSettings
from engine.world import Portfolio, World


class RuleContext:
    def __init__(
        self,
        world: World,
        now: datetime,
        base_violations: Callable[[int], tuple[Violation, ...]],
    ) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.world = world
        self.now = now
        self.calendar: WorkCalendar = world.calendar
        self._base = base_violations
        self._settings: dict[int | None, RuleSettings] = {}
        # Whole-world facts a rule computes once per evaluation (e.g. cycle members).
        self.memo: dict[str, object] = {}
        self._portfolios: dict[int, Portfolio] = {}
        self._whens: dict[datetime, str] = {}

    def settings_for(self, project: Project | None) -> RuleSettings:
        key = project.id if project else None
        if key not in self._settings:
            self._settings[key] = RuleSettings(
                self.world.settings, project.settings if project else None
            )
        return self._settings[key]

    def task_settings(self, task: Task) -> RuleSettings:
        found = self._settings.get(task.project_id)
        if found is None:
            found = self.settings_for(self.world.project_of(task))
        return found

    def workspace_settings(self) -> RuleSettings:
        return self.settings_for(None)

    def base_violations(self, task_id: int) -> tuple[Violation, ...]:
        """Violations of the non-derived task rules for a task (memoised)."""
        return self._base(task_id)

    def portfolio(self, person_id: int) -> Portfolio:
        """The summary of every task ``person_id`` owns, for the person rules (memoised).

        The owned tasks loaded in the world are summed here (their base
        verdicts fresh where this evaluation decides them); the ones storage
        left out arrive summed already (``World.portfolios``).
        """
        found = self._portfolios.get(person_id)
        if found is not None:
            return found
        tasks = [self.world.tasks[i] for i in self.world.owned.get(person_id, ())]
        active = [t for t in tasks if t.is_active]
        loaded = Portfolio(
            len(tasks),
            max((t.last_activity_at or t.created_at for t in tasks), default=None),
            tuple(t.due for t in active if t.due is not None),
            tuple(
                t.project_id
                for t in active
                if any(v.severity in AT_RISK for v in self._base(t.id))
            ),
        )
        rest = self.world.portfolios.get(person_id)
        found = self._portfolios[person_id] = loaded.merge(rest) if rest else loaded
        return found

    def when(self, at: datetime) -> str:
        """'Thu 12 Mar 17:00' in the workspace zone."""
        found = self._whens.get(at)
        if found is not None:  # deadlines repeat across tasks: one zone conversion each
            return found
        local = cal_ops.to_local(self.calendar, at)
        # English names by table: strftime is locale-dependent and slow.
        found = self._whens[at] = (
            f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} "
            f"{local.hour:02d}:{local.minute:02d}"
        )
        return found

    def day(self, at: datetime) -> str:
        """'Thu 12 Mar' in the workspace zone."""
        local = cal_ops.to_local(self.calendar, at)
        return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def span(seconds: float) -> str:
    """A rough human length: '3 days', '5 hours', '20 minutes'."""
    seconds = abs(seconds)
    if seconds >= 2 * 86400:
        n, unit = round(seconds / 86400), "day"
    elif seconds >= 2 * 3600:
        n, unit = round(seconds / 3600), "hour"
    elif seconds >= 3600 - 30:
        # An hour and a bit reads as hours: '1 hour', '1 hour 20 minutes' (not '60 minutes').
        minutes = round(seconds / 60) - 60
        if minutes >= 60:
            return "2 hours"
        return "1 hour" if minutes <= 0 else f"1 hour {minutes} minute{'' if minutes == 1 else 's'}"
    else:
        n, unit = max(1, round(seconds / 60)), "minute"
    return f"{n} {unit}{'' if n == 1 else 's'}"
