"""An optional trace of ``vigil check``'s phases: resident memory and seconds after each.

Set ``VIGIL_CHECK_TRACE`` to a file path and every phase (each batch of a full
check, the counts, the listing of the worst) appends one JSON line there:
``{"phase", "s", "cpu_s", "rss_mb", "peak_mb"}`` (``s`` wall seconds, ``cpu_s``
this process's CPU seconds, since the previous mark). bench/databases.py reads it to say
where a check's memory and time go; unset, it costs nothing.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

ENV = "VIGIL_CHECK_TRACE"


def _memory_mb() -> tuple[int, int]:
    """Resident and peak resident MiB of this process (0, 0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return 0, 0
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


class Trace:
    """Appends a line per phase to the ``VIGIL_CHECK_TRACE`` file (no-op when unset)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path if path is not None else os.environ.get(ENV) or None
        self._last = time.perf_counter()
        self._cpu = time.process_time()

    def mark(self, phase: str, **extra: Any) -> None:
        """Record ``phase`` as ending now (seconds since the previous mark)."""
        if self.path is None:
            return
        now, cpu = time.perf_counter(), time.process_time()
        rss, peak = _memory_mb()
        row = {"phase": phase, "s": round(now - self._last, 3),
               "cpu_s": round(cpu - self._cpu, 3), "rss_mb": rss, "peak_mb": peak}
        with open(self.path, "a") as f:
            f.write(json.dumps({**row, **extra}) + "\n")
        self._last, self._cpu = now, cpu
