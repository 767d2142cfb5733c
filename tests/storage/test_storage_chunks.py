"""Multi-row statements come in a handful of sizes: full chunks, then powers of two."""

from __future__ import annotations

import pytest

from storage.repositories._base import chunks


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [
        (0, 200, []),
        (1, 200, [(0, 1)]),
        (200, 200, [(0, 200)]),
        (137, 200, [(0, 128), (128, 136), (136, 137)]),
        (403, 200, [(0, 200), (200, 400), (400, 402), (402, 403)]),
        (7, 3, [(0, 3), (3, 6), (6, 7)]),
        (5, 1, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]),
    ],
)
def test_chunks_cover_every_row_once(count: int, size: int, expected: list[tuple[int, int]]):
    assert chunks(count, size) == expected


def test_chunks_refuse_an_empty_size():
    with pytest.raises(ValueError):
        chunks(3, 0)
