"""TelegramPort: sync sends and edits from a worker thread, errors in the dispatcher's terms."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram import Bot
from tg_fake_api import TOKEN, FakeBotApi, run

from adapters.telegram.callbacks import decode_callback
from adapters.telegram.port import TelegramPort, Throttle
from bot.messages import Button, Outgoing
from bot.notify.ports import PermanentError, Recipient, TransientError

PRIYA = Recipient(workspace_id=3, person_id=8, name="Priya")
ALERT = Outgoing.say("🔴 #12 Q3 filing: overdue",
                     Button("+1 day", "task.due_plus", {"task": 12, "days": 1}),
                     Button("Acknowledge", "violation.ack", {"violation": 77}))


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def with_port(fake_api: FakeBotApi, body, throttle: Throttle | None = None):
    """Run ``body(port)`` in a worker thread while the bot's loop runs."""
    async def go():
        bot = Bot(TOKEN, base_url=fake_api.base_url)
        async with bot:
            port = TelegramPort(bot, asyncio.get_running_loop(), timeout=5,
                                throttle=throttle or Throttle(private_interval=0,
                                                              group_interval=0, per_second=0))
            return await asyncio.to_thread(body, port)
    return run(go())


def test_send_then_edit_in_place(fake_api):
    def body(port: TelegramPort) -> str:
        ref = port.send(PRIYA, "5", ALERT)
        port.edit(ref, Outgoing.say("✅ Resolved by Priya — deadline moved to Fri 28 Nov"))
        return ref

    ref = with_port(fake_api, body)
    sent = fake_api.called("sendMessage")[-1]
    assert ref == f"5:{100}"
    assert sent["chat_id"] == "5" and sent["text"].startswith("🔴 #12")
    data = [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert [decode_callback(d)[1] for d in data] == [3, 3]  # pinned to the recipient's workspace
    edit = fake_api.called("editMessageText")[-1]
    assert (edit["chat_id"], edit["message_id"]) == ("5", "100")
    assert edit["text"].startswith("✅ Resolved by Priya")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_retry_after_becomes_transient_with_the_delay(fake_api):
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 7", {"retry_after": 7})

    def body(port: TelegramPort) -> TransientError:
        with pytest.raises(TransientError) as info:
            port.send(PRIYA, "5", ALERT)
        return info.value

    assert with_port(fake_api, body).retry_after == 7


@pytest.mark.parametrize("status,description", [
    (403, "Forbidden: bot was blocked by the user"),
    (400, "Bad Request: chat not found"),
])
def test_blocked_or_unknown_chat_is_permanent(fake_api, status, description):
    fake_api.fail("sendMessage", status, description)

    def body(port: TelegramPort) -> None:
        with pytest.raises(PermanentError):
            port.send(PRIYA, "5", ALERT)

    with_port(fake_api, body)


def test_server_errors_are_transient_and_bad_refs_or_identities_permanent(fake_api):
    fake_api.fail("sendMessage", 502, "Bad Gateway")

    def body(port: TelegramPort) -> None:
        with pytest.raises(TransientError):
            port.send(PRIYA, "5", ALERT)
        with pytest.raises(PermanentError):
            port.send(PRIYA, None, ALERT)
        with pytest.raises(PermanentError):
            port.send(PRIYA, "not-a-chat", ALERT)
        with pytest.raises(PermanentError):
            port.edit("garbage", ALERT)

    with_port(fake_api, body)


def test_edit_not_modified_is_fine_and_missing_message_is_permanent(fake_api):
    fake_api.fail("editMessageText", 400, "Bad Request: message is not modified")
    fake_api.fail("editMessageText", 400, "Bad Request: message to edit not found")

    def body(port: TelegramPort) -> None:
        port.edit("5:100", ALERT)
        with pytest.raises(PermanentError):
            port.edit("5:100", ALERT)

    with_port(fake_api, body)


def test_image_goes_as_photo_or_as_document_when_too_wide(fake_api, tmp_path: Path):
    from PIL import Image

    normal, wide = tmp_path / "gantt.png", tmp_path / "wide.png"
    Image.new("RGB", (300, 200)).save(normal)
    Image.new("RGB", (4200, 100)).save(wide)

    def body(port: TelegramPort) -> None:
        port.send(PRIYA, "5", Outgoing(Outgoing.say("Timeline").sections,
                                       image_path=str(normal)))
        port.send(PRIYA, "5", Outgoing(Outgoing.say("Timeline").sections, image_path=str(wide)))

    with_port(fake_api, body)
    assert len(fake_api.called("sendPhoto")) == 1
    assert fake_api.called("sendDocument")[0]["document"]["file"] == "wide.png"
    assert len(fake_api.called("sendMessage")) == 2


def test_throttle_keeps_per_chat_and_global_limits_without_dropping():
    clock = FakeTime()
    throttle = Throttle(per_second=30, private_interval=1.0, group_interval=3.0,
                        monotonic=clock.monotonic, sleep=clock.sleep)
    starts = []
    for _ in range(5):
        throttle.wait(5)
        starts.append(clock.now)
    assert starts == [0.0, 1.0, 2.0, 3.0, 4.0]  # one per second in a private chat
    group = []
    for _ in range(3):
        throttle.wait(-100)
        group.append(clock.now)
    assert group[1] - group[0] == pytest.approx(3.0)  # 20 per minute in a group
    fresh = Throttle(per_second=30, monotonic=clock.monotonic, sleep=clock.sleep)
    t0 = clock.now
    for chat in range(1, 61):
        fresh.wait(chat)
    assert clock.now - t0 == pytest.approx(59 / 30)  # 30 messages/s overall


def test_flood_of_notices_respects_the_per_chat_limit(fake_api):
    clock = FakeTime()
    throttle = Throttle(per_second=30, private_interval=1.0, monotonic=clock.monotonic,
                        sleep=clock.sleep)

    def body(port: TelegramPort) -> list[str]:
        return [port.send(PRIYA, "5", Outgoing.say(f"notice {i}")) for i in range(10)]

    refs = with_port(fake_api, body, throttle)
    assert len(set(refs)) == 10 and len(fake_api.called("sendMessage")) == 10
    assert clock.slept == [pytest.approx(1.0)] * 9  # nothing dropped, one a second


def test_reply_with_edit_ref_edits_in_place_else_sends(fake_api):
    from adapters.telegram.app import respond

    async def go() -> None:
        bot = Bot(TOKEN, base_url=fake_api.base_url)
        async with bot:
            edited = Outgoing(ALERT.sections, edit_ref="5:42")
            await respond(bot, 5, edited, 3)
            await respond(bot, 6, edited, 3)  # another chat: a new message instead
            fake_api.fail("editMessageText", 400, "Bad Request: message to edit not found")
            await respond(bot, 5, edited, 3)  # gone: falls back to a new message

    run(go())
    assert [c["message_id"] for c in fake_api.called("editMessageText")] == ["42", "42"]
    assert [c["chat_id"] for c in fake_api.called("sendMessage")] == ["6", "5"]


def test_long_notice_is_split_and_buttons_stay_on_the_last_part(fake_api):
    long = Outgoing.say("\n".join(f"line {i} " + "z" * 60 for i in range(80)),
                        Button("Acknowledge", "violation.ack", {"violation": 1}))

    ref = with_port(fake_api, lambda port: port.send(PRIYA, "5", long))
    sent = fake_api.called("sendMessage")
    assert len(sent) == 2 and "reply_markup" not in sent[0] and sent[1]["reply_markup"]
    assert ref == "5:101"  # edits target the part carrying the buttons
