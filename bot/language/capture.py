"""New tasks without a command verb (DESIGN.md §8, issue #12 item 2), as Todoist's Quick Add.

``parse_remind`` reads Slack-style reminders ("remind @omar about the interview in
three hours", "/remind @peter "Please review the draft" tomorrow"). ``capture``
runs last, in a direct message only: text that is no command, update or
question becomes a task. Without a date or cadence the reading is uncertain and
``confirm`` is set, so Vigil shows what it would create with one tap to create it.
Questions, greetings and thanks are never captured.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.language.commands import VERBS
from bot.language.fields import Context, handle, parse_add
from bot.language.model import ParsedIntent

MAX_CAPTURE = 280
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_WHO = r"@[A-Za-z0-9][\w.\-]*|me|myself|[A-Za-z][\w.\-]*"
_REMIND_RE = re.compile(
    rf"^/?(?:remind|ping|nudge)\s+(?P<who>{_WHO})\s+(?:(?:about|of|that|re:?)\s+)?(?P<rest>.+)$",
    re.I | re.S,
)
# Verbs of §7 handled before the parser or by other modules (people, lifecycle): a message
# starting with one is that command gone wrong, never a task to capture.
_OTHER_VERBS = frozenset(
    """cancel reopen delete remove rename invite projects people role reports ooo
    settings undo""".split()
)
# Command verbs that are also everyday words: "finish report tomorrow 5pm", "close the till
# at 5pm", "show the client the demo on Friday" are tasks when the command did not fit.
_EVERYDAY_VERBS = frozenset({"finish", "complete", "close", "show", "view", "list", "note",
                             "comment", "start", "new"})
# View verbs that are also a title's first word, captured only with a deadline said:
# "Standup at 09:30 tomorrow", "Team meeting on Sept 25" ("board meeting" alone: help)
_DATED_NOUNS = frozenset({"standup", "stand-up", "board", "kanban", "timeline", "gantt", "team"})
# "take #14" / "take it" claim a task; "take out the trash" is one (the handler claims a task
# whose title the words name before the parser is asked).
_TAKE_TASK_RE = re.compile(r"^/?take\s+(?:#\d|(?:it|this|that)(?:\s+one)?$)", re.I)
# A stand-up line saying nothing is in the way: no task ("Blockers: none", "no blockers").
_NO_BLOCKERS_RE = re.compile(r"^(?:no\s+blockers?|blockers?\s*[:\-]?\s*(?:none|nothing|no|n/?a))$",
                             re.I)
# The writer saying what they cannot do or did not do ("I can't make the Harlow meeting
# tomorrow", "I won't be able to finish the filing by Friday", "I didn't get the statements"):
# news about work, never a task to do (the reply suggests the update it may mean).
_SELF_STATEMENT_RE = re.compile(
    r"^(?:i|we)\s*(?:can\s*'?\s*t|cannot|can\s+not|won\s*'?\s*t|will\s+not|didn\s*'?\s*t"
    r"|did\s+not|couldn\s*'?\s*t|could\s+not|haven\s*'?\s*t|have\s+not|wasn\s*'?\s*t"
    r"|was\s+not|'?m\s+not|am\s+not|'?re\s+not|are\s+not|'?ll\s+miss|will\s+miss|missed"
    r"|never)\b",
    re.I,
)
_NOT_A_PERSON = frozenset(
    """next this today tomorrow tonight on at in by every each the a an monday tuesday wednesday
    thursday friday saturday sunday""".split()
)
_NAME_TO_RE = re.compile(r"^(?P<who>@?[A-Za-z][\w.\-]*)\s+to\s+(?P<rest>\S.+)$", re.I | re.S)
# A question word, or an auxiliary before a subject ("do I have…", "is it…"); "do this
# tomorrow" and "have lunch with Sam" are things to do.
_QUESTION_RE = re.compile(
    r"^(?:what|who|whom|whose|which|when|where|why|how|any"
    r"|(?:is|are|was|were|am|can|could|would|will|should|shall|do|does|did|have|has)\s+"
    r"(?:i|you|we|they|he|she|it|there|anyone|anybody|someone|everyone|vigil)\b)\b",
    re.I,
)
_PLEASANTRIES = frozenset(
    {"thanks", "thank you", "thx", "ty", "ok", "okay", "k", "cool", "great", "nice", "lol",
     "yes", "no", "yep", "nope", "sure", "np", "no problem", "got it", "ok thanks", "cheers",
     "bye", "good night", "sounds good", "perfect", "awesome", "ok cool", "will do", "noted"}
)
# A word before "to" that is not a person: "go to the bank", "reply to Omar".
_NOT_NAMES = frozenset(
    """i we you they he she it this that there here go went talk speak reply write send move push
    need needs want wants have has had got going back up out how what where when why who due next
    time add remind ask tell listen come walk drive fly run travel return respond switch change
    upgrade migrate get used trying try plan planning decide start ready able nothing something
    anything everything welcome sorry happy nice good great glad keen hard easy""".split()
)


def is_self_statement(text: str) -> bool:
    """True for what the writer cannot or did not do ("I can't make the meeting tomorrow")."""
    return bool(_SELF_STATEMENT_RE.match(text.strip().replace("’", "'")))


def parse_remind(text: str, ctx: Context) -> ParsedIntent | None:
    """'remind <someone> [about] <what and when>' in any order of what and when."""
    m = _REMIND_RE.match(text)
    if m is None:
        return None
    who, rest = m.group("who"), m.group("rest")
    if who.lower() in _NOT_A_PERSON:  # "remind next Friday meeting": the speaker is meant
        who, rest = "me", text[m.start("who") :]
    parsed = parse_add(rest, ctx, owner=handle(who, ctx))
    return parsed if parsed.title else None


def capture(text: str, ctx: Context) -> ParsedIntent | None:
    """A direct message that nothing else understood, read as a new task (or None).

    Not captured: questions, greetings and thanks, single words, text without a
    word of letters, text longer than MAX_CAPTURE characters (a message, not a
    to-do) and text that starts with a command verb whose arguments did not fit
    ("progress #14": the person meant the command, so they get the help reply).
    """
    bare = text.strip().rstrip("!. ")
    if not bare or len(bare) > MAX_CAPTURE or text.rstrip().endswith("?"):
        return None
    first = bare.split()[0].lstrip("/").lower()
    if first in _DATED_NOUNS:
        parsed = parse_add(bare, ctx)
        return parsed if parsed.title and parsed.due is not None else None
    if (first in VERBS and first not in _EVERYDAY_VERBS) or first in _OTHER_VERBS:
        return None
    if first == "take" and _TAKE_TASK_RE.match(bare):
        return None  # "take #14", "take it": the take command (bot.handlers.lifecycle)
    if bare.lower() in _PLEASANTRIES or not _WORD_RE.search(bare) or _NO_BLOCKERS_RE.match(bare):
        return None
    if _QUESTION_RE.match(bare) or len(bare.split()) < 2 or is_self_statement(bare):
        return None
    owner = None
    m = _NAME_TO_RE.match(bare)
    if m and m.group("who").lstrip("@").lower() not in _NOT_NAMES:
        owner, bare = handle(m.group("who"), ctx), m.group("rest")
    parsed = parse_add(bare, ctx, owner=owner)
    if not parsed.title:
        return None
    uncertain = parsed.due is None and parsed.recurrence is None
    if uncertain or parsed.confirm:
        return replace(parsed, confirm=True)
    return parsed
