"""My Tasks (short form) and help."""

from __future__ import annotations

from bot.handlers.request import Request
from bot.messages import Outgoing
from bot.views.my_tasks import my_tasks

HELP = """Here is what I understand (commands or plain words):
• add Send the Acme filing @sam by Friday #Acme p1 — a new task
  (also: every monday 9am, under #12, after #11, proof: photo)
• progress #14 60% — or "Acme filing is 60% done"
• done #14 — or "finished the Q3 filing"
• block #14 waiting for bank statements · unblock #14
• assign #14 @priya · due #14 next Monday · note #14 called the client
• show #14 · tasks · tasks @sam · tasks #Acme · board · gantt · team
• project add Acme @marcus due 31 Dec · people · role @sam manager · reports @sam to @marcus
• ooo until Friday backup @leo · settings · settings task.stalled.after 48h"""

EXAMPLES = ('I did not understand that. Try for example "add Send the Acme filing @sam by Friday", '
            '"Acme filing is 60% done", "done #14" or "what\'s on my plate?". Type help for more.')


def list_tasks(req: Request, owner: str | None, project: str | None) -> Outgoing:
    """My Tasks (``tasks``, ``tasks @person``, ``tasks #project``): see bot.views.my_tasks."""
    return my_tasks(req, owner, project)


def help_text() -> Outgoing:
    return Outgoing.say(HELP)


def not_understood() -> Outgoing:
    return Outgoing.say(EXAMPLES)
