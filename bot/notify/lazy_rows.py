"""A read-through mapping of rows by id: one row at a time, a set up front, or all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

R = TypeVar("R")


class LazyRows(Mapping[int, R]):
    """A read-only id -> row mapping that fetches rows one by one, or all on iteration."""

    def __init__(self, one: Callable[[int], R | None], every: Callable[[], list[R]]) -> None:
        self._one, self._every = one, every
        self._rows: dict[int, R | None] = {}
        self._complete = False

    def prefetch(self, keys: Iterable[int], many: Callable[[set[int]], list[R]]) -> set[int]:
        """Fetch the rows of ``keys`` not read yet with one call of ``many``; their keys."""
        fresh = set() if self._complete else {k for k in keys if k not in self._rows}
        if fresh:
            self._rows.update(dict.fromkeys(fresh))  # None: no such row
            self._rows.update((row.id, row) for row in many(fresh))  # type: ignore[attr-defined]
        return fresh

    def __getitem__(self, key: int) -> R:
        if key not in self._rows and not self._complete:
            self._rows[key] = self._one(key)
        row = self._rows.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def _all(self) -> dict[int, R | None]:
        if not self._complete:
            self._rows = {row.id: row for row in self._every()}  # type: ignore[attr-defined]
            self._complete = True
        return self._rows

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def known_first(
    known: Mapping[int, R] | None, read: Callable[[set[int]], list[R]]
) -> Callable[[set[int]], list[R]]:
    """A ``many`` for ``LazyRows.prefetch`` that takes the rows in ``known`` as they
    are and reads only the others with ``read``."""
    rows = known or {}

    def many(ids: set[int]) -> list[R]:
        rest = ids - rows.keys()
        return [rows[i] for i in ids if i in rows] + (read(rest) if rest else [])

    return many
