"""`vigil import` from the command line: detection, dry run, unknown workspaces."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from storage.db import make_engine
from storage.uow import make_uow_factory

runner = CliRunner()
ASANA = Path(__file__).parents[1] / "bot" / "dataio" / "exports" / "asana.csv"
WIDE = {"COLUMNS": "250"}


@pytest.fixture
def configured(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    monkeypatch.setenv("VIGIL_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _workspaces(url: str) -> list[str]:
    engine = make_engine(url)
    with make_uow_factory(engine)() as uow:
        keys = [w.key for w in uow.workspaces.list()]
    engine.dispose()
    return keys


def test_dry_run_then_import_then_reimport(configured):
    dry = runner.invoke(app, ["import", str(ASANA), "-w", "Ledger", "--create", "--dry-run",
                              "--tz", "Europe/London"], env=WIDE)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith(f"Dry run — nothing was written. {ASANA} read as Asana.")
    assert "Would import 4 tasks." in dry.stdout and "would be created" in dry.stdout
    assert _workspaces(configured) == []
    done = runner.invoke(app, ["import", str(ASANA), "-w", "Ledger", "--create",
                               "--tz", "Europe/London"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "Created workspace Ledger." in done.stdout and "Imported 4 tasks." in done.stdout
    again = runner.invoke(app, ["import", str(ASANA), "-w", "ledger"], env=WIDE)
    assert again.exit_code == 0, again.output
    assert "Imported 0 tasks (4 already there, left unchanged)." in again.stdout
    assert _workspaces(configured) == ["Ledger"]


def test_an_unknown_workspace_is_refused_with_the_list(configured):
    runner.invoke(app, ["import", str(ASANA), "-w", "Ledger", "--create"], env=WIDE)
    refused = runner.invoke(app, ["import", str(ASANA), "-w", "Ledgr"], env=WIDE)
    assert refused.exit_code == 2
    assert ("no workspace called 'Ledgr'; there are: Ledger — or add --create to make a new "
            "one") in refused.stdout
    assert _workspaces(configured) == ["Ledger"]
