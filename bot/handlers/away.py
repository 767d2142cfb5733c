"""Out of office in plain words: "I'm on holiday next week", "back in the office".

Also "I'm off tomorrow", "I'm away until Friday backup @leo", "I'm on leave
from 14 Dec to 18 Dec", "ooo next week". The command form (``ooo until
Friday backup @leo``, ``ooo off``) stays in bot.handlers.admin.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import NotFound, VigilError
from bot.evaluation import Cause
from bot.handlers import questions
from bot.handlers.request import Request
from bot.language import parse_date
from bot.messages import Outgoing, Picker, Section
from bot.services import people as people_svc
from bot.views.replies import event_sections
from engine import calendar as cal_ops

AWAY = re.compile(
    r"^(?:i\s*'?\s*m|i\s+am|i\s*'?\s*ll\s+be|i\s+will\s+be|me)?\s*"
    r"(?:on\s+(?:holiday|holidays|vacation|leave|annual\s+leave|pto|sick\s+leave)|"
    r"off(?:\s+sick)?|away|out(?:\s+of\s+(?:the\s+)?office)?|ooo)\s+(?P<when>.+)$",
    re.I,
)
BACK = re.compile(
    r"^(?:i\s*'?\s*m\s+|i\s+am\s+)?back(?:\s+(?:in\s+the\s+office|at\s+work|from\s+"
    r"(?:holiday|vacation|leave)|now|again))?$|^ooo\s+(?:is\s+)?over$",
    re.I,
)
_BACKUP = re.compile(r"\s*(?:,|\band\b)?\s*backup\s+@?(?P<who>[\w.\-]+)\s*$", re.I)
_RANGE = re.compile(r"^(?:from\s+)?(?P<a>.+?)\s+(?:to|until|till|til|through|-|–)\s+(?P<b>.+)$",
                    re.I)
_UNTIL = re.compile(r"^(?:until|till|til|through|thru|up\s+to)\s+(?P<b>.+)$", re.I)
_FOR_DAYS = re.compile(r"^for\s+(?P<n>\d{1,2}|a|one|two|three)\s+(?P<unit>days?|weeks?)$", re.I)
_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3}


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer an away or back sentence, or None."""
    text = " ".join(text.strip().rstrip(".!").split())
    if BACK.match(text):
        req.heard = "back"
        return back(req)
    m = AWAY.match(text)
    if m is None:
        return None
    when = m.group("when")
    if when.lower().startswith(("until ", "off")) and text.lower().startswith("ooo"):
        return None  # the command form: ooo until Friday backup @leo / ooo off
    backup_id = None
    b = _BACKUP.search(when)
    if b:
        backup_id = req.person_ref(b.group("who")).id
        when = when[: b.start()].strip()
    start, until = period(req, when)
    if until is None:
        return None
    return away(req, start, until, backup_id)


def period(req: Request, when: str) -> tuple[datetime, datetime | None]:
    """('next week') -> (Monday 00:00, the Monday after 00:00) in the speaker's zone."""
    zone = ZoneInfo(req.tz)
    local = req.now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    w = when.lower().strip()
    w = re.sub(r"^(?:for\s+)?(?:the\s+)?(?=(?:rest\s+of\s+)?(?:this|next)\s+week)", "", w)
    if w in ("next week",):
        monday = _day(midnight, 7 - local.weekday())
        return monday, _day(monday, 7)
    if w in ("this week", "rest of this week", "rest of the week"):
        return req.now, _day(midnight, 7 - local.weekday())
    if w in ("today", "for today", "for the day", "for the rest of the day"):
        return req.now, _day(midnight, 1)
    if w in ("tomorrow", "for tomorrow"):
        return _day(midnight, 1), _day(midnight, 2)
    m = _FOR_DAYS.match(w)
    if m:
        n = int(_WORDS.get(m.group("n"), m.group("n")) or 1)
        days = n * (7 if m.group("unit").startswith("week") else 1)
        return req.now, _day(midnight, days)
    m = _UNTIL.match(w)
    if m:
        return req.now, _date(req, m.group("b"))
    m = _RANGE.match(w)
    if m:
        first, last = _date(req, m.group("a")), _date(req, m.group("b"))
        if first is None or last is None:
            return req.now, None
        start = first.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        return max(start, req.now), last
    day = _date(req, re.sub(r"^on\s+", "", w))
    if day is None:
        return req.now, None
    start = day.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(start, req.now), _day(start, 1)


def _day(midnight: datetime, days: int) -> datetime:
    """Local midnight ``days`` later (wall clock, so DST changes do not shift it)."""
    shifted = (midnight.replace(tzinfo=None) + timedelta(days=days))
    return shifted.replace(tzinfo=midnight.tzinfo)


def _date(req: Request, phrase: str) -> datetime | None:
    try:
        return parse_date(phrase, req.now, req.tz)
    except ValueError:
        return None


def away(req: Request, start: datetime, until: datetime, backup_id: int | None) -> Outgoing:
    if until <= req.now or until <= start:
        raise VigilError("That time is already over. For example: I'm on holiday next week")
    fields: dict[str, object] = {"ooo_from": start, "ooo_until": until}
    if backup_id is not None:
        fields["backup_id"] = backup_id
    person, events = people_svc.update_person(
        req.uow, req.ws, req.now, req.person.id,
        cause=Cause(req.person.id, req.person.name), **fields)
    backup = req.uow.people.get(req.ws, person.backup_id) if person.backup_id else None
    cover = f" {backup.name} is your backup." if backup else ""
    head = Section(f"🏖 You're out of office {span(req, start, until)}.{cover} "
                   "Say “back in the office” if you return early.")
    news = event_sections(req.uow, req.ws, events)
    if backup is None:
        return Outgoing(tuple([head, *news, *ask_backup(req).sections]))
    return Outgoing(tuple([head] + news))


BACKUP_BUTTONS = 5


def ask_backup(req: Request) -> Outgoing:
    """'Who covers your work while you're away?' — teammates as buttons, a typed name answers."""
    people = [p for p in req.uow.people.list(req.ws, active_only=True) if p.id != req.person.id]
    choices = [(p.name, "person.set_my_backup", {"owner": p.id})
               for p in people[:BACKUP_BUTTONS]]
    return questions.ask(req, "person", {"role": "away"},
                         "Who covers your work while you're away? Tap a name or reply with "
                         "a name or @handle.", choices,
                         picker=Picker("person", "person.set_my_backup", {}, "Pick a person"))


def set_my_backup(req: Request, backup_id: int) -> Outgoing:
    """The speaker's backup: alerts for their work go there while they are out."""
    backup = req.uow.people.get(req.ws, backup_id)
    if backup is None:
        raise NotFound("That person is not in this workspace.")
    if backup.id == req.person.id:
        raise VigilError("Your backup must be someone else.")
    _, events = people_svc.update_person(req.uow, req.ws, req.now, req.person.id,
                                         cause=Cause(req.person.id, req.person.name),
                                         backup_id=backup.id)
    head = Section(f"{backup.name} is your backup: they cover your work while you're away.")
    return Outgoing(tuple([head] + event_sections(req.uow, req.ws, events)))


def span(req: Request, start: datetime, until: datetime) -> str:
    """'from Mon 7 Dec through Fri 11 Dec' (whole days) or '… until Fri 4 Dec 17:00'."""
    zone = ZoneInfo(req.tz)
    a, b = start.astimezone(zone), until.astimezone(zone)
    first = "from now" if start <= req.now else f"from {a:%a} {a.day} {a:%b}"
    if (b.hour, b.minute) == (0, 0):
        cal = req.workspace.calendar
        last = (b - timedelta(minutes=1)).date()
        while not cal_ops.is_working_day(cal, last) and last > a.date():
            last -= timedelta(days=1)
        again = b.date()
        while not cal_ops.is_working_day(cal, again):
            again += timedelta(days=1)
        back_on = f"(back {again:%a} {again.day} {again:%b})"
        if start > req.now and last == a.date():
            return f"on {last:%a} {last.day} {last:%b} {back_on}"
        return f"{first} through {last:%a} {last.day} {last:%b} {back_on}"
    return f"{first} until {b:%a} {b.day} {b:%b %H:%M}"


def back(req: Request) -> Outgoing:
    if req.person.ooo_until is None or not (req.person.is_out_of_office(req.now)
                                            or (req.person.ooo_from or req.now) > req.now):
        return Outgoing.say("Welcome back! You weren't marked out of office, so nothing "
                            "changed.")
    _, events = people_svc.update_person(req.uow, req.ws, req.now, req.person.id,
                                         cause=Cause(req.person.id, req.person.name),
                                         ooo_from=None, ooo_until=None)
    head = Section("Welcome back — you are no longer out of office; alerts come to you again.")
    return Outgoing(tuple([head] + event_sections(req.uow, req.ws, events)))
