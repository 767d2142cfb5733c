"""``/healthz``, ``/readyz`` and ``/metrics`` on Vigil's one HTTP server.

* ``GET /healthz`` — 200 while the process and its event loop answer;
* ``GET /readyz`` — 200 when the database answers, the scheduler runs (and a
  rule tick finished recently) and every configured chat platform is
  connected, else 503; the JSON body says which check failed and why;
* ``GET /metrics`` — Prometheus text format (``bot.observe.metrics``).

``vigil status`` asks a running ``vigil run`` for its ``/readyz``
(``fetch_readiness``), which is how it knows whether a platform is connected.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.observe import metrics
from bot.observe.supervisor import Supervisor

DB_TIMEOUT = 3.0


@dataclass
class TickClock:
    """When the rule tick last started and finished (monotonic seconds)."""

    started_at: float = field(default_factory=time.monotonic)  # process start until a tick
    last_finished: float | None = None

    def finished(self) -> None:
        self.last_finished = time.monotonic()


class Readiness:
    """The checks behind ``/readyz``."""

    def __init__(self, ping_database: Callable[[], None], scheduler_running: Callable[[], bool],
                 ticks: TickClock, tick_seconds: float, supervisors: Sequence[Supervisor]
                 ) -> None:
        self.ping_database = ping_database
        self.scheduler_running = scheduler_running
        self.ticks = ticks
        # A tick may be slow on a large workspace: stale only after three missed intervals.
        self.tick_grace = max(3 * tick_seconds, tick_seconds + 120.0)
        self.supervisors = list(supervisors)

    async def database(self) -> dict[str, Any]:
        try:
            await asyncio.wait_for(asyncio.to_thread(self.ping_database), DB_TIMEOUT)
        except TimeoutError:
            return {"ok": False, "error": f"no answer within {DB_TIMEOUT:g} s"}
        except Exception as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        return {"ok": True}

    def scheduler(self) -> dict[str, Any]:
        if not self.scheduler_running():
            return {"ok": False, "error": "the scheduler is not running"}
        since = self.ticks.last_finished or self.ticks.started_at
        age = time.monotonic() - since
        if age > self.tick_grace:
            what = "last rule tick finished" if self.ticks.last_finished else "started, no tick"
            return {"ok": False, "error": f"{what} {age:.0f} s ago"}
        return {"ok": True, "last_tick_seconds_ago": (
            round(age, 1) if self.ticks.last_finished is not None else None)}

    async def report(self) -> dict[str, Any]:
        """``{"ready": bool, "checks": {...}, "platforms": {name: state}}``."""
        checks = {"database": await self.database(), "scheduler": self.scheduler()}
        platforms = {s.name: s.state.as_json() for s in self.supervisors}
        ready = all(c["ok"] for c in checks.values()) and all(
            p["connected"] for p in platforms.values())
        return {"ready": ready, "checks": checks, "platforms": platforms}


def routes(readiness: Readiness) -> list[web.RouteDef]:
    """The route definitions to mount (``HttpServer.add_routes(..., public=True)``)."""

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(request: web.Request) -> web.Response:
        report = await readiness.report()
        return web.json_response(report, status=200 if report["ready"] else 503,
                                 dumps=lambda d: json.dumps(d, indent=2))

    async def metrics_page(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.render())
        response.headers["Content-Type"] = metrics.CONTENT_TYPE
        return response

    return [web.get("/healthz", healthz), web.get("/readyz", readyz),
            web.get("/metrics", metrics_page)]


@web.middleware
async def count_requests(request: web.Request, handler: Any) -> web.StreamResponse:
    """HTTP requests by route (the pattern, not the raw path) and status."""
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        metrics.HTTP_REQUESTS.labels(route, str(exc.status)).inc()
        raise
    except Exception:
        metrics.HTTP_REQUESTS.labels(route, "500").inc()
        raise
    metrics.HTTP_REQUESTS.labels(route, str(response.status)).inc()
    return response


def fetch_readiness(port: int, host: str = "127.0.0.1", timeout: float = 2.0
                    ) -> dict[str, Any] | None:
    """A running ``vigil run``'s ``/readyz`` report, or None when nothing answers."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=timeout) as resp:
            return dict(json.loads(resp.read()))
    except urllib.error.HTTPError as exc:  # 503: not ready, the body says why
        try:
            return dict(json.loads(exc.read()))
        except ValueError:
            return None
    except (OSError, ValueError):
        return None


def render_readiness(report: dict[str, Any] | None, port: int) -> list[str]:
    """``vigil status``'s lines about the running service (its ``/readyz``)."""
    if report is None:
        return [f"vigil run    not answering on port {port} (not running on this machine, "
                "or VIGIL_HTTP_PORT differs)"]
    lines = [f"vigil run    answering on port {port}: "
             + ("ready" if report.get("ready") else "NOT ready")]
    for name, check in report.get("checks", {}).items():
        lines.append(f"  {name:10} " + ("ok" if check.get("ok") else
                                         f"FAILING — {check.get('error')}"))
    for name, state in report.get("platforms", {}).items():
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(state.get("since") or 0))
        if state.get("connected"):
            lines.append(f"  {name:10} connected ({state.get('mode')}) since {since} UTC")
            continue
        detail = f"{state.get('state')} ({state.get('mode')}) since {since} UTC"
        if state.get("failed_attempts"):
            detail += f", {state['failed_attempts']} failed attempt(s)"
        if state.get("last_error"):
            detail += f" — {state['last_error']}"
        if state.get("next_attempt_in") is not None:
            detail += f"; next attempt in {state['next_attempt_in']} s"
        lines.append(f"  {name:10} {detail}")
    return lines
