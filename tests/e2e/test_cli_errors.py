"""The CLI as an operator meets it: --version, and one-line errors with status 2."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _vigil(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=60,
    )


def test_version_prints_the_package_version():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"vigil {declared}"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VIGIL_TICK_SECONDS": "abc"},
         "error: VIGIL_TICK_SECONDS='abc' is not allowed: expected a number greater than 0"),
        ({"VIGIL_TIMEZONE": "Mars/Base"},
         "error: VIGIL_TIMEZONE='Mars/Base' is not allowed: expected an IANA time zone"),
    ],
)
def test_a_bad_setting_stops_vigil_run_with_one_line_and_status_2(env, expected, tmp_path):
    result = _vigil("run", VIGIL_DATABASE_URL=f"sqlite:///{tmp_path / 'v.db'}", **env)
    assert result.returncode == 2
    assert result.stderr.startswith(expected)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-3"}, "error: HTTP mode needs SLACK_SIGNING_SECRET"),
        ({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook"},
         "error: TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_a_half_configured_platform_stops_vigil_run_with_one_line(env, expected, tmp_path):
    result = _vigil("run", VIGIL_DATABASE_URL=f"sqlite:///{tmp_path / 'v.db'}",
                    VIGIL_HTTP_PORT="0", **env)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors and errors[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_stops_vigil_run_with_one_line(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = _vigil("run", VIGIL_DATABASE_URL=f"sqlite:///{tmp_path / 'v.db'}",
                        VIGIL_HTTP_PORT=str(port))
    assert result.returncode == 2, result.stderr
    assert f"error: VIGIL_HTTP_PORT={port} is not usable" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_secret_is_never_echoed(monkeypatch):
    # No secret field can fail validation today; the masking is for when one does.
    from pydantic import ValidationError

    from bot.config import Settings, settings_error

    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, SLACK_BOT_TOKEN=["xoxb-123-secret"])
    assert "xoxb-123-secret" not in str(settings_error(caught.value))
    assert "SLACK_BOT_TOKEN='(hidden)'" in str(settings_error(caught.value))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "--format", "xml"], r"Invalid value for '--format': 'xml' is not one of "
                                        r"'json', 'csv'"),
        (["parse", "board", "--tz", "Mars/Base"], r"Invalid value for '--tz': unknown time zone "
                                                  r"'Mars/Base': expected an IANA name"),
        (["console", "--tz", "Nowhere"], r"Invalid value for '--tz': unknown time zone"),
        (["gantt"], r"Missing option '--out'"),
        (["frobnicate"], r"No such command 'frobnicate'"),
        (["status", "--colour"], r"No such option: --colour"),
    ],
)
def test_a_bad_option_is_one_line_with_status_2(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.match("error: " + expected, lines[0]), lines[0]
