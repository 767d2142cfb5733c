"""Does a short title read like a person's name? ("add Sam" vs "add Payroll")."""

from __future__ import annotations

import re

from bot.language.given_names import ALSO_WORDS, NAMES
from bot.language.vocabulary import MONTH_NUMBERS, WEEKDAY_NUMBERS

_WORD = re.compile(r"[^\W\d_][\w'\-]*")
NOT_NAMES = frozenset(MONTH_NUMBERS) | frozenset(WEEKDAY_NUMBERS)  # "add May" is a month


def reads_like_a_name(typed: str) -> bool:
    """True for a given name as typed: "Sam", "sam", "Sam Lee", "Grace" — not "Payroll".

    ``typed`` is the title as the person wrote it. A single given name reads as a
    name in either case (phones do not capitalise "add sam"), except one that is a
    common word too, which reads as a name only capitalised ("Bill", not "bill").
    Two words read as a name only both capitalised ("Sam Lee", not "Sam invoices").
    Acronyms ("VAT"), months and words that are nobody's first name are work.
    """
    words = typed.split()
    if not 1 <= len(words) <= 2 or not all(_WORD.fullmatch(w) for w in words):
        return False
    if any(len(w) > 1 and w.isupper() for w in words):
        return False
    first = words[0].lower()
    if first not in NAMES or first in NOT_NAMES:
        return False
    capitalised = all(w[0].isupper() for w in words)
    if len(words) == 2 or first in ALSO_WORDS:
        return capitalised
    return True
