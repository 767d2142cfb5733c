"""Alembic environment for Vigil, configured programmatically by ``storage.db``.

``storage.db.upgrade`` passes an open connection in ``config.attributes``;
the ``alembic -c storage/alembic.ini`` command line falls back to the URL
in the config (``VIGIL_DATABASE_URL`` or ``sqlite:///./vigil.db``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run against the connection handed over by storage.db, or a fresh engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    from storage.db import default_url, make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or default_url())
    try:
        with engine.begin() as conn:
            _configure(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
