"""Serialisation for `vigil parse … --json` (DESIGN.md §8)."""

from __future__ import annotations

import json

from bot.language.model import ParsedIntent


def intent_json(parsed: ParsedIntent) -> str:
    """One JSON object, keys in the §8 order (intent, task, title, owner, due, …), nulls kept."""
    return json.dumps(parsed.as_json(), ensure_ascii=False)


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
              "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cadence_in_words(rrule: str) -> str:
    """'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0' -> 'every Monday at 09:00' (issue #13).

    Rules this module's parser does not produce fall back to the rule itself.
    """
    parts = dict(p.split("=", 1) for p in rrule.upper().removeprefix("RRULE:").split(";")
                 if "=" in p)
    freq = parts.get("FREQ", "")
    if freq not in _UNITS:
        return f"repeating ({rrule})"
    interval = int(parts.get("INTERVAL", "1") or 1)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if any(d not in _DAY_NAMES for d in days):
        return f"repeating ({rrule})"
    every = "every" if interval == 1 else "every other" if interval == 2 else f"every {interval}"
    if days == _WEEKDAYS and interval == 1:
        words = "every weekday"
    elif days:
        names = _and([_DAY_NAMES[d] for d in days])
        words = f"{every} {names}" if interval <= 2 else f"{every} weeks on {names}"
    else:
        unit = _UNITS[freq] + ("s" if interval > 2 else "")
        words = f"{every} {unit}"
    monthday = parts.get("BYMONTHDAY")
    if monthday:
        day = int(monthday)
        words += " on the last day" if day == -1 else f" on the {_ordinal(day)}"
    if "BYHOUR" in parts:
        words += f" at {int(parts['BYHOUR']):02d}:{int(parts.get('BYMINUTE', '0') or 0):02d}"
    return words
