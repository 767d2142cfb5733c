"""A local stand-in for the Slack Web API: records every call, answers like Slack.

A ``ThreadingHTTPServer`` on 127.0.0.1 port 0 in a daemon thread, so both the
sync ``WebClient`` and the async clients (in any event loop) can reach it.
``script[method]`` holds canned (status, body, headers) answers used first.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER = "UBOT"
TEAM = "T1"

USERS: dict[str, dict[str, Any]] = {
    "U1": {"id": "U1", "name": "marcus", "real_name": "Marcus Reed", "tz": "Europe/London",
           "profile": {"display_name": "marcus", "real_name": "Marcus Reed"}},
    "U2": {"id": "U2", "name": "priya", "real_name": "Priya Shah", "tz": "Asia/Kolkata",
           "profile": {"display_name": "priya", "real_name": "Priya Shah"}},
    "U3": {"id": "U3", "name": "sam", "real_name": "Sam Ortiz", "tz": "America/New_York",
           "profile": {"display_name": "", "real_name": "Sam Ortiz"}},
    # Enterprise Grid (org E1): W1 in this workspace, W2 in another workspace of the org
    "W1": {"id": "W1", "team_id": "T1", "name": "wendy", "real_name": "Wendy Park",
           "tz": "Europe/Berlin", "enterprise_user": {"enterprise_id": "E1", "teams": ["T1"]},
           "profile": {"display_name": "wendy", "real_name": "Wendy Park"}},
    "W2": {"id": "W2", "team_id": "T2", "name": "walter", "real_name": "Walter Ng",
           "tz": "Asia/Singapore", "enterprise_user": {"enterprise_id": "E1", "teams": ["T2"]},
           "profile": {"display_name": "walter", "real_name": "Walter Ng"}},
    # Slackbot's users.info says is_bot false: only its id tells
    "USLACKBOT": {"id": "USLACKBOT", "team_id": "T1", "name": "slackbot",
                  "real_name": "Slackbot", "is_bot": False, "tz": "America/Los_Angeles",
                  "profile": {"display_name": "Slackbot", "real_name": "Slackbot"}},
    "UB1": {"id": "UB1", "team_id": "T1", "name": "otherapp", "real_name": "Other App",
            "is_bot": True, "profile": {"display_name": "", "real_name": "Other App"}},
    # a Slack Connect partner: another organisation's workspace T9
    "U9": {"id": "U9", "team_id": "T9", "name": "olga", "real_name": "Olga Berg",
           "tz": "Europe/Oslo", "profile": {"display_name": "olga", "real_name": "Olga Berg"}},
}

# files.info answers (Slack Connect files arrive without details; F-GONE cannot be read)
FILES: dict[str, dict[str, Any]] = {
    "F0CONNECT": {"id": "F0CONNECT", "name": "signed.pdf", "title": "signed.pdf",
                  "mimetype": "application/pdf", "filetype": "pdf", "user": "U9",
                  "user_team": "T9", "mode": "hosted", "file_access": "visible",
                  "url_private": "https://files.slack.com/files-pri/T9-F0CONNECT/signed.pdf",
                  "permalink": "https://partner.slack.com/files/U9/F0CONNECT/signed.pdf"},
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None = None  # the bearer token the call was made with


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    script: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(
        default_factory=dict)
    ws_url: str = "ws://127.0.0.1:1/"
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def named(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls of ``method`` once there are ``count`` of them (fails after timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.named(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} {method} call(s), got {self.named(method)}; "
                             f"all: {[c.method for c in self.calls]}")

    def answer(self, method: str, params: dict[str, Any], token: str | None = None
               ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            self.calls.append(Call(method, params, token))
            scripted = self.script.get(method)
            if scripted:
                return scripted.pop(0)
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = {
            "auth.test": lambda p: {"url": "https://acme.slack.com/", "team": "Acme",
                                    "user": "vigil", "team_id": TEAM, "user_id": BOT_USER,
                                    "bot_id": "BBOT", "is_enterprise_install": False},
            "users.info": self._user,
            "files.info": lambda p: ({"file": FILES[str(p.get("file"))]}
                                     if str(p.get("file")) in FILES
                                     else {"error": "file_not_found"}),
            "conversations.open": lambda p: {"channel": {"id": "D" + str(p.get("users"))}},
            "chat.postMessage": lambda p: {"channel": p.get("channel"), "ts": self._next_ts(),
                                           "message": {"text": p.get("text")}},
            "chat.postEphemeral": lambda p: {"message_ts": self._next_ts()},
            "chat.update": lambda p: {"channel": p.get("channel"), "ts": p.get("ts")},
            "views.publish": lambda p: {"view": {"id": "V1"}},
            "views.open": lambda p: {"view": {"id": "V2"}},
            "apps.connections.open": lambda p: {"url": self.ws_url},
            "respond": lambda p: {},
            "files.getUploadURLExternal": lambda p: {"upload_url": f"{self.url}/upload/F1",
                                                     "file_id": "F1"},
            "upload": lambda p: {},
            "files.completeUploadExternal": lambda p: {"files": [{"id": "F1"}]},
            "oauth.v2.access": self._oauth_access,
        }.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        body = handler(params)
        if "error" in body:
            return 200, {"ok": False, **body}, {}
        return 200, {"ok": True, **body}, {}

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    @staticmethod
    def _oauth_access(params: dict[str, Any]) -> dict[str, Any]:
        """Slack's documented oauth.v2.access answer; the code ``bad`` is refused."""
        code = str(params.get("code") or "")
        if not code or code == "bad":
            return {"error": "invalid_code"}
        return {"app_id": "A1", "authed_user": {"id": "U1"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": f"xoxb-installed-{code}",
                "bot_user_id": BOT_USER, "team": {"id": TEAM, "name": "Acme"},
                "enterprise": None, "is_enterprise_install": False}

    @staticmethod
    def _user(params: dict[str, Any]) -> dict[str, Any]:
        user = USERS.get(str(params.get("user")))
        return {"user": user} if user else {"error": "user_not_found"}

    def texts(self, method: str) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.named(method)]


def _params(handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(urlsplit(handler.path).query))
    kind = handler.headers.get("Content-Type", "")
    if handler.path.startswith("/upload/"):
        params["bytes"] = len(body)
    elif body and "json" in kind:
        params.update(json.loads(body))
    elif body:
        params.update(dict(parse_qsl(body.decode())))
    for key in ("blocks", "view"):
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


def start_fake_slack(fake: FakeSlack | None = None) -> tuple[FakeSlack, Callable[[], None]]:
    """Serve ``fake`` (default: a new FakeSlack; the fault suite passes a faulty one)."""
    fake = fake if fake is not None else FakeSlack()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            method = path.rsplit("/", 1)[-1]
            if path.startswith(("/respond/", "/upload/")):
                method = path.split("/")[1]
            bearer = self.headers.get("Authorization", "")
            token = bearer[7:] if bearer.startswith("Bearer ") else None
            status, answer, headers = fake.answer(method, _params(self, body), token)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return fake, stop
