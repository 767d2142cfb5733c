"""The Slack manifests a user pastes into "Create app from manifest".

Both are validated against Slack's published manifest JSON schema (vendored
in ``slack_manifest.schema.json``, its source in its ``$comment``), and their
scopes are exactly the ones the code needs: every Web API method the Slack
adapter calls, and every event it subscribes to, maps to its scope below.
"""

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from adapters.slack.http import EVENTS_PATH
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, SCOPES

ROOT = Path(__file__).resolve().parents[2]
SOCKET = yaml.safe_load((ROOT / "manifest.yaml").read_text())
HTTP = yaml.safe_load((ROOT / "manifest.http.yaml").read_text())
SCHEMA = json.loads((Path(__file__).parent / "slack_manifest.schema.json").read_text())

# Slack's documented scope for each method (None: no scope needed).
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth_test": (),
    "chat_postMessage": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "chat_update": ("chat:write",),
    "conversations_open": ("im:write",),
    # DMs (proof files, the port's own messages) and channel threads (files under a mention)
    "conversations_history": ("im:history",),
    "conversations_replies": ("im:history", "channels:history", "groups:history"),
    "files_info": ("files:read",),
    "files_upload_v2": ("files:write",),
    "users_info": ("users:read",),
    "views_open": (),
    "views_publish": (),
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history",
                "app_home_opened": None, "app_uninstalled": None, "tokens_revoked": None}


def _called_methods() -> set[str]:
    called: set[str] = set()
    for path in (ROOT / "adapters" / "slack").rglob("*.py"):
        called |= set(re.findall(r"\.((?:auth|chat|conversations|files|users|views)_\w+)\(",
                                 path.read_text()))
    return called


@pytest.mark.parametrize("name, manifest", [("manifest.yaml", SOCKET),
                                            ("manifest.http.yaml", HTTP)])
def test_manifest_is_valid_against_slacks_published_schema(name, manifest):
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(manifest), key=lambda e: e.path)
    assert [f"{list(e.path)}: {e.message}" for e in errors] == [], name


def test_the_schema_catches_a_broken_manifest():
    broken = json.loads(json.dumps(SOCKET))
    broken["features"]["slash_commands"][0]["command"] = "task"  # no leading slash
    broken["oauth_config"]["scopes"]["bot"].append(42)
    assert len(list(Draft7Validator(SCHEMA).iter_errors(broken))) >= 1


def test_scopes_are_exactly_what_the_code_uses():
    called = _called_methods()
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES (and the manifests)"
    needed = {s for method in called for s in METHOD_SCOPES[method]}
    needed.add("commands")  # the slash commands
    events = set(SOCKET["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    needed |= {EVENT_SCOPES[e] for e in events if EVENT_SCOPES[e]}
    for manifest in (SOCKET, HTTP):
        assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    assert set(SCOPES) == needed  # OAuth installs ask for the same


def test_socket_manifest_declares_commands_shortcut_and_socket_mode():
    features = SOCKET["features"]
    assert {c["command"] for c in features["slash_commands"]} == {"/task", "/tasks"}
    assert features["shortcuts"][0]["type"] == "message"
    assert features["shortcuts"][0]["callback_id"] == "task.from_message"
    assert features["app_home"]["home_tab_enabled"] is True
    settings = SOCKET["settings"]
    assert settings["socket_mode_enabled"] is True and settings["interactivity"]["is_enabled"]


def test_http_manifest_points_every_request_at_vigils_one_endpoint():
    settings = HTTP["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = [settings["event_subscriptions"]["request_url"],
            settings["interactivity"]["request_url"],
            *(c["url"] for c in HTTP["features"]["slash_commands"])]
    assert urls and all(u == f"https://YOUR-HOST{EVENTS_PATH}" for u in urls)
    assert HTTP["oauth_config"]["redirect_urls"] == [f"https://YOUR-HOST{REDIRECT_PATH}"]
    assert INSTALL_PATH == "/slack/install"
    # the same app otherwise: commands, shortcut, events and scopes
    for key in ("slash_commands", "shortcuts", "app_home"):
        assert [{k: v for k, v in c.items() if k != "url"} for c in HTTP["features"][key]] \
            == SOCKET["features"][key] if isinstance(SOCKET["features"][key], list) \
            else HTTP["features"][key] == SOCKET["features"][key]
    assert settings["event_subscriptions"]["bot_events"] == \
        SOCKET["settings"]["event_subscriptions"]["bot_events"]
