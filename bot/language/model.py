"""The result of parsing one message: an intent and the fields that apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

INTENTS: tuple[str, ...] = (
    "create_task",
    "update_progress",
    "complete",
    "block",
    "unblock",
    "assign",
    "set_deadline",
    "add_note",
    "show_task",
    "list_tasks",
    "board",
    "gantt",
    "team",
    "standup",
    "help",
    "away",  # someone else is away ("Jo is off Friday"): never a task; owner is who
    "set_backup",  # "Jo will cover for me": owner is the writer's new backup
    # questions about one task, and "what should I do first?" (bot.language.questions)
    "who_owns",
    "when_due",
    "is_done",
    "how_far",
    "why_blocked",
    "task_status",  # "how's the payroll run going?": progress, owner, due, blocked, one line
    "what_next",
    "unknown",
)

# Readings a named handler gives before the parser is asked (bot.conversation_text): the
# chat's own answer to the words, reported by `vigil parse` and graded by the corpus.
HEARD: tuple[str, ...] = (
    "answer",  # the answer to a question of Vigil's
    "undo", "redo", "empty",
    "invite", "reporting_line", "people",  # bot.handlers.people ("add Ben as staff")
    "cancel", "reopen", "delete", "take", "rename", "projects", "snooze",  # bot.handlers.lifecycle
    "nothing_to_cancel", "ask_due", "ask_owner", "ask_progress", "ask_reason", "backup",
    "ask_backup", "lifecycle",
    "back",  # "back in the office"; the speaker's own "I'm out of office next week" is "away"
    "people_list", "my_settings", "add_project", "role", "settings", "admin",  # bot.handlers.admin
    "small_talk", "greeting",
    "date_not_understood",  # the parser refused a date: the chat says so, nothing changes
)

PROOF_KINDS: tuple[str, ...] = ("none", "text", "photo", "link", "file")

# Key order of the JSON object (DESIGN.md §8, then the add-only extras).
JSON_KEYS: tuple[str, ...] = (
    "intent",
    "confirm",
    "task",
    "title",
    "owner",
    "due",
    "progress",
    "project",
    "priority",
    "reason",
    "note",
    "recurrence",
    "proof",
    "parent",
    "depends_on",
    "backup",
    "scope",
    "due_options",
    "holder",
)

# What a question about lists of tasks narrows to ("what is overdue?", "what's due this week?").
SCOPES: tuple[str, ...] = ("overdue", "due_today", "due_this_week", "due_next_week", "blocked")


@dataclass(frozen=True)
class ParsedIntent:
    """What a person asked for.

    ``task`` is the reference as written ("#14" or title words such as "Acme
    filing"); resolving it is the caller's job. ``owner`` is a handle without
    "@", lower-case; for ``list_tasks`` it is whose tasks to list. ``due`` is
    aware, in the speaker's zone. For ``complete``, ``proof`` is the kind of the
    proof given ("text" or "link") and ``note`` its content.

    ``confirm`` is true when the reading is uncertain and Vigil should show what
    it would do with one tap to do it (a task captured without a verb and without
    a date, a date whose nearest reading is far in the past). ``due_options``
    then holds the dates to choose between, nearest first. ``scope`` narrows a
    ``list_tasks`` question (one of SCOPES). ``holder``, for ``assign`` said to
    someone ("Sam, give the deck to Ana"), is the person addressed: the task is
    looked for among theirs first (``owner`` is the new owner).
    """

    intent: str
    task: str | None = None
    title: str | None = None
    owner: str | None = None
    due: datetime | None = None
    progress: int | None = None
    project: str | None = None
    priority: int | None = None
    reason: str | None = None
    note: str | None = None
    recurrence: str | None = None
    proof: str | None = None
    parent: str | None = None
    depends_on: tuple[str, ...] = ()
    backup: str | None = None  # recurring work: who steps in when the owner is away
    confirm: bool = False
    scope: str | None = None
    due_options: tuple[datetime, ...] = ()
    holder: str | None = None

    def __post_init__(self) -> None:
        if self.intent not in INTENTS and self.intent not in HEARD:
            raise ValueError(f"Unknown intent '{self.intent}'.")
        if self.scope is not None and self.scope not in SCOPES:
            raise ValueError(f"Unknown scope '{self.scope}'.")

    def as_json(self) -> dict[str, Any]:
        """The §8 JSON object: every key present, in order; fields that do not apply null."""
        values: dict[str, Any] = {key: getattr(self, key) for key in JSON_KEYS}
        values["due"] = self.due.isoformat() if self.due is not None else None
        values["depends_on"] = list(self.depends_on) if self.depends_on else None
        values["due_options"] = [d.isoformat() for d in self.due_options] or None
        return values


UNKNOWN = ParsedIntent("unknown")
