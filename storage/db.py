"""Engine creation, migrations and sessions.

``make_engine`` tunes SQLite (WAL, foreign keys, busy timeout, real
transactions) and accepts PostgreSQL through ``postgresql+psycopg://``.
``upgrade`` runs the Alembic migrations shipped in ``storage/migrations``
without any alembic.ini or dependency on the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.types import json_dumps

DEFAULT_URL = "sqlite:///./vigil.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def default_url() -> str:
    """``VIGIL_DATABASE_URL`` when set, else a SQLite file in the current directory."""
    return os.environ.get("VIGIL_DATABASE_URL") or DEFAULT_URL


def make_engine(
    url: str | None = None, *, echo: bool = False, sqlite_cache_mib: int | None = None
) -> Engine:
    """Create an Engine for ``url`` (default ``sqlite:///./vigil.db``).

    SQLite connections get WAL journaling, ``foreign_keys=ON``, a busy timeout,
    and ``BEGIN IMMEDIATE`` transactions, so concurrent writers queue on the
    busy timeout instead of failing on a read-to-write lock upgrade;
    ``sqlite_cache_mib``: each connection's page cache (default: SQLite's 2 MiB).
    A ``postgresql://`` URL is switched to the psycopg 3 driver.
    """
    parsed = make_url(url or DEFAULT_URL)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, Any] = {"echo": echo, "json_serializer": json_dumps, "future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        engine = create_engine(parsed, **kwargs)
        _tune_sqlite(engine, sqlite_cache_mib)
        return engine
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine, cache_mib: int | None = None) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if cache_mib:
            cursor.execute(f"PRAGMA cache_size={-int(cache_mib) * 1024}")  # negative: KiB
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = engine.url.render_as_string(hide_password=False) if engine else default_url()
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (default: the newest) in one transaction.

    Then refreshes the planner's statistics on PostgreSQL: a plan made from
    the empty tables of a new database (or from before a migration's new
    index) is many times slower once the tables fill.
    """
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    refresh_statistics(engine)


STATISTICS_TABLES = ("tasks", "task_dependencies", "people", "projects", "violations",
                     "notifications", "identities", "home_refresh")


def refresh_statistics(engine: Engine, tables: tuple[str, ...] = STATISTICS_TABLES) -> None:
    """ANALYZE ``tables`` on PostgreSQL (after migrations and bulk loads); SQLite: nothing.

    SQLite plans from its indexes without statistics, and the project's
    queries are written for those plans; ANALYZE there would only cost time.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        present = set(inspect(connection).get_table_names())  # an older revision may lack some
        for table in tables:
            if table in present:
                connection.exec_driver_sql(f'ANALYZE "{table}"')


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker bound to ``engine`` (objects stay readable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
