"""Settings: one-line errors naming the variable, the value and what is allowed;
.env.example in step with the settings object."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("VIGIL_TICK_SECONDS", "abc", "a number greater than 0"),
        ("VIGIL_TICK_SECONDS", "0", "a number greater than 0"),
        ("VIGIL_TIMEZONE", "Mars/Base", "an IANA time zone such as UTC or Europe/London"),
        ("VIGIL_HTTP_PORT", "99999", "a whole number from 0 to 65535"),
        ("VIGIL_HTTP_PORT", "http", "a whole number from 0 to 65535"),
        ("VIGIL_LOG_LEVEL", "loud", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("VIGIL_LOG_FORMAT", "xml", "text (readable lines) or json"),
        ("VIGIL_DATABASE_URL", "vigil.db", "a SQLAlchemy URL"),
        ("TELEGRAM_MODE", "push", "polling or webhook"),
        ("VIGIL_RECONNECT_MAX_SECONDS", "0.1", "seconds from 1 to 3600"),
        ("VIGIL_NOTICE_LEASE_SECONDS", "1", "seconds from 5 to 3600"),
        ("VIGIL_NOTICE_LEASE_SECONDS", "a day", "seconds from 5 to 3600"),
    ],
)
def test_a_refused_setting_is_one_line_with_variable_value_and_allowed(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, allowed: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{variable}={value!r} is not allowed: expected {allowed}")


def test_two_bad_settings_are_both_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_TICK_SECONDS", "soon")
    monkeypatch.setenv("VIGIL_TIMEZONE", "Mars/Base")
    message = str(pytest.raises(SettingsError, load_settings, _env_file=None).value)
    assert "VIGIL_TICK_SECONDS='soon'" in message and "VIGIL_TIMEZONE='Mars/Base'" in message


def test_log_levels_are_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_LOG_LEVEL", "debug")
    assert load_settings(_env_file=None).log_level == "DEBUG"


def _example_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            assert match.group(1) not in entries, f"{match.group(1)} twice in .env.example"
            entries[match.group(1)] = match.group(2)
    return entries


def test_env_example_lists_every_setting_with_its_default() -> None:
    entries = _example_entries()
    aliases = {f.alias: f for f in Settings.model_fields.values()}
    assert set(entries) == set(aliases)
    for alias, field in aliases.items():
        default = "" if field.default is None else field.default
        if isinstance(default, float):
            assert float(entries[alias]) == default, alias
        else:
            assert entries[alias] == str(default), alias


def test_a_copied_env_example_starts_with_the_defaults(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for field in Settings.model_fields.values():
        monkeypatch.delenv(str(field.alias), raising=False)
    copied = tmp_path / ".env"
    copied.write_text(ENV_EXAMPLE.read_text())
    assert load_settings(_env_file=copied) == load_settings(_env_file=None)
    # Empty tokens count as unset: no platform starts from a copied example.
    assert load_settings(_env_file=copied).slack_bot_token is None
