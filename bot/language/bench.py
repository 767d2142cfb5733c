"""Latency of `parse` over the DESIGN.md examples: `python -m bot.language.bench [rounds]`.

Prints p50/p95/max milliseconds per message after warm_up(). Each round moves
``now`` on by a minute so dateparser's small cache cannot hide the real cost.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.language import parse, warm_up

EXAMPLES: tuple[str, ...] = (
    "remind Sam to send the Acme filing by Friday",
    "Acme filing is 60% done",
    "finished the Q3 filing",
    "done with #14",
    "blocked on bank statements for the Acme filing",
    "push the Acme filing to next Monday",
    "give the Acme filing to Priya",
    "what's on my plate?",
    "what is Sam working on",
    "show #14",
    "status of the Acme filing",
    "board",
    "timeline",
    "how is the team doing",
    "standup",
    "add Send invoice to Acme @sam #acme p2 by Friday",
    "/task add Check the fridge every weekday at 7am proof: photo",
    "add Review contract under #12 after #11 next Monday 3pm",
    "add file VAT return end of month !high",
    "due Acme filing next Monday 3pm",
    "progress #14 60%",
    "block #14 waiting for bank statements",
    "assign #14 @sam",
    "note #14 called the bank",
    "tasks @sam",
    "asdkjh qwe zzz",
)


def run(rounds: int = 50) -> dict[str, float]:
    """Time every example ``rounds`` times; return p50, p95 and max in milliseconds."""
    t0 = time.perf_counter()
    warm_up(zones=("Europe/London",))
    warm_ms = (time.perf_counter() - t0) * 1000
    base = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    samples: list[float] = []
    for i in range(rounds):
        now = base + timedelta(minutes=i)
        for text in EXAMPLES:
            start = time.perf_counter()
            parse(text, now, "Europe/London", "ana")
            samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return {
        "warm_up": warm_ms,
        "p50": cuts[49],
        "p95": cuts[94],
        "max": max(samples),
        "n": float(len(samples)),
    }


def main() -> None:
    """Print the numbers."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    r = run(rounds)
    print(
        f"warm_up {r['warm_up']:.0f} ms; {int(r['n'])} parses: "
        f"p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms, max {r['max']:.2f} ms"
    )


if __name__ == "__main__":
    main()
