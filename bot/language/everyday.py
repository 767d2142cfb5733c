"""Updates in everyday words (issue #12): "half done", "I'm stuck on X, waiting for Y", …

Tried after the questions and before DESIGN.md §8's sentence table. Progress
words map to percentages ("half" 50, "a quarter" 25, "three quarters" 75,
"started" 10); a number said with them wins ("almost done, like 95%").
"""

from __future__ import annotations

import re

from bot.language.dates import find_date
from bot.language.fields import Context, Rule, clean_ref, first_reading
from bot.language.given_names import NAMES
from bot.language.model import ParsedIntent

STARTED_PROGRESS = 10
NEARLY_DONE_PROGRESS = 90  # "nearly done", "almost finished": not done, most of the way
MOSTLY_DONE_PROGRESS = 75
_WORDS = {"half": 50, "halfway": 50, "a quarter": 25, "quarter": 25, "three quarters": 75,
          "three quarter": 75, "3/4": 75, "1/4": 25, "1/2": 50, "a third": 33, "two thirds": 67,
          "most": MOSTLY_DONE_PROGRESS}
_I = r"(?:i'?m|im|i\s+am|we'?re|we\s+are)"
_NOT_TASKS = frozenset({"i'm", "im", "i am", "we're", "we are", "all", "everything", "it", "that",
                        "this", "we", "i"})
_CUT = r"\s*(?:,|;|:|\s-\s|\s–\s|\s—\s)\s*"


def _task(text: str | None) -> str | None:
    ref = clean_ref(text)
    if ref is None or ref.lower() in _NOT_TASKS:
        return None
    return ref


def _progress(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    if task is None:
        return None
    g = m.groupdict()
    if g.get("n"):
        value = int(g["n"])
    elif g.get("words"):
        value = _WORDS[" ".join(g["words"].lower().split())]
    else:
        value = STARTED_PROGRESS
    if value > 100:
        return None
    who = (g.get("who") or "").lower()
    if who and who not in NAMES:  # "Acme is at 50% on the filing": no person named
        return None
    return ParsedIntent("update_progress", task=task, progress=value, owner=who or None)


def _block(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    reason = m.group("reason").strip(" .")
    return ParsedIntent("block", task=task, reason=reason or None) if task else None


def _unblock(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    return ParsedIntent("unblock", task=task) if task else None


_NOT_DONE_RE = re.compile(
    r"\d\s*%|\b(?:is|are|was|were|not|isn't|almost|nearly|half|quarter|be|been|get|getting"
    r"|when|if|until|once|will|should|must|need|needs)\b",
    re.I,
)


def _complete(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    if task is None or _NOT_DONE_RE.search(task):
        return None
    return ParsedIntent("complete", task=task)


def _deadline(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    reading = ctx.when(m.group("date"))
    if task is None or reading is None:
        return None
    return ParsedIntent("set_deadline", task=task, due=reading.at, confirm=bool(reading.options),
                        due_options=reading.options)


def _note(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = _task(m.group("task"))
    note = m.group("note").strip()
    return ParsedIntent("add_note", task=task, note=note or None) if task else None


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_PCT = r"(?P<n>\d{1,3})\s*(?:%|percent|pct)"
_AMOUNT = (r"(?P<words>half|halfway|a\s+quarter|quarter|three\s+quarters?|3/4|1/4|1/2|a\s+third"
           r"|two\s+thirds|most)")
_ABOUT = r"(?:(?:about|around|roughly|approx\.?|approximately|maybe|like|nearly|almost|~)\s*)?"
_THROUGH = r"(?:of\s+the\s+way\s+)?(?:through|done\s+with|into|with|on|of)"
_I_HAVE = r"(?:(?:i|we)(?:'ve|\s+have)?\s+|i'?ve\s+|we'?ve\s+)?(?:just\s+|now\s+)?"
_BLOCKER = r"^blockers?\s*[:\-–—]\s*"
_WAITING = r"(?:still\s+)?(?:waiting\s+(?:on|for)|need(?:ing|s)?|blocked\s+(?:on|by))\s+"
_SPLIT = r"(?:\s*[,;]\s*(?=(?:still\s+)?(?:waiting|need|blocked)\b)|\s*(?::|\s-\s|\s–\s|\s—\s)\s*)"
# A stand-up's "Blocker: …" line that names its task (without one, the sentence table reads
# the reason and the conversation asks which task).
BLOCKER_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    # "Blocker: VAT return 50%": that task is blocked, 50% done (the reason is asked)
    (_r(rf"{_BLOCKER}(?!{_WAITING})(?P<task>#\d+|[^,;:]+?)(?:\s*[:\-–—]\s*|\s+(?:is\s+)?(?:at\s+)?)"
        rf"(?<![#\d]){_PCT}(?:\s+(?:done|complete))?$"), lambda m, ctx: _blocked_at(m)),
    # "Blocker: waiting on the client for VAT return", "… for #14"
    (_r(rf"{_BLOCKER}{_WAITING}(?P<reason>.+?)\s+(?:for|on)\s+(?P<task>#\d+|[^,;:]+)$"), _block),
    # "Database migration blocked: need DevOps review of the schema changes" (the reason as
    # written, as after "X is blocked:")
    (_r(rf"^(?!{_BLOCKER})(?:(?P<task>#\d+|[^,;:]+?)(?<!\bis)(?<!\bare)(?<!'s)\s+)?"
        r"(?:blocked|stuck|on\s+hold)\s*[:\-–—]\s*(?P<reason>.+)$"),
     lambda m, ctx: _named_blocked(m)),
    # "Blocker: payroll run, waiting for the bank", "Blocker: VAT return - client has no docs"
    (_r(rf"{_BLOCKER}(?!{_WAITING})(?P<task>#\d+|[^,;:]+?){_SPLIT}(?:{_WAITING})?(?P<reason>.+)$"),
     _block),
)
RULES: tuple[tuple[re.Pattern[str], Rule], ...] = BLOCKER_RULES + (
    # progress said before the task: "I'm at 50% on VAT return", "three quarters of the way
    # through the payroll run", "done about half of the payroll run" (never "done")
    (_r(rf"^(?:{_I}\s+)?(?:now\s+)?(?:at\s+)?{_ABOUT}{_PCT}\s*(?:done\s+)?{_THROUGH}\s+"
        r"(?P<task>.+)$"), _progress),
    # "Sam is at 50% on the Acme filing": someone else's progress (a given name; stop 27)
    (_r(rf"^(?P<who>[a-z]+)(?:\s+is|'s)\s+(?:now\s+)?(?:at\s+)?{_ABOUT}{_PCT}\s*(?:done\s+)?"
        rf"{_THROUGH}\s+(?P<task>.+)$"), _progress),
    (_r(rf"^(?:{_I}\s+)?(?:now\s+)?{_ABOUT}{_AMOUNT}\s+{_THROUGH}\s+(?P<task>.+)$"), _progress),
    (_r(rf"^{_I_HAVE}(?:done|finished|completed|got\s+through|did)\s+{_ABOUT}(?:{_PCT}|{_AMOUNT})"
        r"\s+(?:of\s+)?(?P<task>.+)$"), _progress),
    # "year-end pack is nearly done", "VAT return is almost finished": most of the way
    (_r(r"^(?P<task>.+?)\s+(?:is\s+|are\s+|'s\s+)?(?:now\s+)?(?:almost|nearly|just\s+about)\s+"
        r"(?:done|finished|complete|completed|there|ready)$"),
     lambda m, ctx: _progress_value(m, NEARLY_DONE_PROGRESS)),
    (_r(r"^(?P<task>.+?)\s+(?:is\s+|are\s+|'s\s+)?(?:now\s+)?mostly\s+"
        r"(?:done|finished|complete|completed|there)$"),
     lambda m, ctx: _progress_value(m, MOSTLY_DONE_PROGRESS)),
    # progress
    (_r(rf"^(?P<task>.+?)\s+(?:is\s+|are\s+|'s\s+)?(?:now\s+)?(?:almost|nearly)\s+"
        rf"(?:done|finished|there|complete)\s*,?\s*(?:like|about|around|at|maybe)?\s*~?{_PCT}$"),
     _progress),
    (_r(rf"^(?P<task>.+?)\s+(?:is\s+|are\s+|'s\s+)?(?:now\s+)?(?:about|around|roughly|approx\.?"
        rf"|approximately|nearly|almost|~)\s*{_PCT}\s*(?:done|complete|completed|finished)?$"),
     _progress),
    (_r(rf"^(?P<task>.+?)\s+(?:is\s+|are\s+|'s\s+)?(?:now\s+)?(?:about\s+|around\s+)?{_AMOUNT}"
        r"\s+(?:done|finished|complete|completed|there|way\s+there)$"), _progress),
    (_r(rf"^(?:{_I}\s+)?(?:about\s+)?(?:halfway|half\s+way)\s+(?:through|done\s+with|with|into)\s+"
        r"(?P<task>.+)$"), lambda m, ctx: _progress_value(m, 50)),
    (_r(r"^(?:(?:i|we)\s*)?(?:have\s+|'ve\s+|just\s+)*(?:started|began|begun)\s+(?:on\s+|working\s+on"
        r"\s+)?(?P<task>.+)$"), _progress),
    # "I'm working on the VAT return", "Today, I'm working on X" (a stand-up line: the work
    # is under way, not a new task called "I'm working on …"; "today" is not its deadline)
    (_r(r"^(?:(?:today|this\s+morning|this\s+afternoon|this\s+week|right\s+now|now),?\s+)?"
        r"(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:now\s+|currently\s+|still\s+)?(?:working\s+on"
        r"|starting(?:\s+on)?|getting\s+started\s+on)\s+(?P<task>.+)$"),
     lambda m, ctx: _started(m)),
    # a stand-up line without "I'm": "starting checkout flow", "Today: starting the VAT return"
    (_r(r"^(?:(?:today|this\s+morning|this\s+afternoon|now)\s*[:,]?\s+)?(?:starting|started|"
        r"kicking\s+off)(?:\s+on|\s+work\s+on)?\s+(?P<task>.+)$"),
     lambda m, ctx: None if find_date(m.group("task")) else _started(m)),  # "… next week": new
    # "VAT return 50%", "VAT return: 50%", "VAT return at 50%"
    (_r(rf"^(?!(?:set|move|put|change|update|mark|bump|push|make|progress)\s)"
        rf"(?P<task>.+?)(?:\s*[:\-–—=]\s*|\s+(?:(?:is|are|'s|was)\s+)?(?:now\s+)?(?:at\s+)?)"
        rf"(?<![#\d]){_PCT}"
        r"(?:\s+(?:done|complete|completed|finished|through))?$"), _progress),
    # "VAT return is in progress", "year-end pack started"
    (_r(r"^(?P<task>.+?)\s+(?:is\s+|are\s+|has\s+|have\s+)?(?:now\s+)?(?:in\s+progress|under\s?way"
        r"|started|begun|kicked\s+off)$"), _progress),
    # block
    (_r(rf"^(?:{_I}\s+)?(?:still\s+)?(?:stuck|blocked)\s+(?:on|with)\s+(?P<task>#\d+|.+?)"
        rf"{_CUT}(?P<reason>.+)$"), _block),
    (_r(rf"^(?:(?:i|we)\s+)?(?:can'?t|cannot|can\s+not)\s+(?:do|finish|start|continue|progress"
        rf"|move\s+on\s+with|get\s+on\s+with)\s+(?P<task>#\d+|.+?){_CUT}(?P<reason>.+)$"), _block),
    # unblock
    (_r(r"^(?P<task>.+?)\s+(?:isn'?t|is\s+not|aren'?t|are\s+not)\s+(?:blocked|stuck)"
        r"\s+any\s?(?:more|longer)$"), _unblock),
    (_r(r"^(?:(?:i|we)\s+)?(?:just\s+|finally\s+)?(?:got|received)\s+(?:the\s+|our\s+)?"
        r"(?:.+?)\s+for\s+(?P<task>#\d+|.+)$"), _unblock),
    # complete
    (_r(r"^(?:please\s+)?(?:move|mark|set|put)\s+(?P<task>.+?)\s+(?:to|as|in)\s+(?:done|completed"
        r"|complete|finished)$"), _complete),
    (_r(r"^(?P<task>.+?)\s*(?:[:\-–—]\s*)?(?:done|finished|completed|complete)(?:\s*[!✓✔✅]+)?$"),
     _complete),
    # deadline
    (_r(r"^(?:can|could)\s+(?:we|i|you)\s+(?:move|push|shift|change|postpone|delay|extend|bump)\s+"
        r"(?:back\s+|out\s+)?(?:the\s+(?:deadline|due\s+date)\s+(?:of|for|on)\s+)?(?P<task>.+?)\s+"
        r"(?:to|till|until|for)\s+(?P<date>.+)$"), _deadline),
    (_r(rf"^(?P<task>.+?)\s+(?:will\s+be|is\s+going\s+to\s+be|'ll\s+be|is\s+running)\s+late{_CUT}?"
        r"\s*(?:the\s+)?new\s+(?:date|deadline|due\s+date|eta)\s*(?:is|will\s+be|:)\s*(?P<date>.+)$"),
     _deadline),
    # note
    (_r(r"^(?:add|put|leave)\s+(?:a\s+)?(?:note|comment)\s+(?:to|on|for)\s+(?P<task>#\d+|.+?)"
        r"\s*:\s*(?P<note>.+)$"), _note),
)


# "Still blocked: waiting on the bank", "We're blocked - need access": no task named (asked)
_NOT_A_TASK = frozenset({"still", "currently", "now", "got", "just", "also", "again", "so",
                         "totally", "completely", "getting", "get", "been", "am", "are", "we",
                         "i", "i'm", "im", "we're", "i am", "we are", "i've", "we've"})


def _named_blocked(m: re.Match[str]) -> ParsedIntent | None:
    words = " ".join((m.group("task") or "").lower().split())
    reason = m.group("reason").strip(" .") or None
    if not words or all(w in _NOT_A_TASK for w in words.split()) or words in _NOT_A_TASK:
        return ParsedIntent("block", reason=reason)
    task = _task(m.group("task"))
    return ParsedIntent("block", task=task, reason=reason) if task else None


def _blocked_at(m: re.Match[str]) -> ParsedIntent | None:
    task, value = _task(m.group("task")), int(m.group("n"))
    return ParsedIntent("block", task=task, progress=value) if task and value <= 100 else None


def _progress_value(m: re.Match[str], value: int) -> ParsedIntent | None:
    task = _task(m.group("task"))
    return ParsedIntent("update_progress", task=task, progress=value) if task else None


def _started(m: re.Match[str]) -> ParsedIntent | None:
    """'I'm working on X' (10%); "I'm working on it" keeps "it": the chat's topic."""
    ref = clean_ref(m.group("task"))
    if ref is not None and ref.lower() in ("it", "this", "that", "this one", "that one"):
        return ParsedIntent("update_progress", task=ref.lower(), progress=STARTED_PROGRESS)
    return _progress_value(m, STARTED_PROGRESS)


def parse_update(text: str, ctx: Context) -> ParsedIntent | None:
    """Match an everyday update against the rule table; None if none understands it."""
    return first_reading(RULES, text, ctx)
