"""Duration strings: parsing, words, and moving along the calendar."""

from __future__ import annotations

import pytest
from builders import LONDON, UTC_CAL, at

from engine.durations import Duration, DurationError


@pytest.mark.parametrize(
    "text, amount, unit, words",
    [
        ("48h", 48, "h", "48 hours"),
        ("5d", 5, "d", "5 days"),
        (" 3WD ", 3, "wd", "3 working days"),
        ("30m", 30, "m", "30 minutes"),
        ("1wd", 1, "wd", "1 working day"),
    ],
)
def test_parse_and_words(text, amount, unit, words):
    d = Duration.parse(text)
    assert (d.amount, d.unit, d.words()) == (amount, unit, words)
    assert Duration.parse(str(d)) == d


@pytest.mark.parametrize("text", ["", "3", "soon", "3w", "-2d", "1.5h"])
def test_bad_durations(text):
    with pytest.raises(DurationError):
        Duration.parse(text)


@pytest.mark.parametrize(
    "cal, tz, text, start, after",
    [
        (UTC_CAL, "UTC", "48h", "2026-03-06 10:00", "2026-03-08 10:00"),  # clock hours
        (UTC_CAL, "UTC", "3wd", "2026-03-02 09:00", "2026-03-05 09:00"),
        (UTC_CAL, "UTC", "2wd", "2026-03-06 10:00", "2026-03-10 10:00"),
        (UTC_CAL, "UTC", "5d", "2026-03-06 10:00", "2026-03-11 10:00"),
        (UTC_CAL, "UTC", "30m", "2026-03-06 16:45", "2026-03-06 17:15"),
        # Across the London spring-forward: days keep wall time, hours do not.
        (LONDON, "Europe/London", "2d", "2026-03-28 12:00", "2026-03-30 12:00"),
        (LONDON, "Europe/London", "48h", "2026-03-28 12:00", "2026-03-30 13:00"),
        (LONDON, "Europe/London", "1wd", "2026-03-27 17:00", "2026-03-30 17:00"),
    ],
)
def test_after_and_before(cal, tz, text, start, after):
    d = Duration.parse(text)
    assert d.after(cal, at(start, tz)) == at(after, tz)
    assert d.before(cal, at(after, tz)) == at(start, tz)
