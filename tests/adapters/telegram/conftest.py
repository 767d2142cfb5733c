"""Fixtures: the fake Bot API, a conversation on a fresh database, settings pointing at it."""

from __future__ import annotations

import pytest
from tg_fake_api import NOW, TOKEN, FakeBotApi

from bot.clock import FixedClock
from bot.config import Settings
from bot.conversation import Conversation


@pytest.fixture
def fake_api():
    api = FakeBotApi()
    api.thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()


@pytest.fixture
def conversation(uow) -> Conversation:
    return Conversation(uow, FixedClock(NOW))


@pytest.fixture
def settings(fake_api: FakeBotApi) -> Settings:
    return Settings(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=fake_api.base_url,
                    VIGIL_HTTP_PORT=0, _env_file=None)
