"""The §7 verbs that change a task: add, done/finish, progress, block, unblock, assign, due, note.

Split out of bot.language.commands (which keeps the verb grammar and the table).
Each returns None when the words after the verb do not fit it, so the sentence
parser gets its turn.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.language.dates import DateNotUnderstood, find_date
from bot.language.fields import (
    HANDLE,
    TASK_NUMBER_RE,
    URL_RE,
    Context,
    clean_ref,
    handle,
    parse_add,
)
from bot.language.model import ParsedIntent

_ADD_LEAD_RE = re.compile(
    r"^(?:an?\s+)?(?:new\s+)?(?:(?P<prio>high|top|urgent|low)[\s-]+priority\s+)?task\s*(?::|-|to\b)?\s*",
    re.I,
)
_ADD_NOTE_RE = re.compile(r"^(?:an?\s+)?(?:note|comment)\s+(?:to|on|for)\s", re.I)
_LEAD_PRIORITY = {"high": 1, "top": 1, "urgent": 1, "low": 4}
_ADD_FOR_RE = re.compile(
    rf"^(?:an?\s+)?(?:new\s+)?task\s+for\s+(?P<who>{HANDLE})\s+to\s+(?P<rest>.+)$", re.I | re.S
)
_WITH_RE = re.compile(r"^(?:with|off)\s+", re.I)
_PROGRESS_RE = re.compile(
    r"^(?:(?:on|of|for)\s+)?(?P<task>.*?)\s*(?:(?:is|to|at|=|:)\s*)?(?<![#\d])(?P<n>\d{1,3})\s*"
    r"(?:%|percent|pct)?(?:\s+(?:done|complete|completed))?$",
    re.I,
)
_PROGRESS_FIRST_RE = re.compile(
    r"^(?P<n>\d{1,3})\s*(?:%|percent)\s*(?:(?:done\s+)?(?:on|for|of|with)\s+)?(?P<task>.+)$", re.I
)
_PROOF_SPLIT_RE = re.compile(r"\s*(?::|\s-\s|\s–\s|\s—\s|\bproof\s*:?)\s*", re.I)
_BLOCK_SPLITS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s*(?::|\s-\s|\s–\s|\s—\s)\s*"),
    re.compile(r"\s+(?:because(?:\s+of)?|since|due\s+to)\s+", re.I),
    re.compile(r"\s+(?=waiting\s)", re.I),
    re.compile(r"\s+(?:on|by)\s+", re.I),
)
_REASON_LEAD_RE = re.compile(
    r"^(?:[:\-–—]\s*|(?:because(?:\s+of)?|since|due\s+to|on|by)\s+)+", re.I
)
_ASSIGN_TO_RE = re.compile(
    rf"\s*(?:\bto\s+)?(?P<h>@[A-Za-z0-9][\w.\-]*)|\s+to\s+(?P<w>{HANDLE})$", re.I
)
_ASSIGN_WHO_FIRST_RE = re.compile(rf"^(?:to\s+)?(?P<w>{HANDLE})\s+(?P<task>#\d+)$", re.I)
_DUE_SPLIT_RE = re.compile(r"\s+(?:to|by|on|for|until|:)\s+|\s*:\s*", re.I)
_DUE_TAIL_RE = re.compile(r"(?:\s+(?:is|now|to|by|on|for|until|:))+$|:$", re.I)
_NOTE_SPLIT_RE = re.compile(r"\s*(?::|\s-\s|\s–\s|\s—\s)\s*")


def _split_number_ref(rest: str) -> tuple[str, str] | None:
    """("#14", "the rest") when the text starts with a task number."""
    m = TASK_NUMBER_RE.match(rest)
    if m is None:
        return None
    return m.group(0), rest[m.end() :].strip()


def add(rest: str, ctx: Context) -> ParsedIntent | None:
    """`add <text>`: a new task (`add task for @sam to …`, `add high priority task: …`)."""
    m = _ADD_FOR_RE.match(rest)
    if m:
        return parse_add(m.group("rest"), ctx, owner=handle(m.group("who"), ctx))
    if _ADD_NOTE_RE.match(rest):
        return None  # "add a note to #14: …" is a note (bot.language.everyday)
    lead = _ADD_LEAD_RE.match(rest)
    priority = _LEAD_PRIORITY[lead.group("prio").lower()] if lead and lead.group("prio") else None
    rest = rest[lead.end() :] if lead else rest
    if not rest:
        return None
    parsed = parse_add(rest, ctx)
    return replace(parsed, priority=priority) if priority and parsed.priority is None else parsed


# "done about half of the payroll run", "done 50% of X": progress said in words, never done.
_PART_DONE_RE = re.compile(
    r"^(?:about|around|roughly|approx\.?|approximately|maybe|like|nearly|almost|~)?\s*"
    r"(?:half|a\s+quarter|quarter|three\s+quarters?|a\s+third|two\s+thirds|most|\d{1,3}\s*%)"
    r"(?:\s|$)",
    re.I,
)


def done(rest: str, ctx: Context) -> ParsedIntent | None:
    """`done <task> [proof]`; None for part done ("done half of X" is progress)."""
    rest = _WITH_RE.sub("", rest)
    if _PART_DONE_RE.match(rest):
        return None  # bot.language.everyday reads it as progress
    task, proof = rest, ""
    numbered = _split_number_ref(rest)
    if numbered:
        task, proof = numbered
    else:
        url = URL_RE.search(rest)
        split = _PROOF_SPLIT_RE.search(rest)
        if url and (split is None or url.start() < split.start()):
            task, proof = rest[: url.start()], rest[url.start() :]
        elif split:
            task, proof = rest[: split.start()], rest[split.end() :]
    proof = re.sub(r"^(?:[:\-–—]\s*|proof\s*:?\s*)+", "", proof.strip(), flags=re.I).strip()
    kind = None
    if proof:
        kind = "link" if URL_RE.search(proof) else "text"
    return ParsedIntent("complete", task=clean_ref(task), note=proof or None, proof=kind)


def finish(rest: str, ctx: Context) -> ParsedIntent | None:
    """"finish the report" completes it; "finish report tomorrow 5pm @jane" is a new task
    and "close #14 18:30" is #14's deadline (a time says when, not that it is done now).
    Also `close` and `complete`: a guess never marks work done ("Close report 18:30")."""
    if find_date(rest) is not None and _split_number_ref(rest):
        return due(rest, ctx)
    if find_date(rest) is not None or re.search(r"(?<![\w])[@!]\w|(?<![\w])p[1-4]\b", rest):
        return None
    return done(rest, ctx)


def progress(rest: str, ctx: Context) -> ParsedIntent | None:
    """`progress <task> <n>%` (or `progress 60% on <task>`)."""
    m = _PROGRESS_FIRST_RE.match(rest) or _PROGRESS_RE.match(rest)
    if m is None:
        return None
    return ParsedIntent(
        "update_progress", task=clean_ref(m.group("task")), progress=int(m.group("n"))
    )


def block(rest: str, ctx: Context) -> ParsedIntent | None:
    """`block <task> <reason>`: the reason after ":", "because", "waiting", "on"/"by"."""
    numbered = _split_number_ref(rest)
    if numbered:
        task, reason = numbered
    else:
        task, reason = rest, ""
        for pattern in _BLOCK_SPLITS:
            m = pattern.search(rest)
            if m:
                task, reason = rest[: m.start()], rest[m.end() :]
                break
    reason = _REASON_LEAD_RE.sub("", reason).strip(" .")
    return ParsedIntent("block", task=clean_ref(task), reason=reason or None)


def unblock(rest: str, ctx: Context) -> ParsedIntent | None:
    """`unblock <task>`."""
    return ParsedIntent("unblock", task=clean_ref(rest))


def assign(rest: str, ctx: Context) -> ParsedIntent | None:
    """`assign <task> @person` (or `assign @person #14`, `assign <task> to Priya`)."""
    m = _ASSIGN_WHO_FIRST_RE.match(rest)
    if m:
        return ParsedIntent("assign", task=m.group("task"), owner=handle(m.group("w"), ctx))
    owner = None
    m = _ASSIGN_TO_RE.search(rest)
    if m:
        owner = handle(m.group("h") or m.group("w"), ctx)
        rest = rest[: m.start()] + " " + rest[m.end() :]
    return ParsedIntent("assign", task=clean_ref(re.sub(r"\s+to$", "", rest.strip())), owner=owner)


def due(rest: str, ctx: Context) -> ParsedIntent:
    """`due <task> <date>`; raises DateNotUnderstood when no date can be read."""
    numbered = _split_number_ref(rest)
    if numbered:
        task, phrase = numbered
        reading = ctx.when(phrase)
        if reading is None:
            raise DateNotUnderstood(phrase)
        return ParsedIntent("set_deadline", task=task, due=reading.at,
                            confirm=bool(reading.options), due_options=reading.options)
    found = find_date(rest)
    if found is not None and not rest[found.end :].strip(" .!?"):
        due = ctx.date(found.phrase)
        if due is not None:
            task = _DUE_TAIL_RE.sub("", rest[: found.start].strip())
            return ParsedIntent("set_deadline", task=clean_ref(task), due=due)
    # Otherwise the date is the longest tail that parses, after "to"/"by"/":" or a space.
    cuts = [m for m in _DUE_SPLIT_RE.finditer(rest)] + [m for m in re.finditer(r"\s+", rest)]
    for m in sorted(cuts, key=lambda c: c.start()):
        due = ctx.date(rest[m.end() :])
        if due is not None:
            return ParsedIntent("set_deadline", task=clean_ref(rest[: m.start()]), due=due)
    due = ctx.date(rest)
    if due is not None:
        return ParsedIntent("set_deadline", due=due)
    tail = _DUE_SPLIT_RE.split(rest)[-1] if _DUE_SPLIT_RE.search(rest) else rest
    raise DateNotUnderstood(tail)


def note(rest: str, ctx: Context) -> ParsedIntent | None:
    """`note <task>: <text>`; None for "note to self" (a task)."""
    if not rest or re.match(r"^to\s+self\b", rest, re.I):
        return None
    numbered = _split_number_ref(rest)
    if numbered:
        task, note = numbered
    else:
        m = _NOTE_SPLIT_RE.search(rest)
        task, note = (rest[: m.start()], rest[m.end() :]) if m else ("", rest)
    note = note.lstrip(":-–— ").strip()
    return ParsedIntent("add_note", task=clean_ref(task), note=note or None)
