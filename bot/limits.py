"""Input limits and ranges, one place each.

Everything a person types or a button carries is checked here before it
reaches the database: text fields have a length limit (a clear error above
it, never a silent cut), instants fall within 1900–2200, ids fit the
database's 64-bit integers, and numeric button arguments stay in a range a
person could mean. Every check raises ``VigilError`` with the reason; the
conversation answers it and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.errors import VigilError

MAX_ID = 2**63 - 1  # PostgreSQL BIGINT / SQLite INTEGER
MESSAGE_MAX = 2000  # characters of one chat message Vigil reads

TEXT_LIMITS: dict[str, tuple[str, int]] = {  # field -> (what a person calls it, max chars)
    "title": ("A task title", 200),
    "note": ("A note", 2000),
    "project": ("A project name", 80),
    "reason": ("A reason", 500),
    "proof": ("A proof", 2000),
    # the name column holds 200 (a Telegram name is up to 129: first and last name of 64 each);
    # a handle made from a longer name is cut to the handle's 100 (see people.handle_from)
    "person": ("A person's name", 200),
    "handle": ("A handle", 100),
}

YEAR_MIN, YEAR_MAX = 1900, 2200

# Numeric button arguments: key -> (lowest, highest). Ids default to 1..MAX_ID.
ARG_RANGES: dict[str, tuple[int, int]] = {
    "days": (-3650, 3650),
    "hours": (1, 24 * 90),  # snooze: up to 90 days
    "value": (0, 100),  # progress %
}
ID_RANGE = (1, MAX_ID)


def check_text(field: str, value: str) -> str:
    """``value`` stripped; VigilError when it is longer than the field's limit."""
    text = value.strip()
    problem = text_problem(field, text)
    if problem is not None:
        raise VigilError(problem)
    return text


def text_problem(field: str, text: str) -> str | None:
    """Why ``text`` is too long for ``field`` (None when it fits): for checks that
    collect every problem first, such as an import's rows."""
    what, limit = TEXT_LIMITS[field]
    if len(text) > limit:
        return (f"{what} has at most {limit:,} characters; this one has {len(text):,}. "
                "Shorten it")
    return None


def check_message(text: str) -> str:
    """A whole chat message; VigilError above ``MESSAGE_MAX`` (never cut silently)."""
    if len(text) > MESSAGE_MAX:
        raise VigilError(f"That message has {len(text):,} characters; I read at most "
                         f"{MESSAGE_MAX:,}. Send it in shorter parts")
    return text


def check_instant(what: str, value: datetime | None) -> datetime | None:
    """``value`` when its year is within 1900–2200 (None passes)."""
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise VigilError(f"The {what} must fall between {YEAR_MIN} and {YEAR_MAX}, "
                         f"not in {value.year}")
    return value


def check_id(value: int, what: str = "id") -> int:
    """A row id or task number that the database can hold (1 .. 2^63-1)."""
    low, high = ID_RANGE
    if not low <= value <= high:
        raise VigilError(f"There is no {what} {value} here")
    return value


def button_arg(key: str, value: int) -> int:
    """A numeric button argument within its range (ids: 1 .. 2^63-1)."""
    low, high = ARG_RANGES.get(key, ID_RANGE)
    if not low <= value <= high:
        raise VigilError("That button is out of date; try the command instead")
    return value


def check_progress_change(number: int, status: str, value: int) -> None:
    """Progress of finished work stays put: say why and how to change it."""
    if status in ("done", "cancelled"):
        raise VigilError(f"#{number} is {status}, so its progress stays as it is "
                         f"(asked: {value}%); reopen it first ('reopen #{number}') to change it")


def is_number(text: str) -> bool:
    """ASCII digits only (``'²'.isdigit()`` is True, yet ``int('²')`` fails)."""
    return text.isascii() and text.isdigit()
