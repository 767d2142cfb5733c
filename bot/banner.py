"""Where you are: the few lines ``vigil run`` prints at start and ``vigil status`` repeats.

The database, which chat platforms are on (and, when one is off, why), the
port Vigil listens on, and the next thing to try. Decided from the settings
alone (plus a count of what the database holds), so it can be printed before
anything connects and tested without a network.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config import Settings


@dataclass(frozen=True)
class PlatformState:
    """One chat platform as configured: on or off, how, and what to do about it."""

    name: str
    on: bool
    how: str  # "Socket Mode", "long polling", or why it is off
    needs_port: bool = False


@dataclass(frozen=True)
class Where:
    """Everything the banner says, as data (``vigil status --json``)."""

    database: str
    workspaces: int | None  # None: the database could not be read
    tasks: int | None
    platforms: tuple[PlatformState, ...]
    port: int
    next_steps: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "database": self.database,
            "workspaces": self.workspaces,
            "tasks": self.tasks,
            "platforms": {p.name.lower(): {"on": p.on, "how": p.how} for p in self.platforms},
            "port": self.port,
            "next": list(self.next_steps),
        }


def slack_state(settings: Settings) -> PlatformState:
    """Slack's mode from the settings, or why it stays off."""
    oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    if settings.slack_bot_token is None and not oauth:
        return PlatformState("Slack", False, "off — SLACK_BOT_TOKEN is not set")
    if settings.slack_bot_token is not None and settings.slack_app_token is not None:
        return PlatformState("Slack", True, "on — Socket Mode")
    if settings.slack_signing_secret is None:
        return PlatformState("Slack", False, "off — HTTP mode needs SLACK_SIGNING_SECRET "
                                             "(or set SLACK_APP_TOKEN for Socket Mode)")
    mode = "HTTP, OAuth install at /slack/install" if settings.slack_bot_token is None else "HTTP"
    return PlatformState("Slack", True, f"on — {mode}", needs_port=True)


def telegram_state(settings: Settings) -> PlatformState:
    """Telegram's mode from the settings, or why it stays off."""
    if settings.telegram_bot_token is None:
        return PlatformState("Telegram", False, "off — TELEGRAM_BOT_TOKEN is not set")
    if settings.telegram_mode == "webhook":
        if settings.telegram_webhook_secret is None:
            return PlatformState("Telegram", False,
                                 "off — TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET")
        return PlatformState("Telegram", True, "on — webhook at /telegram/webhook",
                             needs_port=True)
    return PlatformState("Telegram", True, "on — long polling")


def _next_steps(platforms: tuple[PlatformState, ...], workspaces: int | None) -> tuple[str, ...]:
    steps: list[str] = []
    if workspaces == 0:
        steps.append("`vigil demo` plays two weeks of a sample accounting firm in seconds")
    steps.append("`vigil console` chats with Vigil in this terminal")
    off = [p.name for p in platforms if not p.on]
    if off:
        steps.append("to connect " + " or ".join(off) + " see README → "
                     + " / ".join(off) + " (set the tokens in .env)")
    return tuple(steps)


def where(settings: Settings, counts: tuple[int, int] | None) -> Where:
    """The banner's facts. ``counts``: (workspaces, tasks), or None if the database failed."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(settings.database_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given, minus nothing secret to hide
        database = "(invalid VIGIL_DATABASE_URL)"
    platforms = (slack_state(settings), telegram_state(settings))
    port = settings.http_port  # `vigil run` always serves /healthz, /readyz and /metrics
    return Where(
        database=database,
        workspaces=counts[0] if counts else None,
        tasks=counts[1] if counts else None,
        platforms=platforms,
        port=port,
        next_steps=_next_steps(platforms, counts[0] if counts else None),
    )


def render(w: Where, heading: str = "Vigil") -> str:
    """The banner as plain lines (no markup: it also goes to logs and files)."""
    if w.workspaces is None:
        held = "could not be read"
    else:
        held = f"{w.workspaces} workspace{'s' if w.workspaces != 1 else ''}, {w.tasks} task" + (
            "s" if w.tasks != 1 else "")
    lines = [heading, f"  database  {w.database} ({held})"]
    for p in w.platforms:
        lines.append(f"  {p.name:<9} {p.how}")
    served = ["/healthz", "/readyz", "/metrics"] + [
        {"Slack": "/slack/events", "Telegram": "/telegram/webhook"}[p.name]
        for p in w.platforms if p.on and p.needs_port]
    lines.append(f"  port      {w.port} (VIGIL_HTTP_PORT): {', '.join(served)}")
    for i, step in enumerate(w.next_steps):
        lines.append(f"  {'next' if i == 0 else '':<9} {step}")
    return "\n".join(lines)


def database_counts(engine: Engine) -> tuple[int, int] | None:
    """(workspaces, tasks) in the database, or None when it cannot be read."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            spaces = conn.execute(text("SELECT count(*) FROM workspaces")).scalar_one()
            tasks = conn.execute(text("SELECT count(*) FROM tasks")).scalar_one()
    except SQLAlchemyError:
        return None
    return int(spaces), int(tasks)


def banner(settings: Settings, engine: Engine, heading: str = "Vigil") -> str:
    """The start banner for this configuration and database."""
    return render(where(settings, database_counts(engine)), heading)
