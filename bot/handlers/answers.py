"""What each kind of question accepts as an answer.

A function per kind takes the typed reply and returns the finished change, or
None when the reply does not fit (see ``bot.handlers.questions.answer``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from bot.errors import NotFound, VigilError
from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers import yes_no
from bot.handlers.request import Request
from bot.messages import Outgoing, Section
from engine import calendar as cal_ops
from engine.model import Task, WorkCalendar
from storage.repositories.questions import QuestionRecord

_PERCENT = re.compile(r"^(?:it'?s\s+)?(?P<n>\d{1,3})\s*(?:%|percent)?(?:\s+done)?$", re.I)


def _task(req: Request, question: QuestionRecord) -> Task:
    task_id = question.payload.get("task")
    task = req.uow.tasks.get(req.ws, int(task_id)) if isinstance(task_id, int) else None
    if task is None:
        raise NotFound("The task I asked about no longer exists.")
    return task


def due_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    choices = question.payload.get("choices") or []
    index = q.chosen_index(text, len(choices))
    if index is not None:  # "2": the second button (+1 week), not the 2nd of the month
        return _run_choice(req, choices[index])
    due = q.date_of(req, text)
    return th.set_due(req, _task(req, question), due) if due is not None else None


# Words around a name in a reply to "who?": "backup Jo", "Jo can cover", "it's @jo please".
_WHO = re.compile(
    r"^(?:(?:my\s+)?backup(?:\s+is)?|it'?s|it\s+is|ask|give\s+it\s+to|try)?\s*"
    r"@?(?P<name>[\w.\-']+(?:\s+[\w.\-']+)??)\s*"
    r"(?:(?:can|will)\s+cover(?:\s+(?:it|me|for\s+me))?|covers?(?:\s+(?:it|me|for\s+me))?|"
    r"is\s+(?:my\s+)?(?:the\s+)?backup|(?:can\s+)?do\s+it|please)?[\s.!]*$", re.I)


def name_in(text: str) -> str | None:
    """The name in a short reply to 'who?' ("Jo", "@jo", "Jo can cover", "backup Jo")."""
    m = _WHO.match(text.strip().replace("’", "'"))
    return m.group("name") if m else None


def owner_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    choices = question.payload.get("choices") or []
    index = q.chosen_index(text, len(choices))
    if index is not None:  # "2": the second name offered
        return _run_choice(req, choices[index])
    name = name_in(text)
    known = req.uow.people.by_handle(req.ws, name) if name else None
    if name is None or (known is None and q.moves_on(req, text)):
        return None
    person = known or req.person_ref(name)  # unknown: UnknownPerson offers to add them
    if question.payload.get("role") == "away":
        from bot.handlers import away  # away asks this question: imported late, no cycle

        return away.set_my_backup(req, person.id)
    task = _task(req, question)
    if question.payload.get("role") == "backup":
        return th.set_backup(req, task, person)
    return th.assign(req, task, person.handle or person.name)


# A reply that starts like a reason is one, even if it parses as a command ("waiting on Jo").
_REASON_START = re.compile(r"^(?:still\s+)?(?:waiting|wait|for|on|from|need|needs|needing|"
                           r"blocked\s+by|stuck\s+on|held\s+up\s+by|no\s|missing|the\s)", re.I)


def reason_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    if not _REASON_START.match(text.strip()) and q.moves_on(req, text):
        return None
    return th.block(req, _task(req, question), text.strip())


def note_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    if q.moves_on(req, text):
        return None
    return th.note(req, _task(req, question), text.strip())


def progress_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    choices = question.payload.get("choices") or []
    index = q.chosen_index(text, len(choices)) if "%" not in text else None
    if index is not None:  # "2": the second button (50%); "60" or "60%" is a percentage
        return _run_choice(req, choices[index])
    m = _PERCENT.match(text.strip())
    return th.progress(req, _task(req, question), int(m.group("n"))) if m else None


# Words that carry no choice in a short reply ("yes, the task please", "add them").
_FILLER = frozenset("""a an the it's its is as to please just yes yeah no ok okay sure
make create add one i i'm mean meant want that this new called named""".split())
_NEGATION = frozenset({"not", "isn't", "don't", "dont", "never", "neither"})
MAX_OPTION_WORDS = 6


def options_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    """'1', 'the second', or a few words naming one choice: "task", "invite them", "person".

    Every word must be a choice's word, filler or the question's own title ("Sam is a
    person"); a word of anything else ("invite Sam as manager") means the reply is a
    request of its own. A reply naming two choices, or a negation, is no answer.
    """
    choices = question.payload.get("choices") or []
    index = q.chosen_index(text, len(choices))
    said = yes_no.reads_as(text) if index is None and "yes" in question.payload else None
    if said == "yes":  # "Did you mean a task called “Pirya”?" — "yep"
        index = int(question.payload["yes"])
    elif said == "no":
        if "no" not in question.payload:
            return Outgoing.say("OK, nothing was created or changed.")
        index = int(question.payload["no"])
    if index is None:
        if q.is_command_word(text):
            return None  # "people", "tasks", "team": the command, not an answer
        tokens = re.findall(r"[\w'\-]+", text.lower())
        title = set(str(question.payload.get("title") or "").lower().split())
        picked = [{i for i, c in enumerate(choices) if t in (c.get("words") or ())}
                  for t in tokens]
        known = all(hit or t in _FILLER or t in title
                    for t, hit in zip(tokens, picked, strict=True))
        hits = set().union(*picked) if picked else set()
        if not hits and said is None and yes_no.reads_as(text) == "no":
            return Outgoing.say("OK, nothing was created or changed.")  # "no" to both
        if (not tokens or len(tokens) > MAX_OPTION_WORDS or not known
                or _NEGATION & set(tokens) or len(hits) != 1):
            return None
        index = hits.pop()
    return _run_choice(req, choices[index])


def _run_choice(req: Request, choice: dict[str, object]) -> Outgoing | None:
    from bot.handlers.actions import HANDLERS

    handler = HANDLERS.get(str(choice["action"]))
    args = choice.get("args")
    return handler(req, dict(args) if isinstance(args, dict) else {}) if handler else None


def confirm_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    """'yes', 'yep go ahead', 'delete it' pick the first choice; 'no', 'keep it', "don't
    delete it" the second (a question with one choice: "no" drops it, nothing changed).

    The question's own words count too (payload "yes_words"/"no_words"; a delete asks
    with "delete" and "keep")."""
    choices = question.payload.get("choices") or []
    said = yes_no.reads_as(text, yes=question.payload.get("yes_words") or ("delete", "remove"),
                           no=question.payload.get("no_words") or ("keep",))
    if said is None or not 1 <= len(choices) <= 2:
        return None
    if said == "yes":
        done = _run_choice(req, choices[0])
        again = question.payload.get("again")  # "Add Leo?" came from a request: say it again
        if done is not None and again:
            # kept, so that "now say it again" / "try again" runs it (bot.handlers.redo)
            q.store(req, "again", {"again": again, "loose": True})
            return replace(done, sections=done.sections + (
                Section(f"Now say it again: {again} (or just reply “again”)"),))
        return done
    if len(choices) == 2:
        return _run_choice(req, choices[1])
    return Outgoing.say("OK, nothing was changed.")


def draft_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    """A reply to "Create this task?" or "Which date did you mean?" (a capture draft).

    "yes", "sure", "create it" take the only Create; "no", "nope" the Cancel (always the
    last choice); "1", "2" a button by its place; a date the option on that day.
    """
    choices = question.payload.get("choices") or []
    index = q.chosen_index(text, len(choices))
    if index is None:
        said = yes_no.reads_as(text, yes=DRAFT_YES)
        if said == "no":
            index = len(choices) - 1
        elif said == "yes" and len(choices) == 2:
            index = 0
        elif said is None:
            index = _day_of(req, question, text)
    return _run_choice(req, choices[index]) if index is not None else None


DRAFT_YES = ("create", "add", "make", "save", "it", "task", "that", "this")


def _day_of(req: Request, question: QuestionRecord, text: str) -> int | None:
    """The index of the date option falling on the day ``text`` names, or None."""
    due = q.date_of(req, text)
    days = question.payload.get("days") or []
    if due is None:
        return None
    day = cal_ops.to_local(WorkCalendar(tz=req.tz), due).date().isoformat()
    return days.index(day) if day in days else None


def which_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    """'2', 'the second', '#14' or title words naming one of the offered tasks."""
    choices = question.payload.get("choices") or []
    ids = [int(str(c["args"]["task"])) for c in choices]
    index = q.chosen_index(text, len(ids))
    if index is None:
        m = re.fullmatch(r"#?(\d{1,9})", text.strip())
        tasks = req.uow.tasks.get_many(req.ws, ids)
        if m and text.strip().startswith("#"):
            number = int(m.group(1))
            hits = [t.id for t in tasks if t.number == number]
        else:
            words = text.lower().split()
            hits = [t.id for t in tasks if words and all(w in t.title.lower() for w in words)]
        if len(hits) != 1:
            return None
        index = ids.index(hits[0])
    return _run_choice(req, choices[index])


ANSWERS: dict[str, q.Answerer] = {
    "date": due_answer,
    "person": owner_answer,
    "reason": reason_answer,
    "note": note_answer,
    "progress": progress_answer,
    "which": which_answer,
    "options": options_answer,
    "confirm": confirm_answer,
    "draft": draft_answer,
}


def set_date(req: Request, task: Task, iso_day: str) -> Outgoing:
    """A picked day (Slack's datepicker): due at the end of that working day."""
    try:
        day = date.fromisoformat(iso_day)
    except ValueError:
        raise VigilError(f"'{iso_day}' is not a date.") from None
    cal = req.workspace.calendar
    due = cal_ops.end_of_working_day(cal, day)
    return th.set_due(req, task, due)


def set_due_at(req: Request, task: Task, iso_instant: str) -> Outgoing:
    """A deadline said before the task was picked ("I'll have it done by Friday"): that instant."""
    try:
        due = datetime.fromisoformat(iso_instant)
    except ValueError:
        raise VigilError(f"'{iso_instant}' is not a date.") from None
    if due.tzinfo is None:
        raise VigilError(f"'{iso_instant}' has no time zone.")
    return th.set_due(req, task, due)
