"""A repeated Telegram update (same update_id, same bot) runs once."""

from __future__ import annotations

import copy

from telegram import Update
from tg_fake_api import TOKEN, group_chat, message_update, private_chat, run, user

from adapters.telegram.application import build_application
from adapters.telegram.replay import bot_kind

PRIYA = user(5, "Priya", "priya")
GROUP = group_chat(-1001, "Acme team")


def test_a_repeated_update_adds_one_task(settings, conversation, fake_api, uow):
    add = message_update(private_chat(5), PRIYA, "/add Send the Acme filing by Friday")
    fake_api.statuses[(-1001, PRIYA["id"])] = "creator"  # Priya may set the group up

    async def go() -> None:
        app = build_application(settings, conversation)
        await app.initialize()
        try:
            await app.process_update(Update.de_json(message_update(GROUP, PRIYA, "/start"),
                                                    app.bot))
            for _ in range(3):  # Telegram resent it (webhook not answered; restart)
                await app.process_update(Update.de_json(copy.deepcopy(add), app.bot))
        finally:
            await app.shutdown()

    run(go())
    with uow() as u:
        ws = u.workspaces.by_key("telegram:-1001")
        assert [t.title for t in u.tasks.list(ws.id)] == ["Send the Acme filing"]
    replies = [m["text"] for m in fake_api.called("sendMessage")]
    assert sum(r.startswith("Added #1") for r in replies) == 1


def test_a_copy_reaching_another_replica_is_dropped_there(settings, conversation, fake_api,
                                                           uow):
    """Two Applications on one database (two replicas behind a webhook)."""
    add = message_update(private_chat(5), PRIYA, "/add Call the bank")
    fake_api.statuses[(-1001, PRIYA["id"])] = "creator"

    async def go() -> None:
        first = build_application(settings, conversation)
        second = build_application(settings, conversation)
        await first.initialize()
        await second.initialize()
        try:
            await first.process_update(Update.de_json(message_update(GROUP, PRIYA, "/start"),
                                                      first.bot))
            await first.process_update(Update.de_json(copy.deepcopy(add), first.bot))
            await second.process_update(Update.de_json(copy.deepcopy(add), second.bot))
        finally:
            await first.shutdown()
            await second.shutdown()

    run(go())
    with uow() as u:
        ws = u.workspaces.by_key("telegram:-1001")
        assert [t.title for t in u.tasks.list(ws.id)] == ["Call the bank"]


def test_update_ids_are_kept_per_bot():
    assert bot_kind(TOKEN) == f"telegram:{TOKEN.split(':')[0]}"
    assert bot_kind("42:secret") != bot_kind("43:secret")
    assert "secret" not in bot_kind("42:secret")
