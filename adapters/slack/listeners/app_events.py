"""``app_uninstalled`` and ``tokens_revoked``: forget the team's installation.

With an installation store (OAuth) the team's bot is deleted, so the
delivery port finds no token and fails its notices permanently instead of
retrying them. A single-token app has nothing to delete: it says so in the
log (Slack then refuses the old token, which the port also treats as final).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners

log = logging.getLogger("vigil.slack")


def register(app: AsyncApp) -> None:
    store = app.installation_store
    revocation = AsyncTokenRevocationListeners(store) if store is not None else None

    @app.event("app_uninstalled")
    async def on_uninstalled(context: Any) -> None:
        team = context.team_id
        if revocation is None:
            log.warning("Vigil was uninstalled from Slack team %s; set a new SLACK_BOT_TOKEN "
                        "after installing it again", team)
            return
        await revocation.handle_app_uninstalled_events(context)
        log.warning("Vigil was uninstalled from Slack team %s: installation deleted, nothing "
                    "more is sent there", team)

    @app.event("tokens_revoked")
    async def on_tokens_revoked(event: dict[str, Any], context: Any) -> None:
        team = context.team_id
        if revocation is None:
            log.warning("Slack team %s revoked Vigil's tokens: %s", team, event.get("tokens"))
            return
        await revocation.handle_tokens_revoked_events(event, context)
        log.warning("Slack team %s revoked Vigil's tokens %s: deleted", team,
                    event.get("tokens"))
