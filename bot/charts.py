"""Where chat charts are drawn, and their removal once a platform has them.

Charts sent in chat are written to a folder only Vigil's user can read (made
once per process with ``tempfile.mkdtemp``, mode 0700) — not a shared,
world-readable temp path — and deleted right after the upload. A file the
user asked for (``vigil gantt --out``) lives elsewhere and is never touched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

_CHART_DIR: list[Path] = []  # this process's private folder for chat charts, made once


def chart_dir() -> Path:
    """A folder only this user can read (``mkdtemp``: mode 0700), not a shared temp path."""
    if not _CHART_DIR:
        _CHART_DIR.append(Path(tempfile.mkdtemp(prefix="vigil-charts-")))
    return _CHART_DIR[0]


def discard_chart(path: str | Path | None) -> None:
    """Delete a chat chart once a platform has it (files elsewhere, e.g. --out, stay)."""
    if path is None or not _CHART_DIR:
        return
    chart = Path(path)
    if chart.parent == _CHART_DIR[0]:
        chart.unlink(missing_ok=True)


