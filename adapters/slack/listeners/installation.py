"""An OAuth installation sets the team's Vigil workspace up, with the installer as admin.

Bolt calls ``success`` once Slack's code was exchanged and the installation
stored. The installer is looked up with the new bot token (``users.info``)
and onboarded first, so they are the workspace's admin; installing again
in a team that already has its workspace only adds the installer (if new).
"""

from __future__ import annotations

import logging

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.people import People, Refused
from bot.conversation import Conversation

log = logging.getLogger("vigil.slack.oauth")


def callback_options(conversation: Conversation, base_url: str) -> AsyncCallbackOptions:
    """Bolt's OAuth callbacks: set the workspace up on success, Bolt's pages otherwise."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        team = installation.team_id or installation.enterprise_id
        if team and installation.user_id:
            client = AsyncWebClient(token=installation.bot_token, base_url=base_url)
            try:
                await People(conversation).member(
                    client, team, installation.user_id,
                    enterprise=installation.enterprise_id,
                    team_name=installation.team_name, may_create=True)
                log.info("Slack team %s installed Vigil; %s is its admin", team,
                         installation.user_id)
            except Refused:
                log.warning("Slack team %s installed by %s, who cannot be a person here",
                            team, installation.user_id)
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=success, failure=failure)
