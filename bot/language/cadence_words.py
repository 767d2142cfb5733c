"""An RRULE in people's words: "every Monday at 09:00", "every other Wednesday",
"every month on the last day" — people never see a raw rule."""

from __future__ import annotations

import re

from bot.language.vocabulary import WEEKDAY_CODES

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def describe(rule: str) -> str:
    """A rule in words: "every Monday at 09:00", "every other Wednesday", "every weekday"."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    freq, interval = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1") or 1)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year",
            "HOURLY": "hour"}.get(freq, "time")
    every = "every" if interval == 1 else ("every other" if interval == 2 else f"every {interval}")
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    words: str
    if freq == "MONTHLY" and byday and re.match(r"^-?\d", byday[0]):
        n = int(re.match(r"^-?\d+", byday[0]).group(0))  # type: ignore[union-attr]
        day = _DAY_NAMES[WEEKDAY_CODES.index(byday[0][-2:])]
        which = "last" if n == -1 else _nth(n)
        words = (f"every {which} {day} of the month" if interval == 1
                 else f"{every} months on the {which} {day}")
    elif byday and set(byday) == set(WEEKDAY_CODES[:5]) and interval == 1:
        words = "every weekday"
    elif byday:
        names = [_DAY_NAMES[WEEKDAY_CODES.index(d)] for d in byday if d in WEEKDAY_CODES]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        words = f"{every} {joined}"
    elif "BYMONTHDAY" in parts and freq == "YEARLY" and "BYMONTH" in parts:
        words = f"every {_MONTH_NAMES[int(parts['BYMONTH']) - 1]} {int(parts['BYMONTHDAY'])}"
    elif "BYMONTHDAY" in parts:
        monthday = int(parts["BYMONTHDAY"])
        which = "last day" if monthday == -1 else _nth(monthday)
        words = f"{every} {'month' if interval < 3 else 'months'} on the {which}"
    else:
        words = f"{every} {unit}" if interval <= 2 else f"{every} {unit}s"
    if "BYHOUR" in parts:
        words += f" at {int(parts['BYHOUR']):02d}:{int(parts.get('BYMINUTE', '0') or 0):02d}"
    return words


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
