"""SQLite connections as ``make_engine`` tunes them (a file database of the test's own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import make_engine


@pytest.mark.parametrize(("cache_mib", "pragma"), [
    (None, -2000),  # SQLite's own default: 2,000 KiB
    (8, -8 * 1024),
    (64, -64 * 1024),
])
def test_each_connection_gets_the_page_cache_asked_for(tmp_path: Path, cache_mib, pragma):
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}", sqlite_cache_mib=cache_mib)
    try:
        # Two pooled connections at once (raw: no transaction, so no write lock).
        first, second = engine.raw_connection(), engine.raw_connection()
        try:
            for conn in (first, second):
                assert conn.execute("PRAGMA cache_size").fetchone()[0] == pragma
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            first.close()
            second.close()
    finally:
        engine.dispose()
