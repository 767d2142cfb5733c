"""Migrations: upgrade on an empty database, and parity with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, inspect

from storage.db import alembic_config, current_revision, upgrade
from storage.models import SLACK_TABLES, Base


def _diff(engine: Engine, metadata: MetaData) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


HEAD = "i25_task_risk"


def test_upgrade_on_empty_database_creates_every_table(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == HEAD


def test_migration_matches_models(engine: Engine) -> None:
    assert _diff(engine, Base.metadata) == []


def test_parity_check_would_see_a_difference(engine: Engine) -> None:
    """Guard against a vacuous parity test: an extra column must show up."""
    changed = MetaData()
    for table in Base.metadata.sorted_tables:
        copy = table.to_metadata(changed)
        if table.name == "tasks":
            copy.append_column(Column("extra", Integer))
    assert any("extra" in repr(d) for d in _diff(engine, changed))


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert not {"tasks", "violations"} & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == HEAD


def test_slack_sdk_tables_match_its_own_definitions(engine: Engine) -> None:
    """The slack_* tables migration 0003 creates are the ones slack_sdk's stores expect."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    theirs = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    assert set(theirs.tables) == set(SLACK_TABLES)

    def slack_only(name: str | None, type_: str, parents: object) -> bool:
        return type_ != "table" or name in SLACK_TABLES

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "compare_server_default": True, "include_name": slack_only})
        assert list(compare_metadata(context, theirs)) == []


def test_upgrade_keeps_slack_tables_created_before_0003(empty_engine: Engine) -> None:
    """Vigil once created the slack_* tables at start (create_tables); 0003 adopts them."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    upgrade(empty_engine, "0002")
    store = SQLAlchemyInstallationStore(client_id="1.2", engine=empty_engine)
    store.create_tables()
    SQLAlchemyOAuthStateStore(expiration_seconds=60, engine=empty_engine).create_tables()
    with empty_engine.begin() as conn:
        conn.execute(store.bots.insert().values(
            client_id="1.2", app_id="A1", team_id="T1", bot_token="xoxb-old",
            is_enterprise_install=False))
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD
    assert store.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-old"
    assert _diff(empty_engine, Base.metadata) == []


def test_partial_unique_index_is_partial(engine: Engine) -> None:
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("violations")}
    firing = indexes["uq_violations_firing_fingerprint"]
    assert firing["unique"]
    options = firing.get("dialect_options", {})
    where = options.get("postgresql_where") or options.get("sqlite_where")
    assert where is not None and "firing" in str(where)


def test_upgrade_refreshes_the_planners_statistics(engine: Engine) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            analysed = conn.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
                    " AND last_analyze IS NOT NULL"
                )
            ).scalars()
            assert {"tasks", "violations", "people"} <= set(analysed)
        else:  # SQLite plans from its indexes: no statistics table is made
            assert "sqlite_stat1" not in inspect(engine).get_table_names()
