"""One settings object, read from the environment and ``.env``."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Vigil's configuration. Secrets are SecretStr so they never reach a log."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field("sqlite:///./vigil.db", alias="VIGIL_DATABASE_URL")
    tick_seconds: float = Field(60.0, alias="VIGIL_TICK_SECONDS", gt=0)
    http_port: int = Field(3000, alias="VIGIL_HTTP_PORT")
    timezone: str = Field("UTC", alias="VIGIL_TIMEZONE")
    log_level: str = Field("INFO", alias="VIGIL_LOG_LEVEL")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    telegram_mode: str = Field("polling", alias="TELEGRAM_MODE", pattern="^(polling|webhook)$")
    telegram_webhook_url: str | None = Field(None, alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(None, alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_api_url: str | None = Field(None, alias="TELEGRAM_API_URL")
    # A notice the platforms keep refusing with transient errors fails after this long.
    notice_max_age_hours: float = Field(72.0, alias="VIGIL_NOTICE_MAX_AGE_HOURS", gt=0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
