"""Cell values of other tools' exports as Vigil values: dates, statuses, priorities.

Dates come in every tool's own shape: ISO 8601 (Asana, Trello, Vigil), Unix
milliseconds (ClickUp), ``14/Mar/24 2:30 PM`` (Jira), ``November 27, 2026``
and ranges ``November 27, 2026 → December 3, 2026`` (Notion), plain words
(Todoist: ``tomorrow``, ``13 Jun``). A date alone means the end of that
working day for a due date and its start for a start date, in the workspace
zone. A numeric date that could be day/month or month/day is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.limits import YEAR_MAX as MAX_YEAR
from bot.limits import YEAR_MIN as MIN_YEAR
from engine import calendar as cal_ops
from engine.model import Status, WorkCalendar

STATUS_WORDS: dict[str, Status] = {
    **{s.value: s for s in Status},
    **dict.fromkeys(("to do", "todo", "open", "new", "not started", "backlog", "planned",
                     "ready", "to-do", "pending", "incomplete", "selected for development",
                     "up next", "next up", "inbox"), Status.TODO),
    **dict.fromkeys(("in progress", "in-progress", "doing", "working on it", "started",
                     "active", "ongoing", "in development", "wip"), Status.IN_PROGRESS),
    **dict.fromkeys(("blocked", "stuck", "on hold", "waiting", "impeded"), Status.BLOCKED),
    **dict.fromkeys(("in review", "review", "in qa", "qa", "testing", "awaiting review",
                     "in-review", "waiting for review"), Status.IN_REVIEW),
    **dict.fromkeys(("done", "complete", "completed", "closed", "resolved", "finished",
                     "shipped", "archived"), Status.DONE),
    **dict.fromkeys(("cancelled", "canceled", "won't do", "wont do", "abandoned",
                     "dropped", "rejected"), Status.CANCELLED),
}
PRIORITY_WORDS = {
    "1": 1, "p1": 1, "urgent": 1, "highest": 1, "critical": 1, "blocker": 1,
    "2": 2, "p2": 2, "high": 2, "important": 2,
    "3": 3, "p3": 3, "medium": 3, "normal": 3, "none": 3, "no priority": 3,
    "4": 4, "p4": 4, "low": 4, "lowest": 4, "minor": 4, "trivial": 4,
}  # fmt: skip
FALSE_WORDS = {"false", "no", "n", "0", ""}

_ISO_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{2,4})$")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y",
                  "%d-%b-%Y", "%d-%b-%y", "%d/%b/%y", "%d/%b/%Y", "%a %d %b %Y",
                  "%A, %B %d, %Y", "%A, %B %d %Y")
_NAMED_TIME_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%b %d, %Y %I:%M %p",
                       "%d %b %Y %H:%M", "%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M",
                       "%d/%b/%y %H:%M", "%A, %B %d, %Y %I:%M:%S %p",
                       "%A, %B %d %Y, %I:%M:%S %p", "%m/%d/%Y, %I:%M:%S %p")


class Bad(ValueError):
    """A value that cannot be imported; the message is the reason."""


def _year_ok(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise Bad(f"impossible date: year {d.year} (use {MIN_YEAR}-{MAX_YEAR})")
    return d


def parse_when(text: str, cal: WorkCalendar, end_of_day: bool) -> datetime:
    """A date or date-time cell as an aware UTC instant (see the module docstring).

    A range ``A → B`` gives its end for a due date and its start otherwise.
    """
    raw = " ".join(text.strip().split())
    if "→" in raw:
        first, _, last = raw.partition("→")
        raw = (last if end_of_day else first).strip()
    if _EPOCH.match(raw):
        seconds = int(raw) / (1000 if len(raw) == 13 else 1)
        at = datetime.fromtimestamp(seconds, UTC)
        _year_ok(at.date())
        return at
    if _ISO_SHAPE.match(raw):
        try:
            if len(raw) <= 10:
                day = date.fromisoformat(raw)
            else:
                at = datetime.fromisoformat(raw.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError as exc:
            raise Bad(f"impossible date '{raw}' ({exc})") from None
        if len(raw) <= 10:
            return _day(_year_ok(day), cal, end_of_day)
        _year_ok(at.date())
        return _aware(at, cal)
    m = _NUMERIC.match(raw)
    if m:
        return _day(_numeric_date(raw, *(int(g) for g in m.groups())), cal, end_of_day)
    plain = _ORDINAL.sub(r"\1", raw).replace(" at ", " ")
    for fmt in _NAMED_TIME_FORMATS:
        try:
            at = datetime.strptime(plain, fmt)
        except ValueError:
            continue
        _year_ok(at.date())
        return _aware(at, cal)
    for fmt in _NAMED_FORMATS:
        try:
            return _day(_year_ok(datetime.strptime(plain, fmt).date()), cal, end_of_day)
        except ValueError:
            continue
    raise Bad(f"'{raw}' is not a date I understand (use 2026-11-27)")


def parse_words(text: str, cal: WorkCalendar, now: datetime, end_of_day: bool,
                language: str = "en") -> datetime | None:
    """A date in words ('tomorrow', '13 Jun', 'next Friday') as of ``now``; None: not a date.

    Dates Todoist wrote in its own words; a repeating one ('every day') is None.
    """
    try:
        return parse_when(text, cal, end_of_day)
    except Bad:
        pass
    if text.strip().lower().startswith(("every ", "ev ", "each ")):
        return None
    import dateparser

    found = dateparser.parse(
        text, languages=[language or "en"],
        settings={"TIMEZONE": cal.tz, "RETURN_AS_TIMEZONE_AWARE": True,
                  "RELATIVE_BASE": cal_ops.to_local(cal, now).replace(tzinfo=None),
                  "PREFER_DATES_FROM": "future"},
    )
    if found is None:
        return None
    has_time = (found.hour, found.minute) != (0, 0)
    if has_time:
        return found.astimezone(UTC)
    return _day(_year_ok(found.date()), cal, end_of_day)


def _numeric_date(raw: str, a: int, b: int, c: int) -> date:
    try:
        if a > 31:  # 2026/11/27
            return _year_ok(date(a, b, c))
        year = c + 2000 if c < 100 else c
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            day, month = b, a
        elif a == b:
            day = month = a
        elif a > 12 and b > 12:
            raise Bad(f"impossible date '{raw}'")
        else:
            raise Bad(f"ambiguous date '{raw}': day/month or month/day? "
                      "Write it as 2026-11-27")
        return _year_ok(date(year, month, day))
    except ValueError as exc:
        if isinstance(exc, Bad):
            raise
        raise Bad(f"impossible date '{raw}' ({exc})") from None


def _day(d: date, cal: WorkCalendar, end_of_day: bool) -> datetime:
    if end_of_day:
        return cal_ops.end_of_working_day(cal, d)
    return cal_ops.from_local(cal, datetime.combine(d, cal.day_start))


def _aware(at: datetime, cal: WorkCalendar) -> datetime:
    return cal_ops.from_local(cal, at) if at.tzinfo is None else at.astimezone(UTC)


def progress(text: str) -> int:
    """'40', '40%', '0.4' stays 0.4% — only 0-100 is accepted."""
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise Bad(f"progress '{text.strip()}' is not a number from 0 to 100") from None
    if not 0 <= value <= 100:
        raise Bad(f"progress {text.strip().rstrip('%')}% is not between 0% and 100%")
    return round(value)


def status(text: str) -> Status:
    found = STATUS_WORDS.get(" ".join(text.strip().lower().split()))
    if found is None:
        raise Bad(f"unknown status '{text.strip()}' (use to do, in progress, blocked, "
                  "in review, done or cancelled)")
    return found


def status_hint(text: str) -> Status | None:
    """A list, section or column name read as a status when it is one ('Done'), else None."""
    return STATUS_WORDS.get(" ".join(text.strip().lower().split()))


def priority(text: str) -> int:
    found = PRIORITY_WORDS.get(text.strip().lower())
    if found is None:
        raise Bad(f"unknown priority '{text.strip()}' (use p1-p4, or urgent/high/medium/low)")
    return found


def refs(text: str) -> tuple[str, ...]:
    """'#3; 4, PAY-2' -> ('3', '4', 'PAY-2')."""
    return tuple(p.strip().lstrip("#") for p in re.split(r"[;,\n]", text) if p.strip())


def is_true(text: str) -> bool:
    return text.strip().lower() not in FALSE_WORDS
