"""Command verbs of DESIGN.md §7: `add …`, `done #14`, `progress #14 60%`, …

Accepted with or without a leading "/", with a "/task " (or "task ") prefix,
and with a Telegram "@BotName" suffix on the verb. A handler returns None when
the words after the verb do not fit it ("board meeting prep is 60% done"), so
the sentence parser gets its turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    squash,
)
from bot.language.model import ParsedIntent

Handler = Callable[[str, Context], ParsedIntent | None]

COMMAND_RE = re.compile(
    r"^(?P<slash>/)?(?:task(?:@\w+)?\s+)?(?P<verb>[a-z][a-z\-]*)(?:@\w+)?(?:(?P<colon>:)?\s+(?P<rest>.*))?$",
    re.I | re.S,
)
_SLASH_TASK_RE = re.compile(r"^/?task(?:@\w+)?$", re.I)
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
_PROJECT_ARG_RE = re.compile(
    r"^(?:(?:for|of|in)\s+)?(?:the\s+)?(?:project\s+)?#?(?P<p>[A-Za-z][\w\-]*)(?:\s+project)?$",
    re.I,
)
_HASH_PROJECT_RE = re.compile(r"^(?:(?:for|of|in)\s+)?#(?P<p>[A-Za-z][\w\-]*)$", re.I)
_TASKS_FILLER = frozenset(
    {
        "for",
        "of",
        "in",
        "project",
        "on",
        "owned",
        "by",
        "assigned",
        "to",
        "tasks",
        "task",
        "open",
        "the",
        "list",
        "",
    }
)
_TEAM_REST_RE = re.compile(r"^(?:status|overview|report|summary|view|portfolio|doing)?$", re.I)
_STANDUP_REST_RE = re.compile(r"^(?:now|report|summary|please|today)?$", re.I)
_SHOW_BOARD_RE = re.compile(r"^(?:me\s+)?(?:the\s+)?(?:board|kanban)\b\s*(?P<rest>.*)$", re.I)
_SHOW_GANTT_RE = re.compile(
    r"^(?:me\s+)?(?:the\s+)?(?:timeline|gantt)(?:\s+chart)?\b\s*"
    r"(?P<rest>.*)$",
    re.I,
)
_SHOW_TEAM_RE = re.compile(r"^(?:me\s+)?(?:the\s+)?team\b", re.I)
_SHOW_TASKS_RE = re.compile(
    rf"^(?:me\s+)?(?:(?P<whose>my|{HANDLE}'s|all|the)\s+)?(?:open\s+)?tasks\b\s*(?P<rest>.*)$",
    re.I,
)


def parse_command(text: str, ctx: Context) -> ParsedIntent | None:
    """Parse a §7 command; None if the text does not start with a verb it can use."""
    if _SLASH_TASK_RE.match(text):
        return ParsedIntent("help")
    m = COMMAND_RE.match(text)
    if m is None:
        return None
    handler = VERBS.get(m.group("verb").lower())
    if handler is None or (m.group("colon") and handler is _tasks):
        return None  # "todo: buy groceries" is a task to add, not a list to show
    return handler(squash(m.group("rest") or ""), ctx)


def _split_number_ref(rest: str) -> tuple[str, str] | None:
    """("#14", "the rest") when the text starts with a task number."""
    m = TASK_NUMBER_RE.match(rest)
    if m is None:
        return None
    return m.group(0), rest[m.end() :].strip()


def _add(rest: str, ctx: Context) -> ParsedIntent | None:
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


def _done(rest: str, ctx: Context) -> ParsedIntent | None:
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


def _finish(rest: str, ctx: Context) -> ParsedIntent | None:
    """"finish the report" completes it; "finish report tomorrow 5pm @jane" is a new task."""
    if find_date(rest) is not None or re.search(r"(?<![\w])[@!]\w|(?<![\w])p[1-4]\b", rest):
        return None
    return _done(rest, ctx)


def _progress(rest: str, ctx: Context) -> ParsedIntent | None:
    m = _PROGRESS_FIRST_RE.match(rest) or _PROGRESS_RE.match(rest)
    if m is None:
        return None
    return ParsedIntent(
        "update_progress", task=clean_ref(m.group("task")), progress=int(m.group("n"))
    )


def _block(rest: str, ctx: Context) -> ParsedIntent | None:
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


def _unblock(rest: str, ctx: Context) -> ParsedIntent | None:
    return ParsedIntent("unblock", task=clean_ref(rest))


def _assign(rest: str, ctx: Context) -> ParsedIntent | None:
    m = _ASSIGN_WHO_FIRST_RE.match(rest)
    if m:
        return ParsedIntent("assign", task=m.group("task"), owner=handle(m.group("w"), ctx))
    owner = None
    m = _ASSIGN_TO_RE.search(rest)
    if m:
        owner = handle(m.group("h") or m.group("w"), ctx)
        rest = rest[: m.start()] + " " + rest[m.end() :]
    return ParsedIntent("assign", task=clean_ref(re.sub(r"\s+to$", "", rest.strip())), owner=owner)


def _due(rest: str, ctx: Context) -> ParsedIntent:
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


def _note(rest: str, ctx: Context) -> ParsedIntent | None:
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


def _show(rest: str, ctx: Context) -> ParsedIntent | None:
    if not rest:
        return None
    m = _SHOW_BOARD_RE.match(rest)
    if m:
        return _board(m.group("rest"), ctx)
    m = _SHOW_GANTT_RE.match(rest)
    if m:
        return _gantt(m.group("rest"), ctx)
    if _SHOW_TEAM_RE.match(rest):
        return ParsedIntent("team")
    m = _SHOW_TASKS_RE.match(rest)
    if m:
        whose = re.sub(r"'s$", "", m.group("whose") or "", flags=re.I)
        return _tasks(f"{whose} {m.group('rest')}", ctx)
    rest = re.sub(r"^me\s+", "", rest, flags=re.I)
    return ParsedIntent("show_task", task=clean_ref(rest))


def _status(rest: str, ctx: Context) -> ParsedIntent | None:
    """'status #14' shows the card; 'status of the payroll run' answers in one line."""
    m = re.match(r"^(?:of|on|for)\s+(?P<task>.+)$", rest, re.I)
    if m is None:
        return _show(rest, ctx)
    task = clean_ref(m.group("task"))
    return ParsedIntent("task_status", task=task) if task else None


def _tasks(rest: str, ctx: Context) -> ParsedIntent | None:
    owner: str | None = None
    project: str | None = None
    everyone = False
    words = rest.split()
    for word in words:
        low = word.lower().strip(".,?!")
        if low in _TASKS_FILLER:
            continue
        if low in ("all", "everyone", "everybody", "team"):
            everyone = True
            continue
        if word.startswith("#"):
            project = word[1:].strip(".,?!") or None
        elif word.startswith("@") or low in ("me", "mine", "my"):
            owner = handle(word, ctx)
        elif len(words) <= 3 and re.fullmatch(r"[a-z][\w.\-]*", low):
            owner = handle(word, ctx)
        else:
            return None
    if owner is None and project is None and not everyone:
        owner = handle("me", ctx)
    return ParsedIntent("list_tasks", owner=owner, project=project)


def _board(rest: str, ctx: Context) -> ParsedIntent | None:
    return _project_view("board", rest)


def _gantt(rest: str, ctx: Context) -> ParsedIntent | None:
    return _project_view("gantt", rest)


def _project_view(intent: str, rest: str) -> ParsedIntent | None:
    rest = re.sub(r"^chart\b\s*", "", rest.strip(" ?.!"), flags=re.I)
    if not rest:
        return ParsedIntent(intent)
    m = _HASH_PROJECT_RE.match(rest)
    if m is None and re.match(r"^(?:for|of|in)\s", rest, re.I):
        m = _PROJECT_ARG_RE.match(rest)
    return ParsedIntent(intent, project=m.group("p")) if m else None


def _team(rest: str, ctx: Context) -> ParsedIntent | None:
    return ParsedIntent("team") if _TEAM_REST_RE.match(rest.strip(" ?.!")) else None


def _standup(rest: str, ctx: Context) -> ParsedIntent | None:
    return ParsedIntent("standup") if _STANDUP_REST_RE.match(rest.strip(" ?.!")) else None


def _help(rest: str, ctx: Context) -> ParsedIntent | None:
    return ParsedIntent("help")


VERBS: dict[str, Handler] = {
    "add": _add,
    "new": _add,
    "newtask": _add,  # Telegram task bots' "/newtask Monthly report !high @mario 15/04"
    "addtask": _add,
    "create": _add,
    "done": _done,
    "finish": _finish,
    "finished": _done,
    "complete": _done,
    "completed": _done,
    "close": _done,
    "progress": _progress,
    "block": _block,
    "unblock": _unblock,
    "assign": _assign,
    "reassign": _assign,
    "due": _due,
    "deadline": _due,
    "note": _note,
    "comment": _note,
    "show": _show,
    "view": _show,
    "status": _status,
    "tasks": _tasks,
    "mytasks": _tasks,
    "list": _tasks,
    "todo": _tasks,
    "board": _board,
    "kanban": _board,
    "gantt": _gantt,
    "timeline": _gantt,
    "team": _team,
    "portfolio": _team,
    "standup": _standup,
    "stand-up": _standup,
    "help": _help,
    "start": _help,
    "commands": _help,
}
