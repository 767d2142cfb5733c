"""The corpus of real phrasings (corpus.yaml) read with a fixed now and zone per case.

Each case is read the way the chat reads it (``bot.conversation_preview.understand``:
the named handlers first, then the parser), so "add Ben as staff" is graded as the
invitation the chat makes, not as whatever the parser alone would say. The suite
fails when fewer cases are fully right than the README states, so the figure there
stays true.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.conversation_preview import understand
from bot.language.corpus import CORPUS_PATH, load, run

README = Path(__file__).resolve().parents[3] / "README.md"
_FIGURE_RE = re.compile(r"corpus of (\d+) real phrasings[^%]*?: (\d+(?:\.\d+)?)% fully right")


def _readme_figure() -> tuple[int, float]:
    m = _FIGURE_RE.search(README.read_text(encoding="utf-8"))
    assert m, "README must state the corpus figure ('corpus of N real phrasings …: X% fully right')"
    return int(m.group(1)), float(m.group(2))


def test_corpus_has_at_least_300_cases_each_with_a_known_source() -> None:
    cases = load(CORPUS_PATH)  # raises on a case without a known source or with a stray key
    assert len(cases) >= 300
    assert len({c.text + c.tz + str(c.now) for c in cases}) == len(cases), "duplicate cases"


def test_corpus_accuracy_is_at_least_the_readme_figure() -> None:
    cases = load(CORPUS_PATH)
    outcomes = run(cases, understand)
    right = sum(1 for o in outcomes if o.kind is None)
    accuracy = 100.0 * right / len(outcomes)
    size, figure = _readme_figure()
    misses = "\n".join(f"{o.kind}: {o.case.text!r} -> {o.got}" for o in outcomes if o.kind)
    assert size == len(cases), f"README names {size} cases, the corpus has {len(cases)}"
    assert round(accuracy, 1) >= figure, f"{accuracy:.1f}% < README {figure}%\n{misses}"


def test_a_stray_field_or_a_date_left_in_the_title_is_a_miss() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.language.corpus import Case, grade
    from bot.language.model import ParsedIntent

    now = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/London"))
    case = Case("call mom tomorrow", "design", "create_task", now, "Europe/London", "ana", None,
                True, {"title": "Call mom", "due": "2026-11-25 17:00"})
    right = ParsedIntent("create_task", title="Call mom",
                         due=datetime(2026, 11, 25, 17, tzinfo=ZoneInfo("Europe/London")))
    assert grade(case, right).kind is None
    stray = ParsedIntent("create_task", title="Call mom", owner="ana", due=right.due)
    assert grade(case, stray).wrong == ("owner",)
    left_in = ParsedIntent("create_task", title="Call mom tomorrow", due=right.due)
    assert grade(case, left_in).kind == "title"
    assert grade(case, ParsedIntent("unknown")).kind == "intent"
