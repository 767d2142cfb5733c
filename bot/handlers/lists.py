"""My Tasks (short form) and help."""

from __future__ import annotations

from bot.handlers.request import Request
from bot.messages import Outgoing
from bot.views.my_tasks import my_tasks

HELP = """Here is what I understand — one example each (commands or plain words):
Tasks
• add Send the Acme filing @sam by Friday #Acme p1 — a new task
• every Monday 9am: payroll check @sam — recurring work (backup: your manager)
• progress #14 60% — or "Acme filing is 60% done"
• done #14 — or "finished the Q3 filing"
• block #14 waiting for bank statements · unblock #14
• assign #14 @priya · take #14 (work nobody owns)
• due #14 next Monday · note #14 called the client
• rename #14 Send the Q4 filing
• cancel #14 client withdrew · reopen #14 · delete #14 (asks first)
Seeing work
• tasks (My Tasks) · tasks @sam · tasks #Acme · show #14
• standup · board · gantt · team · projects
People and set-up
• invite Priya as manager reports to @marcus — or "add Priya to the team"
• people · role @sam manager · reports @sam to @marcus — or "Sam reports to me"
• project add Acme @marcus due 31 Dec
• ooo until Friday backup @leo — or "I'm on holiday next week"
• ooo off — or "back in the office"
• settings · settings task.stalled.after 48h
When I ask you something, just reply (cancel drops my question).
In the console: /as Priya switches to Priya · a number presses a button · /quit"""

EXAMPLES = ('I did not understand that. Try for example "add Send the Acme filing @sam by Friday", '
            '"Acme filing is 60% done", "done #14" or "what\'s on my plate?". Type help for more.')


def list_tasks(req: Request, owner: str | None, project: str | None) -> Outgoing:
    """My Tasks (``tasks``, ``tasks @person``, ``tasks #project``): see bot.views.my_tasks."""
    return my_tasks(req, owner, project)


def help_text() -> Outgoing:
    return Outgoing.say(HELP)


def not_understood() -> Outgoing:
    return Outgoing.say(EXAMPLES)
