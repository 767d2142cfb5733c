"""#13: the accounting firm's first morning in the console, every reply read as a person would."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from adapters.console.adapter import ask_founder_name
from bot.clock import FixedClock
from bot.conversation import Conversation

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # Tuesday morning in London

MORNING: list[tuple[str, list[str]]] = [
    ("invite Priya, Sam, Leo and Ana",
     ["Added 4 people:\n• Priya (@priya)\n• Sam (@sam)\n• Leo (@leo)\n• Ana (@ana)",
      "You can give them work right away; I'll know them by name when they first write to me."]),
    ("Priya reports to me", ["Priya now reports to you."]),
    ("add Send the Acme VAT return @priya by Friday",
     ["Added #1 Send the Acme VAT return",
      "#1 Send the Acme VAT return — @priya · 0% · todo · due Fri 4 Dec 17:00",
      "[1] 25%  [2] 50%  [3] 75%  [4] Done  [5] Blocked"]),
    ("add Reconcile the Bolt bank account @sam",
     ["Added #2 Reconcile the Bolt bank account",
      "⚠ #2 Reconcile the Bolt bank account: missing deadline",
      "[1] +1 day  [2] +1 week  [3] Pick date…"]),
    ("add Payroll for December", ["Added #3 Payroll for December", "missing owner",
                                  "Assign to me"]),
    ("assign #3 @leo", ["#3 now belongs to Leo", "✅ cleared: #3 Payroll for December — "
                                                  "no longer missing owner"]),
    ("/as Sam", ["You are now Sam."]),
    ("show #2", ["#2 Reconcile the Bolt bank account — @sam · 0% · todo · no deadline",
                 "missing deadline (warning)", "[8] Pick date…", "History:",
                 "· Marcus · created"]),
    ("8", ["When should #2 Reconcile the Bolt bank account be done? (now: no deadline)",
           "Reply with a date, like Friday, 28 Dec or next Monday 3pm.",
           "(Reply here, or say cancel.)"]),
    ("Thursday", ["#2 is due Thu 3 Dec 17:00",
                  "✅ cleared: #2 Reconcile the Bolt bank account — no longer missing deadline"]),
    ("8", ["The last message has buttons 1 to 5; [8] belonged to an earlier message and has "
           "expired."]),
    ("/as Marcus", ["You are now Marcus."]),
    ("cancel #3 client moved payroll in-house",
     ["✖ Cancelled #3 Payroll for December (client moved payroll in-house).", "[1] Reopen"]),
    ("1", ["↺ Reopened #3 Payroll for December",
           "#3 Payroll for December — @leo · 0% · todo · no deadline"]),
    ("tasks", ["Your open tasks: nothing open, nothing waiting for an owner, nothing that "
               "needs you. 🎉"]),
    ("add Chase Bolt for bank statements", ["Added #4 Chase Bolt for bank statements"]),
    ("tasks", ["Your open tasks: none.", "Waiting for an owner (1)",
               "#4 Chase Bolt for bank statements", "[1] Assign…  [2] Take it"]),
    ("/as Pirya", ["Pirya isn't on the team (a typo? 'people' lists everyone). "
                   "Add Pirya to the team?", "[1] Add Pirya to the team"]),
    ("people", ["5 people:", "• Marcus (@marcus) — admin",
                "• Priya (@priya) — member, reports to Marcus", "• Ana (@ana) — member"]),
    ("what is overdue?", ["Nothing overdue that concerns you."]),
    ("what's due this week?", ["Nothing due this week or overdue that concerns you. "
                               "(For your team's work that is on track, say team.)"]),
    ("add Payroll", ["Added #5 Payroll"]),
    ("add Pirya", ["“Pirya” is close to Priya, who is on your team. Did you mean a task "
                   "called “Pirya”?", "[1] Create task “Pirya”  [2] Priya's tasks"]),
]


def test_the_accounting_firms_morning(uow):
    printed: list[str] = []
    name = ask_founder_name(read=lambda prompt: (printed.append(prompt), "Marcus")[1])
    console = ConsoleAdapter(Conversation(uow, FixedClock(NOW)), printed.append,
                             tz="Europe/London", name=name)
    console.run([])
    assert printed[0].startswith("Welcome to Vigil. What's your name? [")
    assert printed[-1] == "You are Marcus."
    for line, expected in MORNING:
        before = len(printed)
        console.feed(line)
        reply = "\n".join(printed[before:])
        for piece in expected:
            assert piece in reply, f"{line!r} -> {reply!r} lacks {piece!r}"
