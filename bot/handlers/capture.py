"""One tap to confirm an uncertain reading (issue #12 items 2 and 3).

* A task captured without a verb and without a date ("call the Acme CFO"):
  "Create this task? … [Create] [Cancel]".
* A date whose year is in doubt ("due #14 15 Oct" said on 1 Dec): "Which date
  did you mean? [Thu 15 Oct 2026 — past] [Fri 15 Oct 2027] [Cancel]".

What was asked is kept as a draft (storage: capture_drafts) owned by the asker;
the buttons carry only its id. Taking a draft deletes it: a second tap changes
nothing. A draft someone else's, or gone, gets a clear answer.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from bot.errors import VigilError
from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.language import ParsedIntent
from bot.language.recurrence import describe
from bot.messages import Button, Outgoing, Section
from bot.views.replies import local_when
from engine import calendar as cal_ops
from engine.model import WorkCalendar

CREATE, CANCEL, PICK = "capture.create", "capture.cancel", "capture.pick_date"
GONE = "That question has been answered already (or it expired); nothing was changed."


def confirm(req: Request, p: ParsedIntent) -> Outgoing:
    """Ask before acting on an uncertain reading; a button or a typed "yes", "no", "2" or
    date answers it (the draft is also stored as a question: ``answers.draft_answer``)."""
    if p.intent == "set_deadline":
        task = req.task(p.task)
        p = replace(p, task=f"#{task.number}")
        draft = req.uow.drafts.add(req.ws, req.person.id, _to_json(p), req.now)
        buttons = [Button(_day(req, d) + (" — past" if d < req.now else ""), PICK,
                          {"draft": draft, "option": i}) for i, d in enumerate(p.due_options)]
        buttons.append(Button("Cancel", CANCEL, {"draft": draft}))
        return _asked(req, p, draft, buttons,
                      f"Which date did you mean for #{task.number} {task.title}?")
    draft = req.uow.drafts.add(req.ws, req.person.id, _to_json(p), req.now)
    if p.due_options:
        buttons = [Button(f"Create, due {_day(req, d)}", CREATE, {"draft": draft, "option": i},
                          style="primary" if i == 0 else None)
                   for i, d in enumerate(p.due_options)]
        question = "Which date did you mean? I would create:"
    else:
        buttons = [Button("Create", CREATE, {"draft": draft}, style="primary")]
        question = "Create this task?"
    buttons.append(Button("Cancel", CANCEL, {"draft": draft}))
    return _asked(req, p, draft, buttons, f"{question}\n{preview(req, p)}")


def _asked(req: Request, p: ParsedIntent, draft: int, buttons: list[Button],
           text: str) -> Outgoing:
    """The draft's question, stored so a typed reply answers it; its buttons stay its own."""
    zone = WorkCalendar(tz=req.tz)
    days = [cal_ops.to_local(zone, d).date().isoformat() for d in p.due_options]
    q.store(req, "draft", {"draft": draft, "days": days, "loose": True},
            [(b.label, b.action, b.args) for b in buttons])
    hint = "(Tap one, or reply with its number — or no.)" if p.due_options else \
        "(Tap one, or reply yes or no.)"
    return Outgoing((Section(text, tuple(buttons)), Section(hint)))


def preview(req: Request, p: ParsedIntent) -> str:
    """'“Call the Acme CFO” · due Sun 29 Nov 11:00 · @sam · #Acme · p1 · every Monday'."""
    parts = [f"“{p.title}”"]
    if p.due is not None and not p.due_options:
        parts.append(f"due {local_when(req.workspace.calendar, req.tz, p.due, req.now)}")
    if p.owner:
        parts.append(f"@{p.owner}")
    if p.project:
        parts.append(f"#{p.project}")
    if p.priority:
        parts.append(f"p{p.priority}")
    if p.recurrence:
        parts.append(describe(p.recurrence))
    return " · ".join(parts)


def create(req: Request, args: dict[str, object]) -> Outgoing:
    """[Create]: the drafted task, with the date picked when there was a choice."""
    p = _take(req, args)
    if p is None:
        return Outgoing.say(GONE)
    if p.intent != "create_task":
        raise VigilError("That button does not belong to a new task.")
    return th.create(req, _chosen(p, args))


def pick_date(req: Request, args: dict[str, object]) -> Outgoing:
    """A date button of "which date did you mean?": set it."""
    p = _take(req, args)
    if p is None:
        return Outgoing.say(GONE)
    if p.intent == "create_task":
        return th.create(req, _chosen(p, args))
    chosen = _chosen(p, args)
    return th.set_due(req, req.task(chosen.task), chosen.due)


def cancel(req: Request, args: dict[str, object]) -> Outgoing:
    """[Cancel]: forget the draft."""
    p = _take(req, args)
    return Outgoing.say("OK, nothing was created or changed." if p else GONE)


def _chosen(p: ParsedIntent, args: dict[str, object]) -> ParsedIntent:
    due = p.due
    if p.due_options:
        index = _int(args.get("option", 0))
        if not 0 <= index < len(p.due_options):
            raise VigilError("That button is out of date; try the command again.")
        due = p.due_options[index]
    return replace(p, due=due, due_options=(), confirm=False)


def _take(req: Request, args: dict[str, object]) -> ParsedIntent | None:
    draft = _int(args.get("draft"))
    data = req.uow.drafts.take(req.ws, req.person.id, draft)
    asked = req.uow.questions.open(req.ws, req.person.id, req.chat, req.now)
    if asked is not None and asked.payload.get("draft") == draft:
        req.uow.questions.answered(req.ws, asked.id)  # tapped: a typed "yes" is no answer now
    return _from_json(data) if data is not None else None


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise VigilError("That button is out of date; try the command again.")
    try:
        return int(value)
    except ValueError:
        raise VigilError("That button is out of date; try the command again.") from None


def _day(req: Request, at: datetime) -> str:
    local = cal_ops.to_local(WorkCalendar(tz=req.tz), at)
    return f"{local:%a} {local.day} {local:%b %Y}"


def _to_json(p: ParsedIntent) -> dict[str, Any]:
    return p.as_json()


def intent_to_json(p: ParsedIntent) -> dict[str, Any]:
    """A reading kept for a later button press (a draft or a question's choice)."""
    return _to_json(p)


def intent_from_json(data: dict[str, Any]) -> ParsedIntent:
    """The reading kept by ``intent_to_json``."""
    return _from_json(data)


def _from_json(data: dict[str, Any]) -> ParsedIntent:
    known = {f.name for f in fields(ParsedIntent)}
    values = {k: v for k, v in data.items() if k in known and v is not None}
    if "due" in values:
        values["due"] = datetime.fromisoformat(values["due"])
    values["due_options"] = tuple(datetime.fromisoformat(d) for d in values.get("due_options", ()))
    values["depends_on"] = tuple(values.get("depends_on", ()))
    return ParsedIntent(**values)
