"""Edge rules of issue #12 item 3, each with an explicit now and zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.language import parse
from bot.language.dates import read_date
from bot.language.recurrence import cadence_to_rrule, describe
from bot.language.zones import order_for_zone

LONDON, NEW_YORK = "Europe/London", "America/New_York"


def at(tz: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(tz))  # type: ignore[misc]


def due(text: str, now: datetime, tz: str = LONDON, order: str | None = None) -> datetime | None:
    return parse(text, now, tz, "ana", date_order=order).due


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # year boundary: a date just past stays in the past; January said in December is next year
        ("due #1 30 Dec", at(LONDON, 2026, 12, 31, 9), at(LONDON, 2026, 12, 30, 17)),
        ("due #1 2 Jan", at(LONDON, 2026, 12, 31, 9), at(LONDON, 2027, 1, 2, 17)),
        ("due #1 31 Dec", at(LONDON, 2027, 1, 2, 9), at(LONDON, 2026, 12, 31, 17)),
        ("due #1 tomorrow", at(LONDON, 2026, 12, 31, 9), at(LONDON, 2027, 1, 1, 17)),
        ("due #1 next week", at(LONDON, 2026, 12, 30, 9), at(LONDON, 2027, 1, 4, 17)),
        # "today at 3" before and after 03:00
        ("due #1 today at 3", at(LONDON, 2026, 11, 24, 2), at(LONDON, 2026, 11, 24, 3)),
        ("due #1 today at 3", at(LONDON, 2026, 11, 24, 10), at(LONDON, 2026, 11, 24, 15)),
        ("due #1 today at 3:15", at(LONDON, 2026, 11, 24, 3, 30), at(LONDON, 2026, 11, 24, 15, 15)),
        ("due #1 tomorrow at 3", at(LONDON, 2026, 11, 24, 10), at(LONDON, 2026, 11, 25, 15)),
        ("due #1 tomorrow at 9", at(LONDON, 2026, 11, 24, 10), at(LONDON, 2026, 11, 25, 9)),
        # midnight: the one that ends the day
        ("due #1 midnight", at(LONDON, 2026, 11, 24, 10), at(LONDON, 2026, 11, 25, 0)),
        ("due #1 friday midnight", at(LONDON, 2026, 11, 24, 10), at(LONDON, 2026, 11, 28, 0)),
        ("due #1 at midnight", at(LONDON, 2026, 11, 24, 0, 30), at(LONDON, 2026, 11, 25, 0)),
    ],
)
def test_edges(text: str, now: datetime, expected: datetime) -> None:
    assert due(text, now) == expected


def test_dst_weekend_keeps_wall_clock_times_and_exact_hours() -> None:
    # Europe/London leaves summer time on Sunday 25 October 2026 at 02:00.
    saturday = at(LONDON, 2026, 10, 24, 12)
    assert due("due #1 monday 9am", saturday) == at(LONDON, 2026, 10, 26, 9)
    assert due("due #1 monday 9am", saturday).utcoffset().total_seconds() == 0  # type: ignore
    assert due("due #1 tomorrow", saturday) == at(LONDON, 2026, 10, 25, 17)
    assert due("due #1 in 24 hours", saturday) == at(LONDON, 2026, 10, 25, 11)  # clock fell back
    # New York springs forward on Sunday 8 March 2027.
    assert due("due #1 in 2 days", at(NEW_YORK, 2027, 3, 7, 9), NEW_YORK) == at(
        NEW_YORK, 2027, 3, 9, 17)


@pytest.mark.parametrize(
    ("text", "tz", "order", "expected"),
    [
        ("due #1 12/15", NEW_YORK, None, (2026, 12, 15)),
        ("due #1 3/12", LONDON, None, (2026, 12, 3)),
        ("due #1 3/12", NEW_YORK, None, (2027, 3, 12)),
        ("due #1 3/12", NEW_YORK, "DMY", (2026, 12, 3)),
        ("due #1 12/15", LONDON, "MDY", (2026, 12, 15)),
        ("due #1 2026/12/15", LONDON, "YMD", (2026, 12, 15)),
    ],
)
def test_numeric_dates_follow_the_workspace_order(text, tz, order, expected) -> None:
    got = due(text, at(tz, 2026, 11, 24, 10), tz, order)
    assert got is not None and (got.year, got.month, got.day) == expected


def test_an_impossible_numeric_date_is_refused_not_read_as_a_year() -> None:
    now = at(LONDON, 2026, 11, 24, 10)
    assert read_date("12/15", now, LONDON) is None  # 15th month in DMY: no date, never 2115
    with pytest.raises(ValueError, match="could not understand the date"):
        parse("due #1 12/15", now, LONDON, "ana")


def test_a_far_past_date_asks_with_both_readings() -> None:
    p = parse("due #1 15 Oct", at(LONDON, 2026, 12, 1, 10), LONDON, "ana")
    assert p.confirm and [d.year for d in p.due_options] == [2026, 2027]


def test_date_words_never_stay_in_the_title() -> None:
    now = at(LONDON, 2026, 11, 24, 10)
    for text in ("call the Acme CFO 11am Sunday", "call the Acme CFO on Sunday at 11am",
                 "call the Acme CFO tommorow morning", "call the Acme CFO in a fortnight",
                 "call the Acme CFO by EOD friday"):
        assert parse(text, now, LONDON, "ana").title == "Call the Acme CFO", text


@pytest.mark.parametrize(
    ("tz", "order"),
    [(NEW_YORK, "MDY"), ("Pacific/Honolulu", "MDY"), (LONDON, "DMY"), ("America/Sao_Paulo", "DMY"),
     ("Asia/Tokyo", "YMD"), ("UTC", "DMY")],
)
def test_default_date_order_comes_from_the_zones_country(tz: str, order: str) -> None:
    assert order_for_zone(tz) == order


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("every monday at 9am", "every Monday at 09:00"),
        ("every other wednesday", "every other Wednesday"),
        ("at 5pm on fridays", "every Friday at 17:00"),
        ("every 3rd friday", "every 3rd Friday of the month"),
        ("every weekday at 5pm", "every weekday at 17:00"),
        ("every month on the last day", "every month on the last day"),
        ("first monday of the month", "every 1st Monday of the month"),
        ("every january 25", "every January 25"),
        ("every 3 days", "every 3 days"),
        ("every day", "every day"),
    ],
)
def test_cadences_are_shown_back_in_words(phrase: str, words: str) -> None:
    rule = cadence_to_rrule(phrase)
    assert rule is not None and "FREQ=" in rule
    assert describe(rule) == words


def test_every_corpus_cadence_is_a_valid_rule_shown_in_words() -> None:
    from bot.language.corpus import load
    from engine.recurrence import validate_rrule

    rules = {c.expected["recurrence"] for c in load() if c.expected.get("recurrence")}
    assert len(rules) > 30
    for rule in rules:
        validate_rrule(rule)
        words = describe(rule)
        assert words.startswith("every") and "FREQ" not in words and "BY" not in words, rule
