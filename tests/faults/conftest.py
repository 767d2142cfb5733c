"""The fault suite: every module here sets ``pytestmark = pytest.mark.faults``; the
main run skips them (``addopts``) and CI runs them as a bounded job
(``pytest -m faults tests/faults``).

Each scenario counts what matters to a user — notices lost, notices sent
twice, replies that were internal errors — and prints one ``FAULTS`` line, so
the CI log carries the measurements quoted in docs/reliability.md.
"""

from __future__ import annotations


def report(scenario: str, **figures: object) -> None:
    """One measurement line, e.g. ``FAULTS slack-429: lost 0/200, duplicated 0/200``."""
    print(f"\nFAULTS {scenario}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
