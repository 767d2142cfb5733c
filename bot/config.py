"""One settings object, read from the environment and ``.env``.

Every field names its environment variable (``alias``) and says in its
``description`` what is allowed: that text is what a person reads when a value
is refused (``SettingsError``, one line) and what ``.env.example`` documents.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _allowed(text: str) -> dict[str, Any]:
    return {"allowed": text}


def allowed_values(field_name: str) -> str:
    """What a setting accepts, in words (from its field's ``allowed`` note)."""
    extra = Settings.model_fields[field_name].json_schema_extra
    return str(extra.get("allowed", "")) if isinstance(extra, dict) else ""


class SettingsError(ValueError):
    """A setting has a value Vigil cannot use; the message is one line for a person."""


class Settings(BaseSettings):
    """Vigil's configuration. Secrets are SecretStr so they never reach a log."""

    # Empty values count as unset, so a copied .env.example (SLACK_BOT_TOKEN=) starts nothing.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    database_url: str = Field(
        "sqlite:///./vigil.db", alias="VIGIL_DATABASE_URL", pattern=r"^[A-Za-z][A-Za-z0-9+]*://",
        description="the database",
        json_schema_extra=_allowed("a SQLAlchemy URL such as sqlite:///./vigil.db or "
                                   "postgresql+psycopg://user:password@host:5432/vigil"))
    tick_seconds: float = Field(
        60.0, alias="VIGIL_TICK_SECONDS", gt=0,
        description="seconds between escalation, digest and recurring-work rounds, "
                    "the longest the rule tick waits",
        json_schema_extra=_allowed("a number greater than 0"))
    tick_wake_seconds: float = Field(
        5.0, alias="VIGIL_TICK_WAKE_SECONDS", gt=0,
        description="seconds between the rule tick's looks for due work (a look "
                    "with nothing due is a few index reads)",
        json_schema_extra=_allowed("a number greater than 0"))
    http_port: int = Field(
        3000, alias="VIGIL_HTTP_PORT", ge=0, le=65535,
        description="port of the HTTP server: /healthz, /readyz, /metrics, Slack HTTP mode, "
                    "OAuth, Telegram webhook",
        json_schema_extra=_allowed("a whole number from 0 to 65535 (0: any free port)"))
    timezone: str = Field(
        "UTC", alias="VIGIL_TIMEZONE", description="time zone of new workspaces",
        json_schema_extra=_allowed("an IANA time zone such as UTC or Europe/London"))
    log_level: str = Field(
        "INFO", alias="VIGIL_LOG_LEVEL", description="Vigil's own log level",
        json_schema_extra=_allowed("one of " + ", ".join(LOG_LEVELS)))
    library_log_level: str = Field(
        "WARNING", alias="VIGIL_LIBRARY_LOG_LEVEL",
        description="log level of the libraries (httpx, telegram, slack_sdk, aiohttp, "
                    "apscheduler); secrets are masked at every level",
        json_schema_extra=_allowed("one of " + ", ".join(LOG_LEVELS)))
    log_format: Literal["text", "json"] = Field(
        "text", alias="VIGIL_LOG_FORMAT", description="log lines",
        json_schema_extra=_allowed("text (readable lines) or json (one JSON object per line)"))
    reconnect_max_seconds: float = Field(
        60.0, alias="VIGIL_RECONNECT_MAX_SECONDS", ge=1, le=3600,
        description="longest wait between two attempts to reach an unreachable chat platform",
        json_schema_extra=_allowed("seconds from 1 to 3600"))
    slack_bot_token: SecretStr | None = Field(
        None, alias="SLACK_BOT_TOKEN", description="Slack bot token (xoxb-…)")
    slack_app_token: SecretStr | None = Field(
        None, alias="SLACK_APP_TOKEN",
        description="Slack app-level token (xapp-…): set it for Socket Mode")
    slack_signing_secret: SecretStr | None = Field(
        None, alias="SLACK_SIGNING_SECRET", description="Slack signing secret (HTTP mode)")
    slack_api_url: str | None = Field(
        None, alias="SLACK_API_URL",
        description="base URL of the Slack Web API (proxies, tests); unset: Slack's own")
    slack_client_id: str | None = Field(
        None, alias="SLACK_CLIENT_ID",
        description="Slack OAuth client id: with SLACK_CLIENT_SECRET, installs into many "
                    "workspaces")
    slack_client_secret: SecretStr | None = Field(
        None, alias="SLACK_CLIENT_SECRET", description="Slack OAuth client secret")
    telegram_bot_token: SecretStr | None = Field(
        None, alias="TELEGRAM_BOT_TOKEN", description="Telegram bot token from @BotFather")
    telegram_mode: Literal["polling", "webhook"] = Field(
        "polling", alias="TELEGRAM_MODE", description="how Telegram updates arrive",
        json_schema_extra=_allowed("polling or webhook"))
    telegram_webhook_url: str | None = Field(
        None, alias="TELEGRAM_WEBHOOK_URL",
        description="public https URL of /telegram/webhook (webhook mode)")
    telegram_webhook_secret: SecretStr | None = Field(
        None, alias="TELEGRAM_WEBHOOK_SECRET",
        description="secret token Telegram sends with each webhook call (webhook mode)")
    telegram_api_url: str | None = Field(
        None, alias="TELEGRAM_API_URL",
        description="base URL of the Telegram Bot API (local Bot API server, tests); "
                    "unset: Telegram's own")
    notice_lease_seconds: float = Field(
        300.0, alias="VIGIL_NOTICE_LEASE_SECONDS", ge=5, le=3600,
        description="seconds a claimed notice stays reserved for the process sending it; "
                    "a process that dies mid-send frees its notices after this long",
        json_schema_extra=_allowed("seconds from 5 to 3600"))
    notice_max_age_hours: float = Field(
        72.0, alias="VIGIL_NOTICE_MAX_AGE_HOURS", gt=0,
        description="hours a notice is retried through platform outages before it is "
                    "marked failed (then `vigil notices retry`)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value

    @field_validator("log_level", "library_log_level", mode="before")
    @classmethod
    def _level_name(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().upper() in LOG_LEVELS:
            return value.strip().upper()
        raise ValueError("not a log level")


def _variable(field_name: str) -> str:
    info = Settings.model_fields[field_name]
    return info.alias or field_name.upper()


def settings_error(exc: ValidationError) -> SettingsError:
    """One line per refused setting: the variable, the value given, what is allowed."""
    by_alias = {_variable(name): name for name in Settings.model_fields}
    lines = []
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else "?"
        name = by_alias.get(key, key)
        info = Settings.model_fields.get(name)
        given = error.get("input")
        if info is not None and info.annotation is not None and "SecretStr" in str(
                info.annotation):
            given = "(hidden)"  # a secret is never echoed, not even a wrong one
        if info is None:
            lines.append(f"{key}={given!r} is not allowed: {error['msg']}")
            continue
        allowed = allowed_values(name) or error["msg"]
        lines.append(f"{_variable(name)}={given!r} is not allowed: expected {allowed} "
                     f"({info.description})")
    return SettingsError("; ".join(lines))


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; a bad value raises ``SettingsError`` (one line), never a traceback."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise settings_error(exc) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (read once)."""
    return load_settings()
