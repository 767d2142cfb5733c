"""Title words to tasks: typos, word order, fillers and emoji (bot.language.references)."""

from __future__ import annotations

import pytest

from bot.language.references import rank, words_of

TITLES = [
    (1, "Q3 filing for Acme"),
    (2, "Send the revised quote to Acme"),
    (3, "Payroll run"),
    (4, "Website launch"),
    (5, "Website launch checklist"),
    (6, "Call the Acme CFO"),
]


@pytest.mark.parametrize(
    ("reference", "ids"),
    [
        ("the Acme filing", [1]),  # word order free (issue #12)
        ("acme filng", [1]),  # a typo
        ("Acme fillings", [1]),
        ("the payrol run please", [3]),
        ("revised quote 🎉", [2]),  # emoji ignored
        ("quote for acme", [2]),
        ("website launch", [4, 5]),  # close candidates: one button each
        ("wesbite lanch", [4, 5]),
        ("acme cfo call", [6]),
        ("board meeting", []),
        ("acme", [1, 6, 2]),  # all close; shorter titles first
    ],
)
def test_rank(reference: str, ids: list[int]) -> None:
    assert [c.task_id for c in rank(reference, TITLES)] == ids


def test_words_of_drops_fillers_but_never_everything() -> None:
    assert words_of("the Acme filing, please") == ["acme", "filing"]
    assert words_of("the task") == ["the", "task"]
