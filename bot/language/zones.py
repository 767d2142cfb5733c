"""Which order a zone's country writes numeric dates in (12/15 in New York, 3/12 in London).

The zone -> country table is the IANA zone.tab shipped with tzdata (a dependency);
it is read once. Month first: the United States and its territories, the
Philippines, Micronesia, the Marshall Islands, Palau. Year first: China, Japan,
the Koreas, Taiwan, Mongolia, Hungary, Lithuania, Iran. Day first everywhere else.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

MONTH_FIRST = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"})
YEAR_FIRST = frozenset({"CN", "JP", "KR", "KP", "TW", "MN", "HU", "LT", "IR"})
_US_LINKS = ("US/", "America/New_York", "America/Chicago", "America/Denver",
             "America/Los_Angeles", "America/Phoenix", "America/Anchorage", "Pacific/Honolulu")


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                table[parts[2]] = parts[0]
    return table


def country_of(tz: str) -> str | None:
    """The ISO country code of a zone, when zone.tab names one."""
    return _countries().get(tz)


def order_for_zone(tz: str) -> str:
    """DMY, MDY or YMD for a zone name; unknown zones are day first unless US-style."""
    country = country_of(tz)
    if country is None:
        return "MDY" if tz.startswith(_US_LINKS) else "DMY"
    if country in MONTH_FIRST:
        return "MDY"
    return "YMD" if country in YEAR_FIRST else "DMY"
