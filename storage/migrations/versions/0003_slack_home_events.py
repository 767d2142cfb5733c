"""slack_sdk's OAuth tables, Home refresh marks and seen platform events.

* ``slack_installations``, ``slack_bots``, ``slack_oauth_states``: the tables
  slack_sdk's SQLAlchemy installation and state stores use (columns copied
  from its ``build_*_table``). Before this revision they were created by
  ``create_tables()`` when Vigil started in OAuth mode, so a database may
  already have them: they are created only when missing.
* ``home_refresh``: people whose Home no longer shows their current tasks.
* ``seen_events``: platform event ids already handled (Slack retries).

Written by hand to match storage/models/ (tests/storage/test_storage_migrations.py
checks that alembic's compare_metadata finds no difference).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def _instant(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _slack_common() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("enterprise_name", sa.String(200), nullable=True),
    ]


def _slack_tables() -> None:
    # ``alembic upgrade --sql`` has no database to look at: emit every table.
    existing = set() if context.is_offline_mode() else set(
        sa.inspect(op.get_bind()).get_table_names()
    )
    if "slack_installations" not in existing:
        op.create_table(
            "slack_installations",
            *_slack_common(),
            sa.Column("enterprise_url", sa.String(200), nullable=True),
            sa.Column("team_id", sa.String(32), nullable=True),
            sa.Column("team_name", sa.String(200), nullable=True),
            sa.Column("bot_token", sa.String(200), nullable=True),
            sa.Column("bot_id", sa.String(32), nullable=True),
            sa.Column("bot_user_id", sa.String(32), nullable=True),
            sa.Column("bot_scopes", sa.String(1000), nullable=True),
            sa.Column("bot_refresh_token", sa.String(200), nullable=True),
            sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
            sa.Column("user_id", sa.String(32), nullable=False),
            sa.Column("user_token", sa.String(200), nullable=True),
            sa.Column("user_scopes", sa.String(1000), nullable=True),
            sa.Column("user_refresh_token", sa.String(200), nullable=True),
            sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
            sa.Column("incoming_webhook_url", sa.String(200), nullable=True),
            sa.Column("incoming_webhook_channel", sa.String(200), nullable=True),
            sa.Column("incoming_webhook_channel_id", sa.String(200), nullable=True),
            sa.Column("incoming_webhook_configuration_url", sa.String(200), nullable=True),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("token_type", sa.String(32), nullable=True),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
        )
        op.create_index(
            "slack_installations_idx",
            "slack_installations",
            ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        )
    if "slack_bots" not in existing:
        op.create_table(
            "slack_bots",
            *_slack_common(),
            sa.Column("team_id", sa.String(32), nullable=True),
            sa.Column("team_name", sa.String(200), nullable=True),
            sa.Column("bot_token", sa.String(200), nullable=True),
            sa.Column("bot_id", sa.String(32), nullable=True),
            sa.Column("bot_user_id", sa.String(32), nullable=True),
            sa.Column("bot_scopes", sa.String(1000), nullable=True),
            sa.Column("bot_refresh_token", sa.String(200), nullable=True),
            sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
        )
        op.create_index(
            "slack_bots_idx",
            "slack_bots",
            ["client_id", "enterprise_id", "team_id", "installed_at"],
        )
    if "slack_oauth_states" not in existing:
        op.create_table(
            "slack_oauth_states",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("state", sa.String(200), nullable=False),
            sa.Column("expire_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
        )


def upgrade() -> None:
    _slack_tables()

    op.create_table(
        "home_refresh",
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE", name="fk_home_refresh_person_id_people"),
            nullable=False,
            autoincrement=False,
        ),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey(
                "workspaces.id", ondelete="CASCADE", name="fk_home_refresh_workspace_id_workspaces"
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _instant("dirty_since", nullable=False),
        _instant("due_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("person_id", name="pk_home_refresh"),
    )
    op.create_index("ix_home_refresh_due_at", "home_refresh", ["due_at"])

    op.create_table(
        "seen_events",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("platform", "event_id", name="pk_seen_events"),
    )
    op.create_index("ix_seen_events_created_at", "seen_events", ["created_at"])


def downgrade() -> None:
    # Dropping the slack_* tables forgets every OAuth installation: upgrading
    # again needs each workspace to install Vigil again.
    for table in ("seen_events", "home_refresh", "slack_oauth_states", "slack_bots",
                  "slack_installations"):
        op.drop_table(table)
