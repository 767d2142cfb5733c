"""`vigil run` (serve) starts Telegram inside its own event loop next to the scheduler."""

from __future__ import annotations

import asyncio

from tg_fake_api import TOKEN, FakeBotApi, group_chat, message_update, user

from bot.app import serve
from bot.config import Settings
from storage.db import make_engine
from storage.uow import make_uow_factory


def test_serve_runs_telegram_and_the_scheduler_together(fake_api: FakeBotApi, tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=fake_api.base_url,
                        VIGIL_HTTP_PORT=0, VIGIL_DATABASE_URL=url, VIGIL_TICK_SECONDS=0.2,
                        _env_file=None)

    async def scenario() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, stop))
        fake_api.statuses[(-1001, 7)] = "creator"  # Maria owns the group
        fake_api.push(message_update(group_chat(-1001), user(7, "Maria", "maria"), "/start"))
        await asyncio.to_thread(fake_api.wait_for, "sendMessage", 1, 10.0)
        stop.set()
        await asyncio.wait_for(running, 10)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    engine = make_engine(url)
    with make_uow_factory(engine)() as uow:
        ws = uow.workspaces.by_key("telegram:-1001")
        assert ws is not None
        assert [p.name for p in uow.people.list(ws.id)] == ["Maria"]
    engine.dispose()
