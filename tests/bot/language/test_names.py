"""Which short titles read like a person's name (bot.language.names)."""

from __future__ import annotations

import pytest

from bot.language.names import reads_like_a_name


@pytest.mark.parametrize(("typed", "name"), [
    ("Sam", True), ("sam", True), ("Priya", True), ("aisha", True), ("Sam Lee", True),
    ("Grace", True), ("Bill", True),
    ("grace", False), ("bill", False),            # common words typed lower-case are work
    ("Sam lee", False), ("Sam invoices", False),  # two words: both capitalised
    ("Payroll", False), ("Invoices", False), ("Floor", False), ("Payroll Beacon", False),
    ("VAT", False), ("SAM", False), ("May", False), ("Friday", False),
    ("Sam Lee Jones", False), ("R2D2", False), ("", False),
])
def test_reads_like_a_name(typed, name):
    assert reads_like_a_name(typed) is name
