"""Persistence for Vigil: SQLAlchemy models, Alembic migrations, repositories.

Only this package knows SQLAlchemy. Everything it hands out is plain data: the
engine's frozen dataclasses (``engine.model``) and the records of
``storage.records``. Typical use::

    from storage.db import make_engine, upgrade
    from storage.uow import make_uow_factory

    engine = make_engine("sqlite:///./vigil.db")
    upgrade(engine)
    uow = make_uow_factory(engine)
    with uow() as u:
        ws = u.workspaces.create("console:default", "Default")
        u.commit()
"""
