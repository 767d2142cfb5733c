"""Plain language and commands -> intents (DESIGN.md §7, §8). Pure: no database, no clock.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> now = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    >>> p = parse("remind Sam to send the Acme filing by Friday", now, "Europe/London", "ana")
    >>> (p.intent, p.owner, p.title, p.due.isoformat())
    ('create_task', 'sam', 'Send the Acme filing', '2026-11-27T17:00:00+00:00')

Errors: ``parse`` never raises for odd text (it answers ``unknown``) except
:class:`DateNotUnderstood` (a ``ValueError``) when a verb that needs a date
(``due #14 blorp``) gets a phrase that is not a date. An unknown time zone
name is a ``ValueError`` too (a caller bug, not user input).
"""

from __future__ import annotations

from bot.language.dates import DateNotUnderstood, parse_date, warm_up
from bot.language.model import INTENTS, JSON_KEYS, ParsedIntent
from bot.language.parser import parse

__all__ = [
    "INTENTS",
    "JSON_KEYS",
    "DateNotUnderstood",
    "ParsedIntent",
    "parse",
    "parse_date",
    "warm_up",
]
