"""Shared fixtures: a migrated database per test, on SQLite or PostgreSQL.

Set ``VIGIL_TEST_DATABASE_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to run on PostgreSQL:
each test then gets its own freshly created schema, dropped afterwards.
Without it each test gets a fresh SQLite file in its tmp_path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, upgrade
from storage.uow import UnitOfWork, make_uow_factory

TEST_URL_ENV = "VIGIL_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def database_url() -> str | None:
    """The PostgreSQL URL under test, or None for SQLite."""
    return os.environ.get(TEST_URL_ENV) or None


@pytest.fixture
def empty_engine(database_url: str | None, tmp_path: Path) -> Iterator[Engine]:
    """An Engine on an empty, isolated database (no migrations applied)."""
    if database_url is None:
        engine = make_engine(f"sqlite:///{tmp_path / 'vigil.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """An Engine on an isolated database with every migration applied."""
    upgrade(empty_engine)
    return empty_engine


@pytest.fixture
def uow(engine: Engine) -> Callable[[], UnitOfWork]:
    """A unit-of-work factory on the migrated test database."""
    return make_uow_factory(engine)
