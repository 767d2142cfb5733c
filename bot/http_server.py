"""The one HTTP server of the process: every endpoint shares one aiohttp application.

Slack's HTTP mode and OAuth pages, the Telegram webhook and the health and
metrics endpoints all live on ``VIGIL_HTTP_PORT``. Nothing here knows a
platform: the composition root (``bot/app.py``) creates the server, asks
each adapter to add its routes, then starts it::

    http = HttpServer(settings.http_port)
    http.add_routes([web.get("/healthz", healthz)], public=True)
    slack.register_routes(http)           # adapters add theirs the same way
    await http.start()                    # routes are fixed from here on
    ...
    await http.stop()

``add_routes(routes, public=...)`` takes aiohttp route definitions
(``web.get``/``web.post``). ``public=True`` marks endpoints anyone may call
without a credential (OAuth pages, health): every request to them counts
against the caller's rate limit. Authenticated endpoints (signed Slack
requests, the Telegram webhook with its secret) count only the requests they
refuse (status 400, 401, 403, 404, 405, 413).

Limits, applied before any handler runs (``HttpLimits``): the request line and
each header line at most 8 KiB, at most 64 headers, bodies at most 1 MiB
(aiohttp refuses larger ones with 413 while reading, never buffering more),
and at most 16 bodies read at once (``read_body``; beyond that 503).
Malformed HTTP gets aiohttp's 400 and one warning line, never a traceback. A
source (the peer address) that keeps sending unauthenticated or refused
requests gets 429 without its request being read.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

log = logging.getLogger("vigil.http")

REFUSED = frozenset({400, 401, 403, 404, 405, 413})  # charged to the source
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class HttpLimits:
    """What one request may be, and how many unauthenticated requests a source may send."""

    max_line_size: int = 8190  # request line and each header line, bytes
    max_field_size: int = 8190  # one header's name plus value, bytes
    max_headers: int = 64
    max_body: int = 1024 * 1024  # bytes; Slack and Telegram payloads are far smaller
    bodies_in_flight: int = 16  # bodies read at once (``read_body``); more wait for a 503
    burst: int = 60  # unauthenticated/refused requests a source may send at once ...
    per_second: float = 1.0  # ... and how fast that allowance refills
    sources: int = 10_000  # sources remembered (least recently seen forgotten first)


class SourceLimiter:
    """A token bucket per source, in a bounded LRU (memory stays flat under a flood)."""

    def __init__(self, burst: int, per_second: float, capacity: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.per_second, self.capacity = burst, per_second, capacity
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, source: str) -> float:
        tokens, at = self._buckets.get(source, (float(self.burst), self.clock()))
        return min(float(self.burst), tokens + (self.clock() - at) * self.per_second)

    def allowed(self, source: str) -> bool:
        """Whether ``source`` may send one more request that could be charged."""
        return self._level(source) >= 1.0

    def charge(self, source: str) -> None:
        """Spend one token of ``source`` (a public request, or one that was refused)."""
        self._buckets[source] = (max(0.0, self._level(source) - 1.0), self.clock())
        self._buckets.move_to_end(source)
        while len(self._buckets) > self.capacity:
            self._buckets.popitem(last=False)

    def retry_after(self, source: str) -> int:
        """Whole seconds until ``source`` has one token again."""
        missing = max(0.0, 1.0 - self._level(source))
        return max(1, int(missing / self.per_second + 0.999))


class _OneLineLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """aiohttp's protocol logger: malformed HTTP is one warning line, never a traceback."""

    def _malformed(self, exc_info: Any) -> bool:
        exc = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        if not isinstance(exc, HttpProcessingError):
            return False
        self.logger.warning("http: 400 malformed request (%s)",
                            (exc.message or type(exc).__name__).strip()[:200])
        return True

    def exception(self, msg: object, *args: Any, exc_info: Any = True, **kwargs: Any) -> None:
        if not self._malformed(exc_info):
            self.logger.exception(msg, *args, exc_info=exc_info, **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        exc_info = kwargs.pop("exc_info", None)
        if exc_info is None or not self._malformed(exc_info):
            self.logger.debug(msg, *args, exc_info=exc_info, **kwargs)


class HttpServer:
    """One aiohttp ``Application`` + ``AppRunner``/``TCPSite`` for every endpoint."""

    def __init__(self, port: int, host: str = "0.0.0.0",
                 limits: HttpLimits = HttpLimits()) -> None:
        self.host, self.requested_port, self.limits = host, port, limits
        self.limiter = SourceLimiter(limits.burst, limits.per_second, limits.sources)
        self._public: set[str] = set()
        self.app = web.Application(client_max_size=limits.max_body,
                                   middlewares=[self._guard])
        self._bodies = asyncio.Semaphore(limits.bodies_in_flight)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None  # the bound port once started (port 0 picks one)

    @property
    def has_routes(self) -> bool:
        return len(self.app.router.routes()) > 0

    @property
    def running(self) -> bool:
        return self._runner is not None

    def add_routes(self, routes: Iterable[web.AbstractRouteDef], *, public: bool = False
                   ) -> None:
        """Mount aiohttp route definitions; ``public``: callable without a credential."""
        if self.running:
            raise RuntimeError("add routes before the HTTP server starts")
        for route in self.app.router.add_routes(list(routes)):
            if public:
                self._public.add(route.resource.canonical if route.resource else "")

    async def read_body(self, request: web.Request) -> bytes:
        """The request body, read in one of ``bodies_in_flight`` slots.

        Handlers that must read a body before they can authenticate it (Slack's
        signature covers the body) use this, so unauthenticated bodies never
        hold more than ``bodies_in_flight × max_body`` bytes at once. No free
        slot: 503 with Retry-After (Slack and Telegram retry), nothing read.
        """
        if self._bodies.locked():
            raise web.HTTPServiceUnavailable(text="busy", headers={"Retry-After": "1"})
        async with self._bodies:
            return await request.read()

    async def start(self) -> int:
        """Listen on the port; returns the bound port."""
        runner = web.AppRunner(
            self.app, access_log=None, logger=_OneLineLogger(log, {}),
            max_line_size=self.limits.max_line_size,
            max_field_size=self.limits.max_field_size,
            max_headers=self.limits.max_headers)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1]) if runner.addresses else self.requested_port
        paths = sorted({r.resource.canonical for r in self.app.router.routes() if r.resource})
        log.info("HTTP server listening on %s:%s (%s)", self.host, self.port, ", ".join(paths))
        return self.port

    async def stop(self) -> None:
        """Stop listening and finish the requests in flight (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        source = request.remote or "unknown"
        if not self.limiter.allowed(source):
            wait = self.limiter.retry_after(source)
            log.warning("http: 429 %s %s from %s (too many refused or unauthenticated "
                        "requests)", request.method, request.path, source)
            return web.Response(status=429, text="too many requests",
                                headers={"Retry-After": str(wait), "Connection": "close"})
        public = request.match_info.route.resource is not None and (
            request.match_info.route.resource.canonical in self._public)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # 404, 405, 413 from reading the body, ...
            response = web.Response(status=exc.status, text=exc.text or exc.reason,
                                    headers={k: v for k, v in exc.headers.items()
                                             if k.lower() not in ("content-type",
                                                                  "content-length")})
        if public or response.status in REFUSED:
            self.limiter.charge(source)
        if response.status in REFUSED or response.status == 503:
            reason = getattr(response, "text", None) or response.reason
            log.warning("http: %s %s %s from %s (%s)", response.status, request.method,
                        request.path, source, str(reason)[:120])
        return response
