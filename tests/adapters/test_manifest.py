"""The Slack manifest a user pastes into "Create app from manifest"."""

from pathlib import Path

import yaml

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yaml").read_text())


def test_manifest_declares_commands_shortcut_and_socket_mode():
    features = MANIFEST["features"]
    assert {c["command"] for c in features["slash_commands"]} == {"/task", "/tasks"}
    assert features["shortcuts"][0]["type"] == "message"
    assert features["app_home"]["home_tab_enabled"] is True
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] is True and settings["interactivity"]["is_enabled"]
    assert {"app_home_opened", "app_mention", "message.im", "app_uninstalled",
            "tokens_revoked"} <= set(settings["event_subscriptions"]["bot_events"])


def test_manifest_scopes_cover_what_vigil_does():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "im:history", "im:write", "users:read",
            "app_mentions:read", "files:read"} <= scopes  # files:read: proof files in DMs


def test_oauth_installs_ask_for_the_manifests_scopes():
    from adapters.slack.oauth import SCOPES

    assert set(SCOPES) == set(MANIFEST["oauth_config"]["scopes"]["bot"])
