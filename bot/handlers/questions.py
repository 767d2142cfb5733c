"""Vigil's own questions and their answers (issue #13, item 4).

When Vigil asks something — a date, a person, a reason, which task — the
question is stored per person and chat (``uow.questions``) until it expires,
and the person's next message in that chat answers it: "28 Dec", "Priya",
"waiting for the bank", "2". "cancel" drops it. A message that does not fit
the question but is a command of its own drops the question and is handled
as usual; anything else gets the question again, saying what would fit.

Buttons of a question carry only its id and a choice number; the choices
themselves (which may hold names and titles) stay in the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from bot.errors import VigilError
from bot.handlers import yes_no
from bot.handlers.request import Ambiguous, Request
from bot.language import DateNotUnderstood, parse, parse_date
from bot.messages import Button, Outgoing, Picker, Section
from storage.repositories.questions import QuestionRecord

YES_NO_KINDS = frozenset({"confirm", "draft", "options", "choice"})  # "no" is an answer there
EXPIRY = timedelta(hours=8)  # a working day: an answer after lunch still counts
CANCEL_WORDS = frozenset({"cancel", "stop", "never mind", "nevermind", "forget it", "nothing"})
ACTION = "question.pick"

# Words that start a command of their own: such a message is not an answer.
_VERBS = frozenset({
    "add", "new", "task", "progress", "done", "block", "unblock", "assign", "due", "note",
    "show", "tasks", "board", "gantt", "team", "standup", "help", "project", "projects",
    "people", "role", "reports", "ooo", "settings", "invite", "cancel", "reopen", "delete",
    "take", "rename", "remind", "finished", "what's", "whats", "backup",
})
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}


def ask(req: Request, kind: str, payload: dict[str, Any], text: str,
        choices: Sequence[tuple[str, str, Mapping[str, object]]] = (),
        picker: Picker | None = None, hint: str | None = None,
        words: Sequence[Sequence[str]] = ()) -> Outgoing:
    """Store the question and word it; ``choices`` are (label, action, args) buttons.

    ``words`` (kind "options"): for each choice, the words of a typed reply that pick it
    ("task", "invite"); see ``bot.handlers.answers.options_answer``.
    """
    question = store(req, kind, payload, choices, words)
    buttons = tuple(Button(label, ACTION, {"q": question.id, "c": i})
                    for i, (label, _, _) in enumerate(choices))
    sections = [Section(text, buttons, picker)]
    sections.append(Section(hint or "(Reply here, or say cancel.)"))
    return Outgoing(tuple(sections))


def store(req: Request, kind: str, payload: dict[str, Any],
          choices: Sequence[tuple[str, str, Mapping[str, object]]] = (),
          words: Sequence[Sequence[str]] = ()) -> QuestionRecord:
    """Store a question so a typed reply answers it; the caller words it.

    Used directly where the buttons keep their own actions (a capture draft's
    Create/Cancel, "Add Leo to the team?"): the typed answer runs the same action.
    """
    if words and len(words) != len(choices):
        raise ValueError("one list of answer words per choice")
    stored = {**payload, "choices": [
        {"action": a, "args": dict(args), **({"words": list(words[i])} if words else {})}
        for i, (_, a, args) in enumerate(choices)]}
    return req.uow.questions.ask(req.ws, req.person.id, req.chat, kind, stored, req.now,
                                 req.now + EXPIRY)


def offer_to_add(req: Request, button: Button) -> None:
    """'Add Leo to the team?' answered by typing: "yes" / "add them" presses ``button``.

    Only an offer: a question of Vigil's already open in this chat ("who should own
    #1?") keeps waiting, and anything else typed next simply goes ahead.
    """
    if req.uow.questions.open(req.ws, req.person.id, req.chat, req.now) is not None:
        return
    store(req, "confirm", {"loose": True, "again": req.text[:200],
                           "yes_words": ["add", "invite", "them", "him", "her"]},
          [(button.label, button.action, button.args)])


def pick(req: Request, args: dict[str, object],
         handlers: dict[str, Callable[[Request, dict[str, object]], Outgoing]]) -> Outgoing:
    """A button of a question: run its stored choice, once, as the person who was asked."""
    try:
        question_id, index = int(str(args.get("q"))), int(str(args.get("c")))
    except ValueError:
        raise VigilError("That button is out of date; try the command instead.") from None
    question = req.uow.questions.get(req.ws, question_id, req.now)
    if question is None:
        return Outgoing.say("That question has expired (it was answered, replaced or is too "
                            "old). Type the command instead.")
    if question.person_id != req.person.id:
        return Outgoing.say("That question was for someone else.")
    choices = question.payload.get("choices") or []
    if not 0 <= index < len(choices):
        raise VigilError("That button is out of date; try the command instead.")
    choice = choices[index]
    handler = handlers.get(str(choice.get("action")))
    if handler is None:
        return Outgoing.say("That button is not something I know any more.")
    req.uow.questions.answered(req.ws, question.id)
    return handler(req, dict(choice.get("args") or {}))


def answer(req: Request, text: str, answers: dict[str, Answerer]) -> Outgoing | None:
    """The reply to the open question in this chat, or None when ``text`` is not one.

    A clear request of its own ("every weekday at 8: open the office @jo") is never
    swallowed: it runs as usual and ``req.left`` says, in one line, what was left unset.
    """
    question = req.uow.questions.open(req.ws, req.person.id, req.chat, req.now)
    words = " ".join(text.lower().strip(" .!").split())
    if question is None or (question.kind == "choice" and words not in CANCEL_WORDS):
        return None  # "choice": buttons only, the person already moved on from it
    if words in CANCEL_WORDS or (question.kind not in YES_NO_KINDS
                                 and yes_no.reads_as(text) == "no"):
        req.uow.questions.answered(req.ws, question.id)  # "no" to "when?": never mind
        return Outgoing.say(f"OK, I dropped my question{about(req, question)}. "
                            "Nothing was changed.")
    answerer = answers.get(question.kind)
    result = answerer(req, question, text) if answerer else None
    if result is not None:
        _answered(req, question)
        return result
    if question.payload.get("loose"):
        # An offer rather than a question ("Create this task?"): anything else moves on,
        # and its buttons still work.
        req.uow.questions.buttons_only(req.ws, question.id)
        return None
    if moves_on(req, text):
        # Moved on to a new request: the text is no answer, but the buttons still are.
        if question.payload.get("choices"):
            req.uow.questions.buttons_only(req.ws, question.id)
        else:
            req.uow.questions.answered(req.ws, question.id)
        req.left = left_line(req, question)
        return None
    if question.kind == "options" and yes_no.reads_as(text) == "yes":
        # "yes" to "a task called “Sam”, or invite Sam?" fits both: name the two answers
        either = question.payload.get("either") or question.payload.get("example") or ""
        return Outgoing.say(f"“{text.strip()}” fits both — {either} Or say cancel.")
    return Outgoing.say(f"I'm still waiting for {WANTED.get(question.kind, 'an answer')}"
                        f"{about(req, question)} — "
                        f"{question.payload.get('example') or EXAMPLE.get(question.kind, '')} "
                        "Or say cancel.".replace("  ", " "))


def _answered(req: Request, question: QuestionRecord) -> None:
    """Forget ``question`` — unless answering it asked a new one, which may carry the same
    id (SQLite reuses the highest rowid once it is deleted)."""
    current = req.uow.questions.get(req.ws, question.id, req.now)
    if current is not None and (current.kind, current.payload) == (question.kind,
                                                                   question.payload):
        req.uow.questions.answered(req.ws, question.id)


def left_line(req: Request, question: QuestionRecord) -> str | None:
    """'(I left the backup for #5 unset — say “backup #5 @leo” any time.)', or None for a
    question about no task ("which one?", "a task or a person?"): its buttons still work."""
    task_id = question.payload.get("task")
    task = req.uow.tasks.get(req.ws, int(task_id)) if isinstance(task_id, int) else None
    if question.kind == "person" and question.payload.get("role") == "away":
        return ("(I left your cover while you're away unset — say “Priya will cover for me” "
                "any time.)")
    if task is None or question.kind not in _LEFT:
        return None
    n = f"#{task.number}"
    if question.kind == "person" and question.payload.get("role") == "backup":
        return f"(I left the backup for {n} unset — say “backup {n} @name” any time.)"
    return _LEFT[question.kind].format(n=n)


_LEFT = {
    "person": "(I left {n}'s owner as it was — say “assign {n} @name” any time.)",
    "date": "(I left {n}'s due date as it was — say “due {n} Friday” any time.)",
    "reason": "(I left {n} without a reason — say “block {n} waiting for …” any time.)",
    "note": "(I left the note for {n} unwritten — say “note {n} …” any time.)",
    "progress": "(I left {n}'s progress as it was — say “progress {n} 60%” any time.)",
    "confirm": "(I left {n} as it was — say “delete {n}” again to delete it.)",
}
# First words of a new piece of work said outright (not a title that could be an answer).
_NEW_WORK = frozenset({"add", "new", "task", "todo", "every", "remind"})


def _said_outright(req: Request, text: str) -> bool:
    """Away/back sentences and the lifecycle verbs (which their handlers read before the
    parser): "snooze …" always, the others when they name a task (#14, or an open task's
    words: "take the payroll run", not "take out the trash")."""
    from bot.handlers import away, lifecycle  # both ask questions: imported late, no cycle

    line = " ".join(text.strip().rstrip(".!").split())
    if away.AWAY.match(line) or away.BACK.match(line):
        return True
    for pattern, _ in lifecycle.PATTERNS:
        m = pattern.match(line)
        if m is None:
            continue
        if "#" in line or lifecycle.SNOOZE_RE.match(line):
            return True
        ref = m.groupdict().get("ref")
        if ref and _names_a_task(req, ref):
            return True
    return False


def _names_a_task(req: Request, words: str) -> bool:
    try:
        req.task(words.strip())
    except Ambiguous:
        return True  # several tasks: still a request about tasks, not an answer
    except VigilError:
        return False
    return True


def moves_on(req: Request, text: str) -> bool:
    """True when ``text`` is a clear request of its own: a command or new work said outright."""
    if is_command(req, text) or _said_outright(req, text):
        return True
    try:
        parsed = parse(text, req.now, req.tz, req.person.handle or req.person.name.lower())
    except (DateNotUnderstood, ValueError):
        return False
    first = text.strip().lstrip("/").split()[0].lower() if text.split() else ""
    return (parsed.intent == "create_task" and not parsed.confirm
            and (first in _NEW_WORK or parsed.recurrence is not None))


Answerer = Callable[[Request, QuestionRecord, str], Outgoing | None]

WANTED = {"date": "a date", "person": "a person", "reason": "a reason", "note": "a note",
          "which": "which task you meant", "progress": "how far it is", "choice": "a choice",
          "options": "your choice", "confirm": "a yes or no", "draft": "a yes or no"}
EXAMPLE = {"date": "like Friday, 28 Dec or next Monday 3pm.",
           "person": "a name or @handle, like Priya or @priya.",
           "which": "its number in my list (1, 2, …) or its #number.",
           "progress": "a percentage like 60%.", "choice": "press one of the buttons.",
           "options": "press a button or reply with its number.",
           "confirm": "tap one, or reply yes or no.",
           "draft": "tap one, or reply yes or no."}


def about(req: Request, question: QuestionRecord) -> str:
    task_id = question.payload.get("task")
    task = req.uow.tasks.get(req.ws, int(task_id)) if isinstance(task_id, int) else None
    return f" about #{task.number} {task.title}" if task else ""


def is_command(req: Request, text: str) -> bool:
    """True when ``text`` reads as a request of its own rather than an answer."""
    stripped = text.strip().lstrip("/")
    first = stripped.split()[0].lower() if stripped.split() else ""
    if first in _VERBS or re.match(r"^#\d+\b", stripped):
        return True
    try:
        parsed = parse(text, req.now, req.tz, req.person.handle or req.person.name.lower())
    except (DateNotUnderstood, ValueError):
        return False
    return parsed.intent not in ("unknown", "create_task")


def is_command_word(text: str) -> bool:
    """A one-word command ("people", "tasks", "team"), which is never a choice's answer."""
    words = text.lower().strip(" .!/").split()
    return len(words) == 1 and words[0] in _VERBS - {"invite", "task"}


def date_of(req: Request, text: str) -> Any:
    """A date answer in the speaker's zone, or None (never raises for odd text)."""
    try:
        return parse_date(text, req.now, req.tz)
    except (DateNotUnderstood, ValueError):
        return None


def chosen_index(text: str, count: int) -> int | None:
    """'2', 'the second', 'last' -> a 0-based index into ``count`` choices, or None."""
    words = text.lower().replace("the ", "").replace("one", "").strip(" .!")
    if words.isdigit():
        n = int(words)
        return n - 1 if 1 <= n <= count else None
    if words in _ORDINALS:
        n = _ORDINALS[words]
        return count - 1 if n == -1 else (n - 1 if n <= count else None)
    return None
