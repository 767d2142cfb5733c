"""The corpus of real phrasings (tests/bot/language/corpus.yaml) and how a parse is graded.

A case is fully right when the intent and every field match: fields a case does
not name must come out null (``confirm`` false), so a stray owner or a date left
in the title counts as a miss. ``due`` is written as local wall-clock time in the
case's zone ("2026-11-27 17:00") and compared as an instant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bot.language.dates import DateNotUnderstood, zone_for
from bot.language.model import ParsedIntent

CORPUS_PATH = Path(__file__).resolve().parents[2] / "tests" / "bot" / "language" / "corpus.yaml"

GRADED_FIELDS: tuple[str, ...] = (
    "task",
    "title",
    "owner",
    "due",
    "progress",
    "project",
    "priority",
    "reason",
    "note",
    "recurrence",
    "proof",
    "parent",
    "depends_on",
    "backup",
    "scope",
    "confirm",
    "due_options",
)
_CASE_KEYS = frozenset(
    {"src", "text", "intent", "now", "tz", "speaker", "order", "direct", "heldout"}
)


@dataclass(frozen=True)
class Case:
    """One phrasing, where it came from, the context it is said in and the reading expected."""

    text: str
    source: str
    intent: str
    now: datetime
    tz: str
    speaker: str
    date_order: str | None
    direct: bool
    expected: dict[str, Any] = field(default_factory=dict)
    heldout: bool = False  # gathered after the parser work: graded as found, not tuned on


@dataclass(frozen=True)
class Outcome:
    """A graded parse: ``kind`` is None when fully right, else the first thing that is wrong."""

    case: Case
    kind: str | None
    got: dict[str, Any]
    wrong: tuple[str, ...] = ()


def load(path: Path = CORPUS_PATH) -> list[Case]:
    """Read the corpus; a case naming an unknown source or key is an error (ValueError)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults, sources = data["defaults"], data["sources"]
    cases: list[Case] = []
    for raw in data["cases"]:
        if raw.get("src") not in sources:
            raise ValueError(f"case {raw.get('text')!r} names no known source")
        unknown = set(raw) - _CASE_KEYS - set(GRADED_FIELDS)
        if unknown:
            raise ValueError(f"case {raw['text']!r} has unknown keys {sorted(unknown)}")
        tz = raw.get("tz", defaults["tz"])
        zone = zone_for(tz)
        now = datetime.fromisoformat(raw.get("now", defaults["now"])).replace(tzinfo=zone)
        expected = {k: raw[k] for k in GRADED_FIELDS if k in raw}
        cases.append(
            Case(
                text=raw["text"],
                source=raw["src"],
                intent=raw["intent"],
                now=now,
                tz=tz,
                speaker=raw.get("speaker", defaults["speaker"]),
                date_order=raw.get("order"),
                direct=raw.get("direct", True),
                expected=expected,
                heldout=bool(raw.get("heldout", False)),
            )
        )
    return cases


def _local(value: str, tz: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=zone_for(tz))


def _expected_value(case: Case, key: str) -> Any:
    value = case.expected.get(key)
    if key == "confirm":
        return bool(value)
    if key in ("depends_on", "due_options"):
        items = tuple(value or ())
        return tuple(_local(v, case.tz) for v in items) if key == "due_options" else items
    if key == "due" and value is not None:
        return _local(value, case.tz)
    return value


def _got_value(parsed: ParsedIntent, key: str) -> Any:
    value = getattr(parsed, key)
    if key in ("depends_on", "due_options"):
        return tuple(value)
    return value


def grade(case: Case, parsed: ParsedIntent) -> Outcome:
    """Compare a parse with the case: intent first, then every graded field."""
    got = parsed.as_json()
    if parsed.intent != case.intent:
        return Outcome(case, "intent", got, ("intent",))
    wrong = tuple(
        key for key in GRADED_FIELDS if _got_value(parsed, key) != _expected_value(case, key)
    )
    return Outcome(case, wrong[0] if wrong else None, got, wrong)


Parser = Callable[..., ParsedIntent]


def run(cases: Sequence[Case], parser: Parser) -> list[Outcome]:
    """Parse and grade every case; a parse that raises DateNotUnderstood is a "date error" miss."""
    outcomes: list[Outcome] = []
    for case in cases:
        try:
            parsed = parser(
                case.text,
                case.now,
                case.tz,
                case.speaker,
                date_order=case.date_order,
                direct=case.direct,
            )
        except DateNotUnderstood as exc:
            outcomes.append(Outcome(case, "date error", {"error": str(exc)}, ("due",)))
            continue
        outcomes.append(grade(case, parsed))
    return outcomes


def expected_json(case: Case) -> dict[str, Any]:
    """The expected reading as the non-null fields, for printing misses."""
    shown: dict[str, Any] = {"intent": case.intent}
    for key, value in case.expected.items():
        shown[key] = value
    return shown
