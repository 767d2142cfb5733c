"""Each chat platform connects in its own supervised task; an unreachable one never
takes Vigil down.

A ``Supervisor`` calls the platform's ``start()`` until it succeeds: every
failed attempt is one log line (the first with its traceback, the rest
without) and a wait that doubles up to ``VIGIL_RECONNECT_MAX_SECONDS``, with
jitter so many Vigils do not knock at once. An attempt that hangs (a Bot API
that never answers) is abandoned after ``attempt_timeout``. Once connected,
a platform that can tell (``connected()``) is watched: when it stays
disconnected the supervisor stops it and starts over — unless the platform's
library reconnects by itself (``reconnects_itself``, Telegram's polling), when
the state only follows the probe. ``state`` is what
``/readyz`` and ``vigil status`` show. ``stop()`` ends all of it within its
``stop_timeout`` whatever the connection is doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.observe import metrics

log = logging.getLogger("vigil.platforms")

CONNECTING, CONNECTED, DISCONNECTED, STOPPED = "connecting", "connected", "disconnected", "stopped"


class Connectable(Protocol):
    """What a supervisor needs of a platform (``bot.app.Platform`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def mode(self) -> str: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: attempt n waits base·2ⁿ⁻¹ (≤ cap), ×[0.5, 1]."""

    base: float = 1.0
    cap: float = 60.0
    rng: Callable[[], float] = random.random

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failed attempts (>= 1)."""
        ceiling = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return ceiling * (0.5 + 0.5 * self.rng())


@dataclass
class ConnectionState:
    """One platform's connection as the operator sees it."""

    name: str
    mode: str
    state: str = CONNECTING
    failures: int = 0  # consecutive failed attempts
    last_error: str | None = None
    since: float = field(default_factory=time.time)  # when ``state`` last changed
    next_attempt_in: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "state": self.state,
            "connected": self.state == CONNECTED,
            "failed_attempts": self.failures,
            "last_error": self.last_error,
            "since": round(self.since, 3),
            "next_attempt_in": (round(self.next_attempt_in, 1)
                                if self.next_attempt_in is not None else None),
        }


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Supervisor:
    """Keeps one platform connected in a background task."""

    def __init__(self, platform: Connectable, backoff: Backoff, *,
                 attempt_timeout: float = 30.0, watch_every: float = 5.0,
                 stop_timeout: float = 5.0) -> None:
        self.platform = platform
        self.backoff = backoff
        self.attempt_timeout = attempt_timeout
        self.watch_every = watch_every
        self.stop_timeout = stop_timeout
        self.state = ConnectionState(platform.name, platform.mode)
        self.first_attempt = asyncio.Event()  # set once the first attempt ended either way
        self._task: asyncio.Task[None] | None = None
        self._tracebacks_logged = False

    @property
    def name(self) -> str:
        return self.platform.name

    def start(self) -> None:
        """Begin connecting in the background (returns at once)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"supervise-{self.name}")

    async def stop(self) -> None:
        """Cancel whatever the connection is doing, then stop the platform (bounded)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, self.stop_timeout)
        try:
            await asyncio.wait_for(self.platform.stop(), self.stop_timeout)
        except TimeoutError:
            log.warning("%s: did not stop within %.0f s; abandoned", self.name,
                        self.stop_timeout)
        except Exception as exc:  # stopping must finish
            log.warning("%s: error while stopping: %s", self.name, _describe(exc))
        self._set(STOPPED)

    def _set(self, state: str, error: str | None = None) -> None:
        if state != self.state.state:
            self.state.since = time.time()
        self.state.state = state
        if error is not None:
            self.state.last_error = error
        metrics.PLATFORM_CONNECTED.labels(self.name).set(1 if state == CONNECTED else 0)

    async def _run(self) -> None:
        while True:
            self._set(CONNECTING)
            self.state.next_attempt_in = None
            try:
                await asyncio.wait_for(self.platform.start(), self.attempt_timeout)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                wait = await self._failed(exc)
                self.first_attempt.set()
                await asyncio.sleep(wait)
                continue
            self._connected()
            self.first_attempt.set()
            await self._watch()
            # Lost and not coming back by itself: start over from a clean connection.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.platform.stop(), self.stop_timeout)

    async def _failed(self, exc: Exception) -> float:
        self.state.failures += 1
        if isinstance(exc, TimeoutError):
            error = f"no answer within {self.attempt_timeout:g} s"
        else:
            error = _describe(exc)
        wait = self.backoff.delay(self.state.failures)
        self.state.next_attempt_in = wait
        self._set(DISCONNECTED, error)
        metrics.PLATFORM_ERRORS.labels(self.name, "connect").inc()
        # Leave nothing half-open behind a failed attempt (the next one starts clean).
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.platform.stop(), self.stop_timeout)
        # The first traceback says what is wrong; the next thousand would say it again.
        first = not self._tracebacks_logged
        self._tracebacks_logged = True
        log.warning("%s: not connected (%s, attempt %d): %s; next attempt in %.1f s",
                    self.name, self.platform.mode, self.state.failures, error, wait,
                    exc_info=exc if first and not isinstance(exc, TimeoutError) else None)
        return wait

    def _connected(self) -> None:
        after = self.state.failures
        self.state.failures = 0
        self.state.next_attempt_in = None
        self._set(CONNECTED)
        self.state.last_error = None
        log.info("%s: connected (%s)%s", self.name, self.platform.mode,
                 f" after {after} failed attempt(s)" if after else "")

    async def _watch(self) -> None:
        """Return when a platform that can tell says it has been disconnected twice running."""
        probe: Callable[[], Awaitable[bool]] | None = getattr(self.platform, "connected", None)
        if probe is None:
            await asyncio.Event().wait()  # nothing to watch: connected until stopped
            return
        misses = 0
        while True:
            await asyncio.sleep(self.watch_every)
            try:
                up = bool(await asyncio.wait_for(probe(), self.watch_every))
            except Exception:
                up = False
            if up:
                misses = 0
                if self.state.state != CONNECTED:
                    self._connected()
                continue
            misses += 1
            self._set(DISCONNECTED, self._reason() or "connection lost")
            if misses == 2:
                metrics.PLATFORM_ERRORS.labels(self.name, "disconnected").inc()
                if getattr(self.platform, "reconnects_itself", False):
                    log.warning("%s: connection lost; it reconnects by itself", self.name)
                    continue  # keep watching: connected again once the probe says so
                log.warning("%s: connection lost; reconnecting", self.name)
                return

    def _reason(self) -> str | None:
        reason = getattr(self.platform, "last_error", None)
        return str(reason) if reason else None


async def start_all(supervisors: list[Supervisor], wait: float) -> None:
    """Start every supervisor; wait up to ``wait`` seconds for their first attempts."""
    for supervisor in supervisors:
        supervisor.start()
    if supervisors and wait > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(s.first_attempt.wait() for s in supervisors)), wait)


async def stop_all(supervisors: list[Supervisor]) -> None:
    """Stop every supervisor at once (each bounded by its stop timeout)."""
    await asyncio.gather(*(s.stop() for s in supervisors), return_exceptions=True)
