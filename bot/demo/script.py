"""What the people of Ledger & Co say and press during the two demo weeks.

Each step is a real chat message or a real press of a button Vigil sent that
person (found by its label in the last message that carried it). ``{ref}``
in a message is replaced by the task's number, ``{ref@today}`` by the number
of today's occurrence of recurring work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Step:
    """At a local time, a person says something or presses a button."""

    at: datetime
    who: str
    say: str | None = None
    press: str | None = None  # the start of a button label
    about: str | None = None  # the task ref whose notice holds the button


def _d(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


def _opening(day: int, hour: int = 7, minute: int = 35) -> Step:
    return Step(_d(day, hour, minute), "Aisha", say="done {opening@today}")


STEPS: tuple[Step, ...] = (
    # Week one. Monday: the filing moves to 40% and then nobody touches it.
    _opening(2),
    Step(_d(2, 9, 10), "Priya", say="progress {filing} 40%"),
    Step(_d(2, 9, 40), "Sam", press="Move subtask", about="recon"),
    Step(_d(2, 11, 0), "Sam", say="block {payroll} waiting for the HMRC agent code"),
    _opening(3),
    Step(_d(3, 10, 0), "Sam", say="progress {receipts} 80%"),
    Step(_d(3, 14, 0), "Priya", say="progress {yearend} 20%"),
    # Wednesday: Aisha is at the dentist and nobody opens the office by nine.
    Step(_d(4, 10, 30), "Aisha", say="done {opening@today}"),
    Step(_d(4, 11, 0), "Sam", say="progress {recon} 30%"),
    # Thursday, day four: the filing has not moved since Monday.
    _opening(5),
    Step(_d(5, 11, 20), "Priya", say="progress {filing} 60%"),
    Step(_d(5, 14, 0), "Priya", say="progress {yearend} 40%"),
    Step(_d(5, 15, 0), "Sam", say="done {receipts}"),
    Step(_d(5, 16, 0), "Leo", say="progress {harlow_tax} 50%"),
    _opening(6),
    Step(_d(6, 9, 30), "Marcus", say="assign {forecast} @priya"),
    Step(_d(6, 10, 0), "Tom", say="note {renewal} asked the broker for this year's quote"),
    Step(_d(6, 15, 0), "Leo", say="progress {acme_review} 90%"),
    # Week two. Monday: the agent code came; payroll moves again.
    _opening(9),
    Step(_d(9, 9, 45), "Sam", say="unblock {payroll}"),
    Step(_d(9, 10, 30), "Priya", say="progress {forecast} 70%"),
    Step(_d(9, 11, 0), "Leo", say="done {acme_review}"),
    Step(_d(9, 16, 0), "Leo", say="done {harlow_tax}"),
    _opening(10),
    Step(_d(10, 9, 30), "Priya", say="progress {yearend} 60%"),
    Step(_d(10, 10, 0), "Sam", say="progress {payroll} 60%"),
    Step(_d(10, 10, 5), "Tom", press="Acknowledge", about="renewal"),
    Step(_d(10, 15, 0), "Priya", say="done {forecast}"),
    _opening(11),
    Step(_d(11, 10, 0), "Priya", say="progress {filing} 90%"),
    Step(_d(11, 11, 0), "Sam", say="progress {recon} 70%"),
    _opening(12),
    Step(_d(12, 11, 0), "Priya", say="progress {yearend} 85%"),
    Step(_d(12, 15, 0), "Priya", say="done {filing}"),
    _opening(13),
    Step(_d(13, 11, 0), "Sam", say="done {recon}"),
)
