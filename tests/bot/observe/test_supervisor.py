"""Supervised platform connections: backoff, one line per attempt, bounded stop."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.observe.supervisor import (
    CONNECTED,
    DISCONNECTED,
    STOPPED,
    Backoff,
    Supervisor,
    start_all,
    stop_all,
)


@pytest.mark.parametrize(
    ("failures", "rng", "expected"),
    [
        (1, 1.0, 1.0), (2, 1.0, 2.0), (3, 1.0, 4.0), (6, 1.0, 32.0),
        (7, 1.0, 60.0), (50, 1.0, 60.0),  # capped
        (3, 0.0, 2.0), (7, 0.0, 30.0),  # jitter: never below half the ceiling
        (3, 0.5, 3.0),
    ],
)
def test_backoff_doubles_up_to_the_cap_with_jitter(failures, rng, expected):
    assert Backoff(base=1.0, cap=60.0, rng=lambda: rng).delay(failures) == expected


class FakePlatform:
    """Fails ``failures`` times (raising ``error``), or hangs; records start/stop calls."""

    name = "fakechat"
    mode = "fake mode"

    def __init__(self, failures: int = 0, error: Exception | None = None,
                 hang: bool = False) -> None:
        self.failures = failures
        self.error = error or ConnectionRefusedError(111, "Connection refused")
        self.hang = hang
        self.starts = 0
        self.stops = 0
        self.up = True

    async def start(self) -> None:
        self.starts += 1
        if self.hang:
            await asyncio.Event().wait()
        if self.starts <= self.failures:
            raise self.error

    async def stop(self) -> None:
        self.stops += 1


class WatchedPlatform(FakePlatform):
    async def connected(self) -> bool:
        return self.up


FAST = Backoff(base=0.01, cap=0.05, rng=lambda: 1.0)


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def test_an_unreachable_platform_is_retried_with_one_line_per_attempt(caplog):
    platform = FakePlatform(failures=4)
    caplog.set_level(logging.INFO, logger="vigil.platforms")

    async def scenario() -> Supervisor:
        supervisor = Supervisor(platform, FAST)
        supervisor.start()
        await _until(lambda: supervisor.state.state == CONNECTED)
        await supervisor.stop()
        return supervisor

    supervisor = asyncio.run(scenario())
    lines = [r for r in caplog.records if r.name == "vigil.platforms"]
    failures = [r for r in lines if "not connected" in r.getMessage()]
    assert len(failures) == 4 and platform.starts == 5
    assert failures[0].exc_info is not None  # the first says where it broke ...
    assert all(r.exc_info is None for r in failures[1:])  # ... the others one line each
    assert "attempt 3): ConnectionRefusedError: [Errno 111] Connection refused" in (
        failures[2].getMessage())
    assert "connected (fake mode) after 4 failed attempt(s)" in lines[-1].getMessage()
    assert supervisor.state.state == STOPPED


def test_state_shows_the_disconnection_while_it_lasts():
    platform = FakePlatform(failures=10**6, error=OSError("network unreachable"))

    async def scenario() -> dict:
        supervisor = Supervisor(platform, Backoff(base=5.0, cap=5.0, rng=lambda: 1.0))
        await start_all([supervisor], wait=2.0)  # returns after the first attempt
        state = supervisor.state.as_json()
        await stop_all([supervisor])
        return state

    state = asyncio.run(scenario())
    assert state["state"] == DISCONNECTED and state["connected"] is False
    assert state["failed_attempts"] == 1 and state["last_error"] == "OSError: network unreachable"
    assert state["next_attempt_in"] == 5.0


def test_stop_ends_a_hanging_attempt_at_once():
    platform = FakePlatform(hang=True)

    async def scenario() -> float:
        supervisor = Supervisor(platform, FAST, attempt_timeout=300)
        await start_all([supervisor], wait=0.2)
        assert supervisor.state.state == "connecting"
        started = time.monotonic()
        await stop_all([supervisor])
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 1.0
    assert platform.stops >= 1


def test_an_attempt_that_never_answers_is_abandoned_and_retried(caplog):
    platform = FakePlatform(hang=True)
    caplog.set_level(logging.WARNING, logger="vigil.platforms")

    async def scenario() -> None:
        supervisor = Supervisor(platform, FAST, attempt_timeout=0.05)
        supervisor.start()
        await _until(lambda: platform.starts >= 3)
        await supervisor.stop()

    asyncio.run(scenario())
    messages = [r.getMessage() for r in caplog.records if "not connected" in r.getMessage()]
    assert "no answer within 0.05 s" in messages[0]
    assert all(r.exc_info is None for r in caplog.records)  # a timeout has no traceback


def test_a_lost_connection_is_noticed_and_started_again():
    platform = WatchedPlatform()

    async def scenario() -> list[str]:
        supervisor = Supervisor(platform, FAST, watch_every=0.02)
        seen = []
        supervisor.start()
        await _until(lambda: supervisor.state.state == CONNECTED)
        seen.append(supervisor.state.state)
        platform.up = False
        await _until(lambda: supervisor.state.state == DISCONNECTED)
        seen.append(supervisor.state.state)
        await _until(lambda: platform.starts >= 2)  # stopped and started over
        platform.up = True
        await _until(lambda: supervisor.state.state == CONNECTED)
        seen.append(supervisor.state.state)
        await supervisor.stop()
        return seen

    assert asyncio.run(scenario()) == [CONNECTED, DISCONNECTED, CONNECTED]
    assert platform.stops >= 2
