"""The start banner: database, platforms on/off and why, port, next step."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.banner import banner, render, where
from bot.config import Settings
from storage.db import make_engine, upgrade


def _settings(**env: object) -> Settings:
    base: dict[str, object] = {"VIGIL_DATABASE_URL": "sqlite:///./vigil.db"}
    base.update(env)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


HEALTH = "/healthz, /readyz, /metrics"


@pytest.mark.parametrize(
    ("env", "slack", "telegram", "port"),
    [
        ({}, "off — SLACK_BOT_TOKEN is not set", "off — TELEGRAM_BOT_TOKEN is not set",
         f"3000 (VIGIL_HTTP_PORT): {HEALTH}"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "on — Socket Mode",
         "off — TELEGRAM_BOT_TOKEN is not set", f"3000 (VIGIL_HTTP_PORT): {HEALTH}"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"},
         "off — HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)",
         "off — TELEGRAM_BOT_TOKEN is not set", f"3000 (VIGIL_HTTP_PORT): {HEALTH}"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "VIGIL_HTTP_PORT": 8080},
         "on — HTTP", "off — TELEGRAM_BOT_TOKEN is not set",
         f"8080 (VIGIL_HTTP_PORT): {HEALTH}, /slack/events"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
         "on — HTTP, OAuth install at /slack/install", "off — TELEGRAM_BOT_TOKEN is not set",
         f"3000 (VIGIL_HTTP_PORT): {HEALTH}, /slack/events"),
        ({"TELEGRAM_BOT_TOKEN": "123:abc"}, "off — SLACK_BOT_TOKEN is not set",
         "on — long polling", f"3000 (VIGIL_HTTP_PORT): {HEALTH}"),
        ({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook"},
         "off — SLACK_BOT_TOKEN is not set",
         "off — TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET",
         f"3000 (VIGIL_HTTP_PORT): {HEALTH}"),
        ({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook",
          "TELEGRAM_WEBHOOK_SECRET": "w"}, "off — SLACK_BOT_TOKEN is not set",
         "on — webhook at /telegram/webhook",
         f"3000 (VIGIL_HTTP_PORT): {HEALTH}, /telegram/webhook"),
    ],
)
def test_platforms_say_whether_they_are_on_and_why_not(env, slack, telegram, port):
    w = where(_settings(**env), (1, 3))
    assert [p.how for p in w.platforms] == [slack, telegram]
    text = render(w)
    assert f"Slack     {slack}" in text and f"Telegram  {telegram}" in text
    assert f"  port      {port}" in text


def test_a_fresh_database_suggests_the_demo_and_the_console(tmp_path):
    url = f"sqlite:///{tmp_path / 'v.db'}"
    engine = make_engine(url)
    upgrade(engine)
    text = banner(_settings(VIGIL_DATABASE_URL=url), engine, "Vigil is starting")
    engine.dispose()
    lines = text.splitlines()
    assert lines[0] == "Vigil is starting"
    assert lines[1] == f"  database  {url} (0 workspaces, 0 tasks)"
    assert "  next      `vigil demo` plays two weeks of a sample accounting firm in seconds" in text
    assert "`vigil console` chats with Vigil in this terminal" in text
    assert "to connect Slack or Telegram see README → Slack / Telegram" in text


def test_secrets_and_passwords_never_appear():
    settings = _settings(
        VIGIL_DATABASE_URL="postgresql+psycopg://vigil:hunter2@db:5432/vigil",
        SLACK_BOT_TOKEN="xoxb-secret-token", SLACK_APP_TOKEN="xapp-secret",
        TELEGRAM_BOT_TOKEN="123:telegram-secret",
    )
    text = render(where(settings, None))
    assert "hunter2" not in text and "secret" not in text
    assert "postgresql+psycopg://vigil:***@db:5432/vigil (could not be read)" in text
    assert isinstance(settings.slack_bot_token, SecretStr)
