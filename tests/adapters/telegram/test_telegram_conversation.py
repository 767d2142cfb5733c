"""#13 on Telegram through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from test_telegram_app import GROUP, PRIYA, Harness, group_with_priya, scenario


def test_an_unknown_mention_answers_with_the_workspaces_join_link(
        settings, conversation, fake_api):
    async def body(h: Harness) -> None:
        await group_with_priya(h)
        from tg_fake_api import message_update

        await h.feed(message_update(GROUP, PRIYA, "/add Send the Acme filing by Friday"))
        await h.feed(message_update(GROUP, PRIYA, "/assign #1 @leo_k"))
        text = h.last_text()
        assert "I haven't met @leo_k yet" in text
        assert "https://t.me/VigilBot?start=j" in text and "Nothing was changed" in text

    scenario(settings, conversation, fake_api, body)
