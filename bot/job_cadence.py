"""The scheduler's jobs and how often each runs (``vigil run``, ``bot.app.serve``):

* ``rule-tick``  every ``VIGIL_TICK_WAKE_SECONDS`` (5; never rarer than
  ``VIGIL_TICK_SECONDS``): look whether anything is due (a few index reads)
  and, only when something is, evaluate it — a verdict that changes at 09:00:07
  is stored by 09:00:10 plus the tick, not at the next minute;
* ``recurring``  every ``VIGIL_TICK_SECONDS``: create recurring work whose cycle started;
* ``escalation`` every ``VIGIL_TICK_SECONDS``: climb the escalation ladder;
* ``digests``    every ``VIGIL_TICK_SECONDS``: queue each person's morning digest once a day;
* ``dispatch``   every ``DISPATCH_SECONDS``: send due outbox rows;
* ``homes``      every ``HOME_SECONDS`` when a platform has a home screen (Slack's
  App Home): publish the My Tasks of people whose tasks changed;
* ``housekeeping`` every ``HOUSEKEEPING_SECONDS``: forget old platform event ids,
  expired questions and stale chat topics.
"""

from __future__ import annotations

from bot.config import Settings

DISPATCH_SECONDS = 5.0
# Short, so a Home follows a change within seconds; changes in between coalesce.
HOME_SECONDS = 3.0
HOUSEKEEPING_SECONDS = 3600.0
# Metric gauges read from the database (violations firing, outbox rows): two counts over
# whole tables, 3.5 s a run at 1M tasks (bench/day.py, 1M window: 657 s an hour at 15 s).
GAUGE_SECONDS = 60.0


def job_cadence(settings: Settings, homes: bool) -> list[tuple[str, float, bool]]:
    """The scheduler's jobs: (id, every how many seconds, first run at once?).

    ``homes``: a platform has a home screen. ``bench/day.py`` replays this very table.
    """
    minute = settings.tick_seconds
    jobs = [
        ("rule-tick", min(settings.tick_wake_seconds, minute), True),
        ("recurring", minute, True),
        ("escalation", minute, False),
        ("digests", minute, False),
        ("dispatch", min(DISPATCH_SECONDS, minute), True),
        ("housekeeping", HOUSEKEEPING_SECONDS, True),
        ("gauges", min(GAUGE_SECONDS, minute), True),
    ]
    if homes:
        jobs.append(("homes", min(HOME_SECONDS, minute), True))
    return jobs
