"""Vigil's Bolt listeners, one module per concern (as bolt-python's ``register(app)``).

``middleware`` (each event once; no bots), ``commands`` (``/task``, ``/tasks``),
``messages`` (DMs, mentions, proof files), ``actions`` (buttons), ``home``
(App Home), ``shortcuts`` (create from message, the add modal),
``app_events`` (uninstall, revoked tokens).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.listeners import (
    actions,
    app_events,
    commands,
    home,
    messages,
    middleware,
    pickers,
    replay,
    shortcuts,
)
from adapters.slack.listeners.middleware import SeenEvents
from adapters.slack.listeners.shared import Slack
from adapters.slack.people import NOT_INSTALLED, NOT_SET_UP, People
from bot.conversation import Conversation
from bot.event_log import EventLog

log = logging.getLogger("vigil.slack")


def register(app: AsyncApp, conversation: Conversation, *,
             seen: SeenEvents | None = None, events: EventLog | None = None) -> People:
    """Attach every Vigil listener to ``app``; returns the people mapper it uses.

    ``events``: where handled event ids are kept (default: Vigil's database).
    A single-token app (no OAuth flow) is set up by the first person who
    writes to Vigil in a DM; an OAuth app by its installation.
    """
    single_token = app.oauth_flow is None
    # OAuth teams get their workspace from the installation; single-token ones from a DM
    slack = Slack(conversation, People(conversation, NOT_SET_UP if single_token
                                       else NOT_INSTALLED))
    events = events or EventLog(conversation.uow_factory, conversation.clock)
    middleware.register(app, seen or SeenEvents(), events)
    replay.register(app, events)  # a signed request copied within its 5 minutes does nothing
    commands.register(app, slack, create_on_dm=single_token)
    messages.register(app, slack, create_on_dm=single_token)
    actions.register(app, slack)
    pickers.register(app, slack)  # datepicker / users_select in questions (#13)
    home.register(app, slack)
    shortcuts.register(app, slack)
    app_events.register(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("slack request failed: %s", error, exc_info=error)

    return slack.people
