"""Multi-workspace installs: Slack's OAuth v2 flow with installations in Vigil's database.

Used when ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set and no single
``SLACK_BOT_TOKEN`` is. slack_sdk's synchronous ``SQLAlchemyInstallationStore``
and ``SQLAlchemyOAuthStateStore`` keep installations and one-time ``state``
values in their own tables (``slack_installations``, ``slack_bots``,
``slack_oauth_states``, created by Vigil's migrations) on Vigil's own engine. Bolt's async
app needs async stores, so thin adapters run the sync stores in a worker thread.
The delivery port finds each team's bot token through ``OAuthStores.bot_token``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from logging import Logger
from typing import Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

log = logging.getLogger("vigil.slack.oauth")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
# The bot scopes of manifest.yaml (keep the two in step).
SCOPES = (
    "app_mentions:read", "channels:history", "chat:write", "commands", "files:read",
    "files:write", "groups:history", "im:history", "im:write", "users:read",
)
PREFIX = "slack:"


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return (getter() if getter else str(value)) or None


def oauth_configured(settings: Any) -> bool:
    """Both OAuth credentials are set."""
    return bool(getattr(settings, "slack_client_id", None)
                and _secret(getattr(settings, "slack_client_secret", None)))


def oauth_mode(settings: Any) -> bool:
    """Multi-workspace mode: OAuth credentials and no single bot token."""
    return oauth_configured(settings) and not _secret(getattr(settings, "slack_bot_token", None))


class ThreadedInstallationStore(AsyncInstallationStore):
    """Bolt's async installation store interface over slack_sdk's sync SQLAlchemy store."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    @property
    def logger(self) -> Logger:
        return self.store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        return await asyncio.to_thread(self.store.find_bot, enterprise_id=enterprise_id,
                                       team_id=team_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_find_installation(self, *, enterprise_id: str | None,
                                      team_id: str | None, user_id: str | None = None,
                                      is_enterprise_install: bool | None = False
                                      ) -> Installation | None:
        return await asyncio.to_thread(self.store.find_installation,
                                       enterprise_id=enterprise_id, team_id=team_id,
                                       user_id=user_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None,
                               team_id: str | None) -> None:
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id,
                                team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None,
                                        team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.store.delete_installation, enterprise_id=enterprise_id,
                                team_id=team_id, user_id=user_id)


class ThreadedOAuthStateStore(AsyncOAuthStateStore):
    """Bolt's async state store interface over slack_sdk's sync SQLAlchemy state store."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> Logger:
        return self.store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


@dataclass
class OAuthStores:
    """The installation and state stores on one (sync) engine (``vigil db upgrade``d)."""

    installations: SQLAlchemyInstallationStore
    states: SQLAlchemyOAuthStateStore

    @classmethod
    def on(cls, engine: Engine, client_id: str,
           state_seconds: int = STATE_SECONDS) -> OAuthStores:
        installations = SQLAlchemyInstallationStore(client_id=client_id, engine=engine,
                                                    logger=log)
        states = SQLAlchemyOAuthStateStore(expiration_seconds=state_seconds, engine=engine,
                                           logger=log)
        # The tables come from migration 0003 (``vigil run`` upgrades first), not create_tables.
        return cls(installations, states)

    @classmethod
    def from_settings(cls, settings: Any, engine: Engine | None = None) -> OAuthStores:
        if engine is None:
            from storage.db import make_engine
            engine = make_engine(settings.database_url)
        return cls.on(engine, str(settings.slack_client_id))

    def bot_token(self, team_id: str) -> str | None:
        """The latest bot token installed in ``team_id`` (None: not installed)."""
        bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None


def oauth_settings(settings: Any, stores: OAuthStores) -> AsyncOAuthSettings:
    """Bolt's OAuth settings: install at ``/slack/install``, Slack back at the redirect."""
    client_id = getattr(settings, "slack_client_id", None)
    client_secret = _secret(getattr(settings, "slack_client_secret", None))
    if not client_id or not client_secret:
        raise ValueError("OAuth installs need SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    return AsyncOAuthSettings(
        client_id=str(client_id), client_secret=client_secret, scopes=list(SCOPES),
        install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
        installation_store=ThreadedInstallationStore(stores.installations),
        installation_store_bot_only=True,
        state_store=ThreadedOAuthStateStore(stores.states),
        state_expiration_seconds=stores.states.expiration_seconds, logger=log)


def workspace_teams(engine: Engine) -> Callable[[int], str | None]:
    """Vigil workspace id -> Slack team id (from the workspace key ``slack:{team_id}``)."""
    from storage.uow import make_uow_factory

    uow = make_uow_factory(engine)
    known: dict[int, str | None] = {}

    def team_of(workspace_id: int) -> str | None:
        if workspace_id not in known:
            with uow() as u:
                record = u.workspaces.get(workspace_id)
            key = record.key if record is not None else ""
            known[workspace_id] = key[len(PREFIX):] if key.startswith(PREFIX) else None
        return known[workspace_id]

    return team_of
