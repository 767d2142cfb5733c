"""What the scheduler's jobs measure, kept out of ``bot/app.py``'s job bodies."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from bot.notify.dispatcher import DispatchResult
from bot.observe import metrics
from storage import operations


def before_tick(engine: Engine, now: datetime) -> float:
    """Count the tick's due tasks and how late each is; return the start time."""
    metrics.observe_due(now, operations.due_checks(engine, now))
    return time.perf_counter()


def idle_wake() -> None:
    """A tick wake that found nothing due (counted apart from the ticks)."""
    metrics.TICK_WAKES.inc()


def after_tick(started: float, results: Mapping[int, Sequence[Any]]) -> None:
    """The tick's duration and the violation changes it made, by kind."""
    metrics.TICKS.inc()
    metrics.TICK_SECONDS.observe(time.perf_counter() - started)
    for events in results.values():
        for event in events:
            kind = getattr(event, "kind", None)
            metrics.VIOLATIONS_CHANGED.labels(str(getattr(kind, "value", kind))).inc()


def after_dispatch(result: DispatchResult, now: datetime) -> None:
    """Delivered notices (with their latency), and delivery errors by kind."""
    for outcome, deliveries in (("sent", result.sent), ("edited", result.edited)):
        for delivery in deliveries:
            metrics.NOTICES_DELIVERED.labels(delivery.platform, outcome).inc(len(delivery.rows))
            for row in delivery.rows:
                latency = (now - row.created_at).total_seconds()
                metrics.DELIVERY_LATENCY.labels(delivery.platform).observe(max(0.0, latency))
    for kind, deliveries in (("delivery_retry", result.retried),
                             ("delivery_failed", result.failed)):
        for delivery in deliveries:
            metrics.PLATFORM_ERRORS.labels(delivery.platform, kind).inc()
            metrics.NOTICES_DELIVERED.labels(delivery.platform, kind).inc(len(delivery.rows))


def refresh_gauges(engine: Engine) -> None:
    """Violations firing by rule and severity; outbox rows by platform and status."""
    metrics.set_firing(operations.firing_counts(engine))
    metrics.set_notices(operations.outbox_counts(engine))
