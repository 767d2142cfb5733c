"""The §7 verbs that show work: show/status, tasks, board, gantt, team, standup, help.

Split out of bot.language.commands (which keeps the verb grammar and the table).
"""

from __future__ import annotations

import re

from bot.language.fields import HANDLE, Context, clean_ref, handle
from bot.language.model import ParsedIntent

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


def show(rest: str, ctx: Context) -> ParsedIntent | None:
    """`show <task>`, `show board`, `show the timeline`, `show my tasks`, `show team`."""
    if not rest:
        return None
    m = _SHOW_BOARD_RE.match(rest)
    if m:
        return board(m.group("rest"), ctx)
    m = _SHOW_GANTT_RE.match(rest)
    if m:
        return gantt(m.group("rest"), ctx)
    if _SHOW_TEAM_RE.match(rest):
        return ParsedIntent("team")
    m = _SHOW_TASKS_RE.match(rest)
    if m:
        whose = re.sub(r"'s$", "", m.group("whose") or "", flags=re.I)
        return tasks(f"{whose} {m.group('rest')}", ctx)
    rest = re.sub(r"^me\s+", "", rest, flags=re.I)
    return ParsedIntent("show_task", task=clean_ref(rest))


def status(rest: str, ctx: Context) -> ParsedIntent | None:
    """'status #14' shows the card; 'status of the payroll run' answers in one line."""
    m = re.match(r"^(?:of|on|for)\s+(?P<task>.+)$", rest, re.I)
    if m is None:
        return show(rest, ctx)
    task = clean_ref(m.group("task"))
    return ParsedIntent("task_status", task=task) if task else None


def tasks(rest: str, ctx: Context) -> ParsedIntent | None:
    """`tasks [@person|#project|all]`: My Tasks, someone's, a project's or everyone's."""
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


def board(rest: str, ctx: Context) -> ParsedIntent | None:
    """`board [#project]` (Kanban)."""
    return _project_view("board", rest)


def gantt(rest: str, ctx: Context) -> ParsedIntent | None:
    """`gantt [#project]` (PNG timeline)."""
    return _project_view("gantt", rest)


def _project_view(intent: str, rest: str) -> ParsedIntent | None:
    rest = re.sub(r"^chart\b\s*", "", rest.strip(" ?.!"), flags=re.I)
    if not rest:
        return ParsedIntent(intent)
    m = _HASH_PROJECT_RE.match(rest)
    if m is None and re.match(r"^(?:for|of|in)\s", rest, re.I):
        m = _PROJECT_ARG_RE.match(rest)
    return ParsedIntent(intent, project=m.group("p")) if m else None


def team(rest: str, ctx: Context) -> ParsedIntent | None:
    """`team` (manager portfolio); None when more words follow."""
    return ParsedIntent("team") if _TEAM_REST_RE.match(rest.strip(" ?.!")) else None


def standup(rest: str, ctx: Context) -> ParsedIntent | None:
    """`standup` (today's digest); None when more words follow."""
    return ParsedIntent("standup") if _STANDUP_REST_RE.match(rest.strip(" ?.!")) else None


def help_(rest: str, ctx: Context) -> ParsedIntent | None:
    """`help` (also `start`, `commands`)."""
    return ParsedIntent("help")
