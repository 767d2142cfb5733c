"""My Tasks (short form) and help."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bot.handlers.request import Request
from bot.language.capture import is_self_statement
from bot.messages import Outgoing
from bot.views.my_tasks import my_tasks
from engine import calendar as cal_ops
from engine.model import Status, Task, WorkCalendar

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
• snooze #14 until Monday — mute its reminders (it stays open until fixed)
• undo — puts back your last change to the task we just talked about
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
Or just say it: call the Acme CFO 11am Sunday · what's due this week? · what is overdue?
· I'm stuck on #14, waiting for the bank · can we move #14 to Dec 10?
When I ask you something, just reply (cancel drops my question).
In the console: /as Priya switches to Priya · a number presses a button · /quit"""

EXAMPLES = ('I did not understand that. Try for example "add Send the Acme filing @sam by Friday", '
            '"Acme filing is 60% done", "done #14" or "what\'s on my plate?". Type help for more.')


def list_tasks(req: Request, owner: str | None, project: str | None,
               scope: str | None = None) -> Outgoing:
    """My Tasks (``tasks``, ``tasks @person``, ``tasks #project``): see bot.views.my_tasks.

    ``scope`` narrows it to what a question asked: "overdue", "due_today",
    "due_this_week" (overdue work included: it is due too), "due_next_week", "blocked".
    """
    if scope is None:
        return my_tasks(req, owner, project)
    where, label = scope_filter(req, scope)
    return my_tasks(req, owner, project, where=where, label=label,
                    scope=SCOPE_WORDS.get(scope, scope.replace("_", " ")))


# How an empty scoped answer names what was asked: "Nothing overdue that concerns you."
SCOPE_WORDS = {"blocked": "blocked", "overdue": "overdue", "due_today": "due today or overdue",
               "due_this_week": "due this week or overdue", "due_next_week": "due next week"}


def scope_filter(req: Request, scope: str) -> tuple[Callable[[Task], bool], str]:
    """Which tasks a scope keeps, and the words for the list's headline."""
    cal = WorkCalendar(tz=req.tz)
    today = cal_ops.to_local(cal, req.now).date()
    if scope == "blocked":
        return (lambda t: t.status is Status.BLOCKED), " that are blocked"
    if scope == "overdue":
        return (lambda t: t.due is not None and t.due < req.now), " that are overdue"
    if scope == "due_today":
        end = _midnight_after(cal, today)
        return (lambda t: t.due is not None and t.due < end), " due today (or overdue)"
    monday = today - timedelta(days=today.weekday())
    if scope == "due_next_week":
        start, end = _midnight_after(cal, monday + timedelta(days=6)), _midnight_after(
            cal, monday + timedelta(days=13))
        return (lambda t: t.due is not None and start <= t.due < end), " due next week"
    end = _midnight_after(cal, monday + timedelta(days=6))
    return (lambda t: t.due is not None and t.due < end), " due this week (or overdue)"


def _midnight_after(cal: WorkCalendar, day: date) -> datetime:
    return cal_ops.from_local(cal, datetime.combine(day + timedelta(days=1), time(0)))


def help_text() -> Outgoing:
    return Outgoing.say(HELP)


# "hi", "hey vigil", "good morning 👋": a greeting, answered in two lines, not the help wall
# (on a phone the 30-line list buries the one thing a newcomer needs: what to say first).
_GREETING_RE = re.compile(
    r"^(?:hi+|hello+|hey+|hiya|howdy|yo|heya|greetings|(?:good\s+)?(?:morning|afternoon|evening))"
    r"(?:\s+(?:there|all|everyone|team|again|vigil|@vigil))*$", re.I)


def is_greeting(text: str) -> bool:
    """Whether the message is only a greeting ("hi", "Hey Vigil!", "good morning 👋")."""
    words = re.sub(r"[\s.!,:;👋🙂😊]+$", "", text.strip().lstrip("👋 ")).replace(",", " ")
    return bool(_GREETING_RE.match(" ".join(words.split())))


def greeting(req: Request) -> Outgoing:
    """A short hello: what Vigil does, one thing to try, and how to see the rest."""
    return Outgoing.say(
        f"Hi {req.person.name.split()[0]} 👋 I keep track of your team's work and chase what "
        "slips.\nTry \"ask Priya to send the Acme filing by Friday\" or \"what's on my plate?\" "
        "— help lists the rest.")


SELF_STATEMENT = ("Noted — that is news, not a task, so I made none. If it changes a task, "
                  "tell me how: \"move #14 to Monday\", \"#14 is blocked, waiting for the "
                  "client\" or \"give #14 to Priya\".")


def not_understood(text: str = "") -> Outgoing:
    """The reply to words Vigil cannot act on: examples, or for "I can't make the meeting
    tomorrow" (news about work) the updates it may mean."""
    return Outgoing.say(SELF_STATEMENT if is_self_statement(text) else EXAMPLES)


# "thanks", "ok", "cheers" in a DM: a short kind reply, never the help blurb.
_THANKS = frozenset({"thanks", "thank you", "thankyou", "thanks a lot", "thanks so much",
                     "thank you so much", "many thanks", "thx", "ty", "ta", "cheers",
                     "cheers mate", "much appreciated", "appreciated", "thanks!"})
_BYES = frozenset({"bye", "bye bye", "byee", "goodbye", "good bye", "see you", "see ya", "cya",
                   "later", "laters", "good night", "night", "gn", "have a good one",
                   "have a good evening", "have a good weekend", "talk soon", "ttyl", "👋"})
_ACKS = frozenset({"ok", "okay", "k", "kk", "ok thanks", "okay thanks", "ok cool", "cool",
                   "great", "nice", "perfect", "got it", "noted", "sounds good", "awesome",
                   "brilliant", "lovely", "alright", "all right", "fine", "sure thing", "np",
                   "no worries", "no problem", "will do", "roger", "understood", "👍", "🙏",
                   "👌", "🙂", "😊", "great thanks", "perfect thanks", "ok ty", "gotcha"})


def pleasantry(text: str) -> Outgoing | None:
    """'👍' to "ok", "You're welcome 🙂" to "thanks"; None for anything else."""
    words = " ".join(text.lower().replace("’", "'").strip(" .!,").split()).rstrip(" .!,")
    if words in _THANKS or any(words.startswith(t + " ") and words[len(t) + 1:] in
                               ("vigil", "a lot", "so much", "mate", "again", "👍", "🙏")
                               for t in ("thanks", "thank you", "cheers")):
        return Outgoing.say("You're welcome 🙂")
    if words.removesuffix(" vigil").rstrip(" ,") in _BYES:
        return Outgoing.say("👋 Bye — I'll keep an eye on the work meanwhile.")
    return Outgoing.say("👍") if words in _ACKS else None
