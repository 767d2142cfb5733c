"""SlackPort (the notification port) with the real sync WebClient against a fake Slack."""

from __future__ import annotations

import pytest
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from adapters.slack.port import SlackPort
from bot.messages import Button, Outgoing, Section
from bot.notify.ports import PermanentError, Recipient, TransientError

SAM = Recipient(workspace_id=1, person_id=3, name="Sam")
ALERT = Outgoing((Section("⚠ #1 Send the Acme filing is overdue",
                          (Button("Done", "task.done", {"task": 1}, "primary"),
                           Button("+1 day", "task.due_plus", {"task": 1, "days": 1}))),))


def test_sends_a_dm_and_edits_it_in_place(fake):
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    ref = port.send(SAM, "U3", ALERT)
    opened = fake.named("conversations.open")
    assert [c.params["users"] for c in opened] == ["U3"]
    post = fake.named("chat.postMessage")[0].params
    assert post["channel"] == "DU3" and "overdue" in post["text"]
    assert [e["action_id"] for e in post["blocks"][1]["elements"]] == ["task.done:0",
                                                                        "task.due_plus:1"]
    assert ref == "DU3:1700000000.000001"

    port.edit(ref, Outgoing.say("✅ #1 Send the Acme filing is done"))
    update = fake.named("chat.update")[0].params
    assert update["channel"] == "DU3" and update["ts"] == "1700000000.000001"
    assert "done" in update["text"] and update["blocks"][0]["type"] == "section"

    port.send(SAM, "U3", ALERT)  # the DM channel is remembered
    assert len(fake.named("conversations.open")) == 1


def test_rate_limit_is_transient_with_retry_after(fake):
    fake.script["chat.postMessage"] = [(429, {"ok": False, "error": "ratelimited"},
                                        {"Retry-After": "7"})]
    port = SlackPort("xoxb-test", base_url=fake.api_url, retry_handlers=[])
    with pytest.raises(TransientError) as caught:
        port.send(SAM, "U3", ALERT)
    assert caught.value.retry_after == 7.0


def test_rate_limit_is_retried_by_the_sdk_handler_first(fake):
    fake.script["chat.postMessage"] = [(429, {"ok": False, "error": "ratelimited"},
                                        {"Retry-After": "0"})]
    port = SlackPort("xoxb-test", base_url=fake.api_url,
                     retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert port.send(SAM, "U3", ALERT).startswith("DU3:")
    assert len(fake.named("chat.postMessage")) == 2


@pytest.mark.parametrize("error", ["user_not_found", "channel_not_found", "account_inactive"])
def test_unknown_or_gone_users_are_permanent(fake, error):
    fake.script["conversations.open"] = [(200, {"ok": False, "error": error}, {})]
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    with pytest.raises(PermanentError):
        port.send(SAM, "U404", ALERT)


def test_other_api_errors_are_transient(fake):
    fake.script["chat.postMessage"] = [(200, {"ok": False, "error": "internal_error"}, {})]
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    with pytest.raises(TransientError):
        port.send(SAM, "U3", ALERT)


def test_missing_identity_and_bad_ref_are_permanent(fake):
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    with pytest.raises(PermanentError):
        port.send(SAM, None, ALERT)
    with pytest.raises(PermanentError):
        port.edit("no-colon", ALERT)
    assert fake.calls == []


def test_unreachable_slack_is_transient():
    port = SlackPort("xoxb-test", base_url="http://127.0.0.1:9/api/", retry_handlers=[],
                     timeout=2)
    with pytest.raises(TransientError):
        port.send(SAM, "U3", ALERT)


def test_a_notice_with_a_chart_uploads_it_to_the_same_dm(fake, tmp_path):
    chart = tmp_path / "gantt.png"
    chart.write_bytes(b"\x89PNG" + b"0" * 200)
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    port.send(SAM, "U3", Outgoing((Section("Your week"),), image_path=str(chart)))
    assert fake.named("files.completeUploadExternal")[0].params["channel_id"] == "DU3"
    assert fake.named("upload")[0].params["bytes"] == 204


def test_publishes_the_app_home_with_views_publish(fake):
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    port.publish_home(SAM, "U3", Outgoing.say("Your open tasks (1): 🟢1",
                                              Button("Done", "task.done", {"task": 1})))
    [call] = fake.named("views.publish")
    assert call.params["user_id"] == "U3" and call.params["view"]["type"] == "home"
    blocks = call.params["view"]["blocks"]
    assert blocks[0]["type"] == "header" and "Your open tasks" in str(blocks)
    assert not fake.named("conversations.open")  # a Home needs no DM channel


def test_a_rate_limited_home_is_transient_with_retry_after(fake):
    fake.script["views.publish"] = [(429, {"ok": False, "error": "ratelimited"},
                                     {"Retry-After": "12"})]
    port = SlackPort("xoxb-test", base_url=fake.api_url, retry_handlers=[])
    with pytest.raises(TransientError) as caught:
        port.publish_home(SAM, "U3", ALERT)
    assert caught.value.retry_after == 12.0


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth", "not_authed"])
def test_a_revoked_or_invalid_token_is_permanent(fake, error):
    fake.script["views.publish"] = [(200, {"ok": False, "error": error}, {})]
    fake.script["conversations.open"] = [(200, {"ok": False, "error": error}, {})]
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    with pytest.raises(PermanentError):
        port.publish_home(SAM, "U3", ALERT)
    with pytest.raises(PermanentError):
        port.send(SAM, "U3", ALERT)


def test_a_home_without_identity_is_permanent(fake):
    port = SlackPort("xoxb-test", base_url=fake.api_url)
    with pytest.raises(PermanentError):
        port.publish_home(SAM, "", ALERT)
    assert fake.calls == []
