"""The workspace's language settings, read for the parser (the parser itself stays pure)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.language.zones import order_for_zone

SETTING = "language.date_order"


def date_order(settings: Mapping[str, object], workspace_tz: str) -> str:
    """DMY, MDY or YMD: the workspace's setting, else from its zone's country."""
    chosen = str(settings.get(SETTING, "auto") or "auto").upper()
    if chosen in ("DMY", "MDY", "YMD"):
        return chosen
    return order_for_zone(workspace_tz)
