"""The one HTTP server: limits before any handler, one log line per refusal, rate limits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.http_server import HttpLimits, HttpServer, SourceLimiter

TIMEOUT = 10.0


async def raw(port: int, data: bytes) -> tuple[int, bytes]:
    """Send raw bytes, return (status, whole response)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(65536), TIMEOUT)
    finally:
        writer.close()
    return int(response.split()[1]), response


def post(path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{head}\r\n").encode() + body


def serving(limits: HttpLimits, scenario: Callable[[int, list[Any]], Awaitable[None]],
            public: bool = False) -> list[Any]:
    """Run ``scenario(port, seen)`` against a server whose one route records what it read."""
    seen: list[Any] = []

    async def echo(request: web.Request) -> web.Response:
        if request.headers.get("X-Key") != "right":
            return web.Response(status=401, text="no key")
        seen.append(len(await request.read()))
        return web.Response(text="ok")

    async def main() -> None:
        http = HttpServer(0, host="127.0.0.1", limits=limits)
        http.add_routes([web.post("/hook", echo)], public=public)
        port = await http.start()
        try:
            await scenario(port, seen)
        finally:
            await http.stop()

    asyncio.run(asyncio.wait_for(main(), 30))
    return seen


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


@pytest.mark.parametrize("request_bytes, why", [
    (b"POST /hook HTTP/1.1\r\nHost: x\r\n" + b"".join(
        f"X-H{i}: v\r\n".encode() for i in range(65)) + b"\r\n", "65 headers"),
    (b"POST /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "request line of 9 kB"),
    (b"POST /hook HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n",
     "a header of 9 kB"),
    (b"NOT HTTP AT ALL\r\n\r\n", "not HTTP"),
    (b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "negative length"),
])
def test_malformed_http_is_refused_with_400_and_one_line_never_a_traceback(
        request_bytes, why, caplog):
    async def scenario(port: int, seen: list[Any]) -> None:
        status, _ = await raw(port, request_bytes)
        assert status == 400, why

    with caplog.at_level(logging.DEBUG, logger="vigil.http"):
        seen = serving(HttpLimits(), scenario)
    assert seen == []  # the handler never ran
    no_tracebacks(caplog)
    lines = [r for r in caplog.records if r.name == "vigil.http" and r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "400" in lines[0].getMessage()


def test_a_body_over_the_limit_is_refused_with_413_before_the_handler_keeps_it(caplog):
    limits = HttpLimits(max_body=1000)

    async def scenario(port: int, seen: list[Any]) -> None:
        status, _ = await raw(port, post("/hook", b"x" * 1001, {"X-Key": "right"}))
        assert status == 413
        status, _ = await raw(port, post("/hook", b"x" * 1000, {"X-Key": "right"}))
        assert status == 200

    with caplog.at_level(logging.INFO, logger="vigil.http"):
        assert serving(limits, scenario) == [1000]
    no_tracebacks(caplog)


def test_a_source_that_keeps_getting_refused_is_rate_limited_before_its_request_is_read(
        caplog):
    limits = HttpLimits(burst=5, per_second=0.01)

    async def scenario(port: int, seen: list[Any]) -> None:
        for _ in range(5):
            assert (await raw(port, post("/hook", b"{}")))[0] == 401
        status, response = await raw(port, post("/hook", b"{}", {"X-Key": "right"}))
        assert status == 429 and b"Retry-After: " in response
        unknown, _ = await raw(port, post("/nowhere"))
        assert unknown == 429

    with caplog.at_level(logging.INFO, logger="vigil.http"):
        assert serving(limits, scenario) == []  # even the right key waits its turn
    no_tracebacks(caplog)


def test_authenticated_requests_are_not_counted_but_public_ones_are():
    limits = HttpLimits(burst=3, per_second=0.01)

    async def authenticated(port: int, seen: list[Any]) -> None:
        for _ in range(10):
            assert (await raw(port, post("/hook", b"{}", {"X-Key": "right"})))[0] == 200

    assert len(serving(limits, authenticated)) == 10

    async def public(port: int, seen: list[Any]) -> None:
        codes = [(await raw(port, post("/hook", b"{}", {"X-Key": "right"})))[0]
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]

    serving(limits, public, public=True)


def test_source_limiter_refills_and_forgets_the_oldest_sources():
    now = [0.0]
    limiter = SourceLimiter(burst=2, per_second=0.5, capacity=3, clock=lambda: now[0])
    limiter.charge("a")
    limiter.charge("a")
    assert not limiter.allowed("a") and limiter.retry_after("a") == 2
    now[0] = 2.0
    assert limiter.allowed("a")
    for source in ("b", "c", "d"):
        limiter.charge(source)
    assert len(limiter._buckets) == 3 and "a" not in limiter._buckets


async def ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def test_routes_cannot_be_added_once_the_server_runs():
    async def main() -> None:
        http = HttpServer(0, host="127.0.0.1")
        http.add_routes([web.get("/a", ok)])
        await http.start()
        try:
            with pytest.raises(RuntimeError, match="before the HTTP server starts"):
                http.add_routes([web.get("/b", ok)])
        finally:
            await http.stop()
        await http.stop()  # idempotent

    asyncio.run(main())


def test_bodies_are_read_in_a_bounded_number_of_slots_beyond_which_503():
    limits = HttpLimits(bodies_in_flight=1)
    got: list[int] = []

    async def main() -> None:
        http = HttpServer(0, host="127.0.0.1", limits=limits)

        async def hook(request: web.Request) -> web.Response:
            got.append(len(await http.read_body(request)))
            return web.Response(text="ok")

        http.add_routes([web.post("/hook", hook)])
        port = await http.start()
        try:
            # a slow sender holds the one slot: headers and half its body
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
            await writer.drain()
            await asyncio.sleep(0.2)
            status, response = await raw(port, post("/hook", b"{}"))
            assert status == 503 and b"Retry-After: 1" in response
            writer.write(b"67890")  # the slow one finishes and is answered
            await writer.drain()
            assert b" 200 " in await asyncio.wait_for(reader.read(1024), TIMEOUT)
            writer.close()
            assert (await raw(port, post("/hook", b"{}")))[0] == 200  # the slot is free again
        finally:
            await http.stop()

    asyncio.run(asyncio.wait_for(main(), 30))
    assert got == [10, 2]
