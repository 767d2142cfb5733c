"""How much memory can an unauthenticated request make Vigil's HTTP server use?

Starts the real shared server (``bot.http_server``) with the Slack events
route and the Telegram webhook in a child process, then sends each kind of
unauthenticated abuse and reads the child's resident memory from /proc:
``peak`` is the high-water mark during the attack (VmHWM, reset before each
attack), ``kept`` what is still resident afterwards, both above the idle
baseline. The floor is the same number of tiny unsigned requests.

    PYTHONPATH=. python bench/http_memory.py
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

CHILD = r"""
import asyncio, sys
from types import SimpleNamespace
from pydantic import SecretStr
from bot.http_server import HttpLimits, HttpServer
from adapters.slack import http as slack_http
from adapters.slack.app import build_app
from adapters.telegram import webhook
from telegram.ext import Application

async def main():
    # the per-source rate limit off: measure what the size limits alone allow
    http = HttpServer(int(sys.argv[1]), host="127.0.0.1", limits=HttpLimits(burst=10**9))
    settings = SimpleNamespace(slack_bot_token=SecretStr("xoxb-x"), slack_app_token=None,
                               slack_signing_secret=SecretStr("s" * 32),
                               slack_api_url="http://127.0.0.1:9/api/", slack_client_id=None,
                               slack_client_secret=None)
    app = build_app(settings, conversation=SimpleNamespace(uow_factory=None, clock=None),
                    events=SimpleNamespace(first_time=lambda *a: True))
    slack_http.register_routes(http, app, "s" * 32)
    webhook.register_routes(http, Application.builder().token("1:x").build(), "t" * 32)
    await http.start()
    print("ready", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""

KIB = 1024
MIB = 1024 * KIB


def _status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * KIB
    return out


def _reset_peak(pid: int) -> None:
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


async def _send(port: int, head: bytes, body_chunks: int = 0, chunk: bytes = b"") -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    try:
        writer.write(head)
        for _ in range(body_chunks):
            writer.write(chunk)
            await writer.drain()
        await writer.drain()
        await asyncio.wait_for(reader.read(4096), 10)
    except (OSError, TimeoutError):
        pass
    finally:
        writer.close()


def _post(path: str, length: int, headers: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{headers}\r\n").encode()


def attacks(port: int) -> dict[str, Callable[[], Awaitable[None]]]:
    big_headers = "".join(f"X-H{i}: {'v' * 8000}\r\n" for i in range(60))
    flood = "".join(f"X-F{i}: {'v' * 8000}\r\n" for i in range(2000))
    line = b"POST /slack/events?" + b"a" * (512 * KIB) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    mib = b"x" * MIB

    async def tiny() -> None:
        await _send(port, _post("/slack/events", 2) + b"{}")

    async def max_headers_no_secret() -> None:  # 60 headers of 8 kB at the webhook
        await _send(port, _post("/telegram/webhook", 2, big_headers) + b"{}")

    async def header_flood() -> None:  # 2,000 headers of 8 kB (16 MB offered)
        await _send(port, _post("/slack/events", 2, flood) + b"{}")

    async def long_request_line() -> None:  # 512 kB request line
        await _send(port, line)

    async def unsigned_full_body() -> None:  # the largest body read: 1 MiB, unsigned
        await _send(port, _post("/slack/events", MIB), 1, mib)

    async def oversized_body() -> None:  # announces and streams 64 MiB
        await _send(port, _post("/slack/events", 64 * MIB), 64, mib)

    async def webhook_big_body_no_secret() -> None:  # body never read without the secret
        await _send(port, _post("/telegram/webhook", 64 * MIB), 64, mib)

    return {"floor (tiny unsigned)": tiny, "60 x 8 kB headers, no secret": max_headers_no_secret,
            "2,000-header flood": header_flood, "512 kB request line": long_request_line,
            "1 MiB unsigned body": unsigned_full_body, "64 MiB body": oversized_body,
            "64 MiB body to webhook, no secret": webhook_big_body_no_secret}


async def measure(pid: int, attack: Callable[[], Awaitable[None]], times: int,
                  concurrent: int) -> tuple[int, int]:
    await asyncio.sleep(0.3)
    base = _status(pid)["VmRSS"]
    _reset_peak(pid)
    for _ in range(times):
        await asyncio.gather(*(attack() for _ in range(concurrent)))
    await asyncio.sleep(0.5)
    after = _status(pid)
    return after["VmHWM"] - base, after["VmRSS"] - base


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", "."))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(port)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        print(f"idle server: {_status(child.pid)['VmRSS'] / MIB:.1f} MiB resident")
        print(f"{'attack':36} {'one request':>12} {'20 in a row':>20} {'50 at once':>20}")
        print(f"{'':36} {'peak MiB':>12} {'peak MiB  kept MiB':>20} {'peak MiB  kept MiB':>20}")
        # (the per-source rate limit is off in the child: with it a source is cut off
        # after 60 refused requests, so these are upper bounds)
        results = {}
        for name, attack in attacks(port).items():
            single = asyncio.run(measure(child.pid, attack, 1, 1))
            row = asyncio.run(measure(child.pid, attack, 20, 1))
            many = asyncio.run(measure(child.pid, attack, 1, 50))
            results[name] = (single, row, many)
            print(f"{name:36} {single[0] / MIB:12.2f} {row[0] / MIB:9.1f} {row[1] / MIB:9.1f}  "
                  f"{many[0] / MIB:9.1f} {many[1] / MIB:9.1f}")
        floor = max(results["floor (tiny unsigned)"][0][0], 4 * KIB)
        for label, column in (("one request", 0), ("50 concurrent connections", 2)):
            name, worst = max(results.items(), key=lambda kv: kv[1][column][0])
            print(f"largest peak growth, {label}: {worst[column][0] / MIB:.2f} MiB ({name}; "
                  f"{worst[column][0] / floor:.0f}x the floor)")
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()
