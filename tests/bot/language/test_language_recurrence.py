"""Cadences in words -> RRULE strings."""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil.rrule import rrulestr

from bot.language.recurrence import cadence_to_rrule, find_cadence


@pytest.mark.parametrize(
    ("phrase", "rrule"),
    [
        ("every monday 9am", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"),
        ("every Monday at 9am", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"),
        ("every weekday at 7am", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0"),
        # a bare hour after "at" (the lead's console, Dec 2026); 1-6 is the afternoon
        ("every weekday at 8", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0"),
        ("every friday at 5", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0"),
        ("every working day", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every day", "FREQ=DAILY"),
        ("every day at 18:30", "FREQ=DAILY;BYHOUR=18;BYMINUTE=30"),
        ("every month on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("every 1st of the month", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("every month on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("every 2 weeks on friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("every mon and thu at 10:30", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=30"),
        ("every mon, wed, fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("every week", "FREQ=WEEKLY"),
        ("every year", "FREQ=YEARLY"),
        # a date of the year said after the cadence (found using the console, 2026-12-04:
        # "every year on 1 March" repeated from today, with "on 1 March" left in the title)
        ("every year on 1 March", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("every year on March 1st", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("annually on the 1st of March", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("yearly on 31 January at 9am", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31;BYHOUR=9;BYMINUTE=0"),
        ("every 25 December", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"),
        ("every 1st of March", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("every 2 years on 5 April", "FREQ=YEARLY;INTERVAL=2;BYMONTH=4;BYMONTHDAY=5"),
        ("weekday at 7am", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0"),
    ],
)
def test_cadences(phrase: str, rrule: str) -> None:
    assert cadence_to_rrule(phrase) == rrule
    rrulestr(rrule, dtstart=datetime(2026, 11, 24))  # dateutil accepts it


@pytest.mark.parametrize("phrase", ["every blue moon", "every day on the 40th", "sometimes",
                                    "every year on 31 April", "every week on 1 March"])
def test_not_cadences(phrase: str) -> None:
    assert cadence_to_rrule(phrase) is None


def test_find_cadence_in_text() -> None:
    text = "Check the fridge every weekday at 7am proof: photo"
    found = find_cadence(text)
    assert found is not None
    assert text[found.start : found.end] == "every weekday at 7am"
    assert find_cadence("everyone should check the fridge") is None
