"""Column types shared by the models: aware-UTC instants and tolerant JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def require_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` in UTC; raise ValueError when it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def check_instants(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise every datetime among ``values`` to UTC (ValueError on naive ones)."""
    return {
        key: require_aware(v, key) if isinstance(v, datetime) else v for key, v in values.items()
    }


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL stores ``timestamptz``; SQLite stores the naive UTC wall time
    (a fixed-width string, so comparisons and ordering stay correct).
    Naive input is refused with ValueError.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        value = require_aware(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """SQLite: the text SQLAlchemy writes ('2026-03-10 12:00:00.000000', always that
        wide, or '2026-03-10 12:00:00') parsed to an aware instant in one step, NULL
        passed through at once; any other text the usual way.

        Reading a workspace converts millions of instants: the two-step path (parse,
        then attach the zone in Python) was a tenth of a full check's time.
        """
        usual = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or usual is None:
            return usual
        parse = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if value.__class__ is str and (len(value) == 26 or len(value) == 19):
                # Parsed with its zone: far cheaper than .replace(tzinfo=UTC) afterwards.
                # 19 wide: the same without microseconds (as bulk writers store them).
                return parse(value + "+00:00")
            return usual(value)  # type: ignore[no-any-return]

        return process


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return (require_aware(value) if value.tzinfo else value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_dumps(value: object) -> str:
    """JSON for the database: datetimes as ISO text, enums as their value."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)
