"""A local HTTP server that plays the Telegram Bot API, and update builders for the tests."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TOKEN = "123456:TEST-token"
BOT_ID = 999
BOT_USERNAME = "VigilBot"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday


def run(coro: Coroutine[Any, Any, Any], timeout: float = 20.0) -> Any:
    """Run a coroutine with a hard time limit: tests never hang."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def _decode(value: str) -> Any:
    if value[:1] in "[{" or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeBotApi:
    """Answers Bot API methods like Telegram and records every call (method, params)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        self.updates: list[dict[str, Any]] = []
        # getChatMember: (chat id, user id) -> status; everyone else is a plain "member"
        self.statuses: dict[tuple[int, int], str] = {}
        self._cond = threading.Condition()
        self._message_ids = itertools.count(100)
        self._update_ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    # ------------------------------------------------------------ test API

    def fail(self, method: str, status: int, description: str,
             parameters: dict[str, Any] | None = None, times: int = 1) -> None:
        self.failures.setdefault(method, []).extend([(status, description, parameters)] * times)

    def push(self, update: dict[str, Any]) -> None:
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self.updates.append(update)
            self._cond.notify_all()

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in list(self.calls) if name == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.called(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"{method} called {len(self.called(method))} times, "
                             f"wanted {count}: {[c[0] for c in self.calls]}")

    # ------------------------------------------------------------ server

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                params = api._params(self.headers.get("Content-Type", ""), body)
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):
                    self._reply(404, {"ok": False, "error_code": 404,
                                      "description": "Not Found"})
                    return
                method = self.path[len(prefix):]
                status, payload = api._answer(method, params)
                self._reply(status, payload)

            do_GET = do_POST  # noqa: N815

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            return dict(json.loads(body))
        if content_type.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {content_type}\r\n\r\n".encode() + body)
            params: dict[str, Any] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[str(name)] = {"file": part.get_filename(), "size": len(payload)}
                else:
                    params[str(name)] = _decode(payload.decode())
            return params
        return {k: _decode(v[0]) for k, v in parse_qs(body.decode()).items()}

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Vigil", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = ({"id": chat_id, "type": "private", "first_name": "Someone"} if chat_id > 0
                else {"id": chat_id, "type": "group", "title": "Team"})
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                "from": self._bot_user(), **extra}

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append((method, params))
        queued = self.failures.get(method)
        if queued:
            status, description, parameters = queued.pop(0)
            payload: dict[str, Any] = {"ok": False, "error_code": status,
                                       "description": description}
            if parameters:
                payload["parameters"] = parameters
            return status, payload
        if method == "getMe":
            return 200, {"ok": True, "result": self._bot_user()}
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self._cond:
                self._cond.wait_for(
                    lambda: any(u["update_id"] >= offset for u in self.updates), timeout=0.2)
                result = [u for u in self.updates if u["update_id"] >= offset]
            return 200, {"ok": True, "result": result}
        if method == "sendMessage":
            return 200, {"ok": True, "result": self._message(params, text=params.get("text"))}
        if method == "sendPhoto":
            photo = [{"file_id": "PHOTO1", "file_unique_id": "u1", "width": 90, "height": 60}]
            return 200, {"ok": True, "result": self._message(params, photo=photo)}
        if method == "sendDocument":
            doc = {"file_id": "DOC1", "file_unique_id": "u2"}
            return 200, {"ok": True, "result": self._message(params, document=doc)}
        if method == "editMessageText":
            msg = self._message(params, text=params.get("text"))
            msg["message_id"] = int(params["message_id"])
            return 200, {"ok": True, "result": msg}
        if method == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            status = self.statuses.get((chat_id, user_id), "member")
            member: dict[str, Any] = {"status": status, "user": {
                "id": user_id, "is_bot": False, "first_name": f"user{user_id}"}}
            if status == "administrator":
                member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                              can_delete_messages=True, can_manage_video_chats=True,
                              can_restrict_members=True, can_promote_members=False,
                              can_change_info=True, can_invite_users=True,
                              can_post_stories=False, can_edit_stories=False,
                              can_delete_stories=False)
            if status == "creator":
                member.update(is_anonymous=False)
            return 200, {"ok": True, "result": member}
        if method in ("answerCallbackQuery", "setMyCommands", "deleteWebhook", "setWebhook",
                      "close", "logOut"):
            return 200, {"ok": True, "result": True}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method"}


# ---------------------------------------------------------------- update builders

_ids = itertools.count(1)


def user(uid: int, first: str, username: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first}
    if username:
        out["username"] = username
    return out


def private_chat(uid: int, first: str = "X") -> dict[str, Any]:
    return {"id": uid, "type": "private", "first_name": first}


def group_chat(chat_id: int, title: str = "Acme team") -> dict[str, Any]:
    return {"id": chat_id, "type": "group", "title": title}


def message_update(chat: dict[str, Any], sender: dict[str, Any], text: str | None = None,
                   **extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": next(_ids), "date": int(time.time()),
                               "chat": chat, "from": sender, **extra}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": next(_ids), "message": message}


def callback_update(chat: dict[str, Any], presser: dict[str, Any], data: str,
                    message_id: int = 100) -> dict[str, Any]:
    return {"update_id": next(_ids), "callback_query": {
        "id": f"cq{next(_ids)}", "from": presser, "chat_instance": "ci", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "chat": chat,
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Vigil",
                             "username": BOT_USERNAME}, "text": "…"}}}
