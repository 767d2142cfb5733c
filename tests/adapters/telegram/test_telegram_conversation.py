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


def test_a_date_question_opens_the_reply_field_and_the_reply_answers_it(
        settings, conversation, fake_api):
    from tg_fake_api import BOT_ID, message_update

    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(GROUP, PRIYA, "/add Send the Acme filing"))
        await h.feed(message_update(GROUP, PRIYA, "/due #1"))
        asked = h.sent()[-1]
        assert "When should #1 Send the Acme filing be done?" in asked["text"]
        markup = asked["reply_markup"]
        markup = markup if isinstance(markup, dict) else __import__("json").loads(markup)
        assert markup["force_reply"] is True and markup["selective"] is True
        bot_message = {"message_id": asked.get("message_id", 999), "date": 0, "chat": GROUP,
                       "from": {"id": BOT_ID, "is_bot": True, "first_name": "Vigil",
                                "username": "VigilBot"}, "text": asked["text"]}
        await h.feed(message_update(GROUP, PRIYA, "28 Dec", reply_to_message=bot_message))
        assert "#1 is due Mon 28 Dec 17:00" in h.last_text()

    scenario(settings, conversation, fake_api, body)


def test_my_tasks_on_telegram_shows_work_waiting_for_an_owner(settings, conversation, fake_api):
    from tg_fake_api import message_update

    async def body(h: Harness) -> None:
        await group_with_priya(h)
        await h.feed(message_update(GROUP, PRIYA, "/add Chase the bank by Friday"))
        await h.feed(message_update(GROUP, PRIYA, "/tasks"))
        assert "Waiting for an owner (1)" in h.last_text()
        assert "nothing open" not in h.last_text()

    scenario(settings, conversation, fake_api, body)
