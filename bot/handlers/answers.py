"""What each kind of question accepts as an answer.

A function per kind takes the typed reply and returns the finished change, or
None when the reply does not fit (see ``bot.handlers.questions.answer``).
"""

from __future__ import annotations

import re
from datetime import date

from bot.errors import NotFound, VigilError
from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.messages import Outgoing
from engine import calendar as cal_ops
from engine.model import Task
from storage.repositories.questions import QuestionRecord

_PERCENT = re.compile(r"^(?:it'?s\s+)?(?P<n>\d{1,3})\s*(?:%|percent)?(?:\s+done)?$", re.I)


def _task(req: Request, question: QuestionRecord) -> Task:
    task_id = question.payload.get("task")
    task = req.uow.tasks.get(req.ws, int(task_id)) if isinstance(task_id, int) else None
    if task is None:
        raise NotFound("The task I asked about no longer exists.")
    return task


def due_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
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


def reason_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    if q.moves_on(req, text):
        return None
    return th.block(req, _task(req, question), text.strip())


def note_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    if q.moves_on(req, text):
        return None
    return th.note(req, _task(req, question), text.strip())


def progress_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
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


# A typed yes or no to a confirmation ("Delete #3 for good?"): every word must be one of these.
_YES = frozenset("""yes y yep yeah yea yup sure ok okay k go ahead do it delete please confirm
confirmed fine right correct absolutely definitely that's""".split())
_NO = frozenset("""no n nope nah not don't dont do keep it leave cancel never mind stop
wait hold on delete""".split())
_SURE_YES = frozenset("yes y yep yeah yea yup sure ok okay k confirm confirmed".split())
_SURE_NO = frozenset("no n nope nah not don't dont keep leave".split())


def confirm_answer(req: Request, question: QuestionRecord, text: str) -> Outgoing | None:
    """'yes', 'yep go ahead', 'delete it' pick the first choice; 'no', 'keep it', "don't
    delete it" the second. A word of neither list, or a sure yes with a sure no, is no answer."""
    tokens = re.findall(r"[\w']+", text.lower().replace("’", "'"))
    choices = question.payload.get("choices") or []
    words = set(tokens)
    if (not tokens or len(tokens) > MAX_OPTION_WORDS or len(choices) != 2
            or not words <= _YES | _NO or (words & _SURE_YES and words & _SURE_NO)):
        return None
    if words & _SURE_NO:
        return _run_choice(req, choices[1])
    return _run_choice(req, choices[0]) if words <= _YES else None


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
