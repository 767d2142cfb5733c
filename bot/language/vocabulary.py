"""Words of dates and cadences: weekdays, months, ordinals, amounts, parts of the day, typos."""

from __future__ import annotations

import re
from datetime import time

WEEKDAY_NUMBERS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTH_NUMBERS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
}
NUMBER_WORDS: dict[str, int] = {
    "a couple of": 2, "couple of": 2, "a couple": 2, "a few": 3, "few": 3, "a": 1, "an": 1,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Todoist's hours for the parts of a day (every morning = 9am, afternoon = 12pm, evening = 7pm).
PARTS_OF_DAY: dict[str, time] = {
    "morning": time(9, 0), "afternoon": time(12, 0), "evening": time(19, 0),
    "tonight": time(19, 0), "night": time(22, 0),
}
DAY_WORDS: dict[str, int] = {
    "the day after tomorrow": 2, "day after tomorrow": 2, "today": 0, "tod": 0,
    "tomorrow": 1, "tom": 1, "tmrw": 1, "tmr": 1, "yesterday": -1,
}
# Misspellings people type (issue #12) and their word.
TYPOS: dict[str, str] = {
    "tommorow": "tomorrow", "tomorow": "tomorrow", "tommorrow": "tomorrow", "tmorrow": "tomorrow",
    "tomorro": "tomorrow", "2morrow": "tomorrow", "tomrrow": "tomorrow", "todat": "today",
    "yesterdy": "yesterday", "yday": "yesterday",
    "wensday": "wednesday", "wendsday": "wednesday", "wedensday": "wednesday",
    "wednsday": "wednesday", "wednseday": "wednesday", "tuseday": "tuesday", "tusday": "tuesday",
    "thrusday": "thursday", "thursady": "thursday", "thurday": "thursday", "firday": "friday",
    "fridy": "friday", "saterday": "saturday", "sunady": "sunday", "mondy": "monday",
    "munday": "monday", "febuary": "february", "feburary": "february", "decmber": "december",
    "novmber": "november", "septmber": "september", "everyday": "every day",
}
TYPO_RE = re.compile(r"(?<![\w])(?:" + "|".join(TYPOS) + r")(?![\w])")


def fix_typos(text: str) -> str:
    """Lower-case text with the known misspellings of date words corrected."""
    return TYPO_RE.sub(lambda m: TYPOS[m.group(0)], text)
