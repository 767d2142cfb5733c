"""Pieces shared by commands and sentences: context, task references, handles, `add` text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from bot.language.dates import DEFAULT_DAY_END, find_clock, find_date, read_date
from bot.language.model import ParsedIntent
from bot.language.phrases import Reading
from bot.language.recurrence import find_cadence, with_clock, with_day


@dataclass(frozen=True)
class Context:
    """Who is speaking, when, and where: everything a parse depends on besides the text."""

    now: datetime
    tz: str
    speaker: str
    languages: tuple[str, ...] = ("en",)
    day_end: time = DEFAULT_DAY_END
    date_order: str | None = None

    def date(self, phrase: str) -> datetime | None:
        """Parse a date phrase in this context (the nearest reading when the year is in doubt)."""
        reading = self.when(phrase)
        return reading.at if reading else None

    def when(self, phrase: str) -> Reading | None:
        """Read a date phrase in this context, with the options when the year is in doubt."""
        return read_date(
            phrase, self.now, self.tz, self.day_end, self.languages, date_order=self.date_order
        )


SELF_WORDS = frozenset({"me", "i", "myself", "mine", "my", "@me"})
TASK_NUMBER_RE = re.compile(r"^#\d+\b")
HANDLE = r"@?[A-Za-z][\w.\-]*"
URL_RE = re.compile(r"https?://\S+|www\.\S+", re.I)
_SPACES_RE = re.compile(r"\s+")
_REF_LEAD_RE = re.compile(r"^(?:(?:the|my|our|a|an|that|this|task|on|with|of|for)\s+)+", re.I)
_REF_EMOJI_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")
_REF_TAIL_RE = re.compile(r"(?:\s+(?:task|please|now|already|today))+$", re.I)
_TITLE_EDGE_WORDS = (
    r"by|due|on|until|at|for|to|and|before|with|every|proof|in|under|after|owner|repeat"
    r"|repeating|,|;|:|-"
)
_TITLE_TAIL_RE = re.compile(rf"(?:\s+|^)(?:{_TITLE_EDGE_WORDS})$", re.I)
_TITLE_HEAD_RE = re.compile(r"^(?:to|and|about|-|:|,)(?:\s+|$)", re.I)
_TITLE_TAIL_LIST_RE = re.compile(r"\s+(?:to|on|in)\s+(?:my|the|our)\s+(?:to-?do\s+)?list$", re.I)
_QUOTED_RE = re.compile(r'^"(?P<q>[^"]+)"$')
_EMOJI_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")

_PROOF_KIND = {
    "none": "none",
    "text": "text",
    "photo": "photo",
    "picture": "photo",
    "pic": "photo",
    "image": "photo",
    "link": "link",
    "url": "link",
    "file": "file",
    "document": "file",
}
_PROOF_WORDS = "|".join(_PROOF_KIND)
PROOF_RE = re.compile(
    rf"(?<![\w])(?:proof\s*[:=]?\s*(?P<k>{_PROOF_WORDS})"
    rf"|(?:with\s+(?:an?\s+)?)?(?P<k2>{_PROOF_WORDS})\s+(?:as\s+)?proof)(?![\w])",
    re.I,
)
PARENT_RE = re.compile(
    r"(?<![\w])(?:under|sub-?task\s+of|child\s+of|part\s+of)\s+(?P<ref>#\d+)(?![\w])", re.I
)
DEPS_RE = re.compile(
    r"(?<![\w])(?:after|depends\s+on|dependent\s+on|waits?\s+(?:on|for))\s+"
    r"(?P<refs>#\d+(?:\s*(?:,|and|&)\s*#\d+)*)(?![\w])",
    re.I,
)
BACKUP_RE = re.compile(
    r"(?<![\w])(?:backup|back-?up\s+by|cover(?:ed)?\s+by)\s*:?\s*@(?P<h>[A-Za-z0-9][\w.\-]*)",
    re.I,
)
OWNER_RE = re.compile(
    r"(?<![\w@])(?:(?:for|to|owner\s*:?|assign(?:ed)?\s+to)\s+)?@(?P<h>[A-Za-z0-9][\w.\-]*)",
    re.I,
)
FOR_ME_RE = re.compile(r"(?<![\w])(?:for|owner\s*:?|assign(?:ed)?\s+to)\s+me(?![\w'])", re.I)
PROJECT_RE = re.compile(
    r"(?<![\w#&])(?:(?:in|for|on|project\s*:?)\s+)?#(?P<p>[A-Za-z][\w\-]*)", re.I
)
PRIORITY_RE = re.compile(
    r"(?<![\w!])(?:p(?P<n>[1-4])|priority\s*:?\s*(?P<n2>[1-4])"
    r"|!(?P<w>highest|high|urgent|critical|lowest|low))(?![\w])",
    re.I,
)
_PRIORITY_WORDS = {"highest": 1, "high": 1, "urgent": 1, "critical": 1, "lowest": 4, "low": 4}
# "Urgent: submit report", "fix the login bug, urgent", "call the bank (asap)": the word at
# an edge of the message, set off by punctuation, is its priority; inside a title it stays.
EDGE_PRIORITY_RE = re.compile(
    r"^(?:urgent|asap|high\s+priority)\s*[:!\-]+\s*"
    r"|\s*(?:[,;\-]\s*|\()(?:urgent|asap|high\s+priority)\)?\s*$",
    re.I,
)
_TASK_REF_IN_TEXT_RE = re.compile(r"#\d+")


Rule = Callable[[re.Match[str], Context], ParsedIntent | None]
"""One row of a rule table: what to make of a message its pattern matched."""


def first_reading(rules: tuple[tuple[re.Pattern[str], Rule], ...], text: str,
                  ctx: Context) -> ParsedIntent | None:
    """The reading of the first rule whose pattern matches and that accepts the match.

    A rule may decline a match (return None) so later rows get their turn.
    """
    for pattern, rule in rules:
        m = pattern.match(text)
        if m:
            result = rule(m, ctx)
            if result is not None:
                return result
    return None


def squash(text: str) -> str:
    """Single spaces, trimmed."""
    return _SPACES_RE.sub(" ", text).strip()


def handle(word: str, ctx: Context) -> str:
    """A person's handle without "@", lower-case; "me"/"I" is the speaker."""
    name = word.strip().strip(".,;:!?").lstrip("@")
    if name.lower() in SELF_WORDS:
        return ctx.speaker.lstrip("@")
    return name.lower()


def clean_ref(text: str | None) -> str | None:
    """A task reference as written: "#14", or the title words without articles."""
    if text is None:
        return None
    ref = squash(_REF_EMOJI_RE.sub(" ", text)).strip(" \t,.;:!?\"'")
    m = TASK_NUMBER_RE.match(ref)
    if m and not ref[m.end() :].strip(" .!?"):
        return m.group(0)
    ref = _REF_TAIL_RE.sub("", _REF_LEAD_RE.sub("", ref)).strip(" ,.;:!?\"'")
    return ref or None


def tidy_title(text: str) -> str | None:
    """What is left of an `add` text, tidied: no dangling "by"/"due", first letter capital."""
    title = squash(_EMOJI_RE.sub(" ", text)).strip(" ,;:-–—")
    title = _TITLE_TAIL_LIST_RE.sub("", title)
    previous = None
    while previous != title:
        previous = title
        title = _TITLE_TAIL_RE.sub("", title).strip(" ,;:-–—")
        title = _TITLE_HEAD_RE.sub("", title).strip(" ,;:-–—")
        m = _QUOTED_RE.match(title)
        if m:
            title = m.group("q").strip()
    if not title:
        return None
    return title[0].upper() + title[1:]


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + " " + text[end:]


def parse_add(text: str, ctx: Context, owner: str | None = None) -> ParsedIntent:
    """The fields of `add <text>`: title, @owner, due, #project, priority, cadence, proof, graph."""
    rest = text
    proof = None
    m = PROOF_RE.search(rest)
    if m:
        proof = _PROOF_KIND[(m.group("k") or m.group("k2")).lower()]
        rest = _cut(rest, m.start(), m.end())
    recurrence = None
    cadence = find_cadence(rest)
    if cadence:
        recurrence = cadence.rrule
        rest = _cut(rest, cadence.start, cadence.end)
        if not cadence.has_clock:  # "remind me daily to check emails at 9am"
            recurrence, rest = _clock_for_cadence(recurrence, rest)
        recurrence, span = with_day(recurrence, rest)  # "pay rent on the 1st, repeat monthly"
        if span is not None:
            rest = _cut(rest, *span)
    parent = None
    m = PARENT_RE.search(rest)
    if m:
        parent = m.group("ref")
        rest = _cut(rest, m.start(), m.end())
    depends: tuple[str, ...] = ()
    m = DEPS_RE.search(rest)
    if m:
        depends = tuple(dict.fromkeys(_TASK_REF_IN_TEXT_RE.findall(m.group("refs"))))
        rest = _cut(rest, m.start(), m.end())
    backup = None
    m = BACKUP_RE.search(rest)
    if m:
        backup = handle(m.group("h"), ctx)
        rest = _cut(rest, m.start(), m.end())
    m = OWNER_RE.search(rest)
    if m:
        owner = owner or handle(m.group("h"), ctx)
        rest = _cut(rest, m.start(), m.end())
    else:
        m = FOR_ME_RE.search(rest)
        if m:
            owner = owner or handle("me", ctx)
            rest = _cut(rest, m.start(), m.end())
    project = None
    m = PROJECT_RE.search(rest)
    if m:
        project = m.group("p")
        rest = _cut(rest, m.start(), m.end())
    priority = None
    m = PRIORITY_RE.search(rest)
    if m:
        word = m.group("w")
        priority = _PRIORITY_WORDS[word.lower()] if word else int(m.group("n") or m.group("n2"))
        rest = _cut(rest, m.start(), m.end())
    else:
        m = EDGE_PRIORITY_RE.search(rest)
        if m:
            priority, rest = 1, _cut(rest, m.start(), m.end())
    due: datetime | None = None
    options: tuple[datetime, ...] = ()
    found = find_date(rest) if recurrence is None else None  # recurring work has cycles, no due
    if found is not None:
        reading = ctx.when(found.phrase)
        if reading is not None:
            due, options = reading.at, reading.options
            rest = _cut(rest, found.start, found.end)
            if not options and find_clock(found.phrase) is None:
                due, rest = _clock_first(due, rest)
    return ParsedIntent(
        "create_task",
        title=tidy_title(rest),
        owner=owner,
        due=due,
        project=project,
        priority=priority,
        recurrence=recurrence,
        proof=proof,
        parent=parent,
        depends_on=depends,
        backup=backup,
        confirm=bool(options),
        due_options=options,
    )


# "14:00 call with Acme tomorrow", "2pm call with Acme on Friday": the time said first
_HEAD_CLOCK_RE = re.compile(
    r"^\s*(?:at\s+)?(?:(?:[01]\d|2[0-3]):[0-5]\d|\d{1,2}(?::\d{2})?\s?(?:am|pm))(?=\s)", re.I
)


def _clock_first(due: datetime, rest: str) -> tuple[datetime, str]:
    """The day's deadline at the clock time that opens the title, which then loses it."""
    m = _HEAD_CLOCK_RE.match(rest)
    clock = find_clock(m.group(0)) if m else None
    if m is None or clock is None:
        return due, rest
    return due.replace(hour=clock.hour, minute=clock.minute), rest[m.end():]


_LONE_CLOCK_RE = re.compile(
    r"(?<![\w:])(?:at\s+|@\s*)?(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)|(?:[01]?\d|2[0-3]):[0-5]\d"
    r"|noon|midnight)(?![\w:])",
    re.I,
)


def _clock_for_cadence(rule: str, rest: str) -> tuple[str, str]:
    m = _LONE_CLOCK_RE.search(rest)
    clock = find_clock(m.group(0)) if m else None
    if m is None or clock is None:
        return rule, rest
    return with_clock(rule, clock.hour, clock.minute), _cut(rest, m.start(), m.end())
