"""Fixtures for the storage tests: a workspace to work in and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from storage.uow import UnitOfWork

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    """A fixed, aware UTC instant."""
    return NOW


@pytest.fixture
def ws(uow: Callable[[], UnitOfWork]) -> int:
    """The id of a committed, empty workspace."""
    with uow() as u:
        record = u.workspaces.create("console:default", "Default")
        u.commit()
    return record.id
