"""The fake Slack Web API with fault modes for chat.postMessage, and a DM history.

Modes (``mode``, switchable while running):

* ``ok``       — answer like Slack;
* ``429``      — refuse with ``ratelimited`` and ``Retry-After``;
* ``500``      — refuse with an HTTP 500 before posting;
* ``timeout``  — post the message, then answer only after the client gave up;
* ``lost``     — post the message, then answer HTTP 500 (the answer is lost).

``post_delay`` slows every post down (a slow platform: a process can be
killed while it is delivering).

``conversations.history`` returns the posted messages with their metadata,
newest first, like Slack with ``include_all_metadata``. ``delivered_ids()``
counts how often each outbox id reached the person — the measure of loss and
duplication.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.adapters.slack.fake_slack import FakeSlack

Answer = tuple[int, dict[str, Any], dict[str, str]]


@dataclass
class FaultySlack(FakeSlack):
    mode: str = "ok"
    retry_after: int = 30
    hang_seconds: float = 2.0
    post_delay: float = 0.0
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def answer(self, method: str, params: dict[str, Any], token: str | None = None) -> Answer:
        if method == "conversations.history":
            with self._lock:
                self.calls.append(_call(method, params, token))
                posted = list(reversed(self.history.get(str(params.get("channel")), [])))
            limit = int(params.get("limit") or 100)
            return 200, {"ok": True, "messages": posted[:limit], "has_more": False}, {}
        if method != "chat.postMessage" or self.mode == "ok":
            return self._post(method, params, token)
        if self.mode == "429":
            with self._lock:
                self.calls.append(_call(method, params, token))
            wait = {"Retry-After": str(self.retry_after)}
            return 429, {"ok": False, "error": "ratelimited"}, wait
        if self.mode == "500":
            with self._lock:
                self.calls.append(_call(method, params, token))
            return 500, {"ok": False, "error": "internal_error"}, {}
        answer = self._post(method, params, token)  # timeout / lost: it DID arrive
        if self.mode == "timeout":
            time.sleep(self.hang_seconds)
            return answer
        return 500, {"ok": False, "error": "internal_error"}, {}

    def _post(self, method: str, params: dict[str, Any], token: str | None) -> Answer:
        if method == "chat.postMessage" and self.post_delay:
            time.sleep(self.post_delay)
        status, body, headers = super().answer(method, params, token)
        if method == "chat.postMessage" and body.get("ok"):
            with self._lock:
                self.history.setdefault(str(params.get("channel")), []).append(
                    {"type": "message", "ts": body["ts"], "text": params.get("text"),
                     "metadata": params.get("metadata")})
        return status, body, headers

    def delivered_ids(self) -> Counter[int]:
        """outbox id -> how many messages carrying it the person received."""
        seen: Counter[int] = Counter()
        with self._lock:
            for messages in self.history.values():
                for message in messages:
                    payload = (message.get("metadata") or {}).get("event_payload") or {}
                    seen.update(payload.get("notices") or ())
        return seen


def _call(method: str, params: dict[str, Any], token: str | None) -> Any:
    from tests.adapters.slack.fake_slack import Call

    return Call(method, params, token)
