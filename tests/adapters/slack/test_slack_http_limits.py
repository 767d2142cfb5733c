"""/slack/events: the signature is checked before the body is parsed; bad input is a 4xx."""

from __future__ import annotations

import logging

import pytest
from slack_harness import wait_for

FORM = "application/x-www-form-urlencoded"


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


@pytest.mark.parametrize("body, content_type", [
    ('{"type": "event_callback", "event": ', "application/json"),  # cut-off JSON
    ("payload=%7Bnot-json", FORM),  # an interactivity payload that is not JSON
    ("\x00\x01\x02", "application/json"),
])
def test_unsigned_malformed_bodies_get_401_and_are_never_parsed(slack_http, fake, caplog,
                                                                 body, content_type):
    async def scenario(slack):
        headers = {"Content-Type": content_type}
        unsigned = await slack.post(body, headers)
        bad_ts = await slack.post(body, {**headers, "X-Slack-Request-Timestamp": "soon",
                                         "X-Slack-Signature": "v0=abc"})
        forged = await slack.post(body, slack.signed(body, content_type, secret="wrong"))
        return unsigned[0], bad_ts[0], forged[0]

    with caplog.at_level(logging.DEBUG):
        assert slack_http(scenario) == (401, 401, 401)
    _no_tracebacks(caplog)
    assert fake.calls == []  # nothing reached Bolt's listeners


def test_signed_malformed_json_gets_400_with_one_log_line(slack_http, fake, caplog):
    body = '{"type": "event_callback", "event": '

    async def scenario(slack):
        return (await slack.post(body, slack.signed(body, "application/json")))[0]

    with caplog.at_level(logging.DEBUG):
        assert slack_http(scenario) == 400
    _no_tracebacks(caplog)
    refusals = [r for r in caplog.records if r.name == "vigil.http"
                and r.levelno >= logging.WARNING]
    assert len(refusals) == 1 and "400 POST /slack/events" in refusals[0].getMessage()


def test_a_header_flood_is_refused_before_slack_sees_it(slack_http, fake, caplog):
    async def scenario(slack):
        body = slack.command_body("help")
        headers = slack.signed(body, FORM, extra={f"X-Flood-{i}": "x" * 100
                                                  for i in range(100)})
        flooded = await slack.post(body, headers)
        ok = await slack.command("help")
        await wait_for(fake, "respond")
        return flooded[0], ok[0]

    with caplog.at_level(logging.DEBUG):
        assert slack_http(scenario) == (400, 200)
    _no_tracebacks(caplog)
    assert len(fake.named("respond")) == 1  # only the well-formed command was answered
