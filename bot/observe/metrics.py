"""Prometheus metrics of one Vigil process (``GET /metrics``), with prometheus-client.

Counters and histograms are updated where things happen (the scheduler's jobs
in ``bot/app.py``, the conversation, the HTTP middleware, the platform
supervisors); the gauges read from the database (violations firing, notices
by status) are refreshed by a scheduler job, never on the scrape itself, so a
slow database cannot hang ``/metrics``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

CONTENT_TYPE = str(CONTENT_TYPE_LATEST)

# A ``*_created`` series per counter doubles the page and says nothing an operator uses.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_DELAYS = (1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400)
_COUNTS = (0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000)

TICKS = Counter("vigil_ticks", "Rule ticks run.", registry=REGISTRY)
TICK_WAKES = Counter("vigil_tick_wakes", "Rule tick wakes that found nothing due (no "
                     "evaluation work; not counted in vigil_ticks).", registry=REGISTRY)
TICK_FAILURES = Counter("vigil_tick_failures", "Rule ticks that raised.", registry=REGISTRY)
TICK_SECONDS = Histogram("vigil_tick_duration_seconds", "How long one rule tick took.",
                         buckets=_SECONDS, registry=REGISTRY)
DUE_TASKS = Histogram("vigil_tick_due_tasks", "Tasks whose next check had come, per tick.",
                      buckets=_COUNTS, registry=REGISTRY)
DETECTION_DELAY = Histogram(
    "vigil_detection_delay_seconds",
    "How late a tick looked at a task after the moment its verdict could change "
    "(now - next_check_at of each due task).", buckets=_DELAYS, registry=REGISTRY)
VIOLATIONS_CHANGED = Counter("vigil_violation_changes", "Violation changes made by ticks.",
                             ["kind"], registry=REGISTRY)
VIOLATIONS_FIRING = Gauge("vigil_violations_firing", "Violations firing now.",
                          ["rule", "severity"], registry=REGISTRY)
NOTICES = Gauge("vigil_notices", "Outbox rows by platform and status (pending, sending, sent, "
                "failed).", ["platform", "status"], registry=REGISTRY)
NOTICES_DELIVERED = Counter("vigil_notices_delivered", "Outbox rows this process delivered.",
                            ["platform", "outcome"], registry=REGISTRY)
DELIVERY_LATENCY = Histogram(
    "vigil_delivery_latency_seconds",
    "From a notice being queued to the platform accepting it (includes quiet-hours holds "
    "and retries).", ["platform"], buckets=_DELAYS, registry=REGISTRY)
PLATFORM_ERRORS = Counter("vigil_platform_errors", "Errors talking to a chat platform.",
                          ["platform", "kind"], registry=REGISTRY)
PLATFORM_CONNECTED = Gauge("vigil_platform_connected", "1 while the platform is connected.",
                           ["platform"], registry=REGISTRY)
PARSED = Counter("vigil_parse_outcomes", "Typed messages by the intent understood "
                 "('unknown' when none).", ["intent"], registry=REGISTRY)
HTTP_REQUESTS = Counter("vigil_http_requests", "HTTP requests by route and status.",
                        ["route", "status"], registry=REGISTRY)
JOB_FAILURES = Counter("vigil_job_failures", "Scheduler job runs that raised.", ["job"],
                       registry=REGISTRY)


def render() -> bytes:
    """The text exposition format of every metric."""
    return generate_latest(REGISTRY)


def count_parse(intent: str) -> None:
    """One typed message understood as ``intent``."""
    PARSED.labels(intent or "unknown").inc()


def observe_due(now: datetime, next_checks: Iterable[datetime]) -> None:
    """A tick's due tasks: how many, and how late each was looked at."""
    checks = list(next_checks)
    DUE_TASKS.observe(len(checks))
    for at in checks:
        DETECTION_DELAY.observe(max(0.0, (now - at).total_seconds()))


def set_firing(counts: Mapping[tuple[str, str], int]) -> None:
    """Replace the firing-violation gauge with ``{(rule, severity): n}``."""
    VIOLATIONS_FIRING.clear()
    for (rule, severity), n in counts.items():
        VIOLATIONS_FIRING.labels(rule, severity).set(n)


def set_notices(counts: Mapping[tuple[str, str], int]) -> None:
    """Replace the outbox gauge with ``{(platform, status): n}`` (0 for statuses not seen)."""
    NOTICES.clear()
    platforms = {p for p, _ in counts}
    for platform in platforms:
        for status in ("pending", "sending", "sent", "failed"):
            NOTICES.labels(platform, status).set(counts.get((platform, status), 0))
