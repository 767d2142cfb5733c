"""The optional phase trace of ``vigil check`` (VIGIL_CHECK_TRACE) and the heap give-back."""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import pytest

from bot import memory
from bot.check_trace import ENV, Trace


def test_each_mark_appends_one_line_with_its_phase_memory_and_extras(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    trace = Trace(str(path))
    trace.mark("start")
    trace.mark("batch", events=3)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["phase"] for r in rows] == ["start", "batch"]
    assert rows[1]["events"] == 3
    assert all(r["s"] >= 0 for r in rows)
    assert all(r["cpu_s"] >= 0 for r in rows)
    if sys.platform.startswith("linux"):
        assert all(0 < r["rss_mb"] <= r["peak_mb"] for r in rows)


def test_cpu_seconds_count_this_process_s_work_since_the_previous_mark(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    trace = Trace(str(path))
    trace.mark("start")
    sum(i * i for i in range(2_000_000))  # some CPU work between the marks
    trace.mark("work")
    start, work = (json.loads(line) for line in path.read_text().splitlines())
    assert work["cpu_s"] > start["cpu_s"]
    assert work["cpu_s"] > 0


def test_unset_it_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    Trace().mark("start")
    assert list(tmp_path.iterdir()) == []


def test_set_it_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.jsonl"
    monkeypatch.setenv(ENV, str(path))
    Trace().mark("counts")
    assert json.loads(path.read_text())["phase"] == "counts"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc_trim")
def test_on_glibc_the_heap_is_given_back() -> None:
    assert memory._TRIM is not None
    blocks = [bytearray(100_000) for _ in range(200)]  # freed heap that can go back
    del blocks
    assert isinstance(memory.give_back(), bool)
