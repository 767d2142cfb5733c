"""Workspace commands: project add, people, role, reports, ooo, settings."""

from __future__ import annotations

import re

from bot.errors import VigilError
from bot.evaluation import Cause, full_check
from bot.handlers import personal
from bot.handlers.request import Request
from bot.language import parse_date
from bot.messages import Outgoing, Section
from bot.permissions import can_administer, can_manage
from bot.services import people as people_svc
from bot.views.replies import event_sections, local_when
from engine.settings import DEFAULTS, SettingsError, validate

_PROJECT = re.compile(r"^project\s+add\s+(?P<rest>.+)$", re.I)
_ROLE = re.compile(r"^role\s+@?(?P<who>\S+)\s+(?P<role>\w+)$", re.I)
_REPORTS = re.compile(r"^reports\s+@?(?P<who>\S+)\s+to\s+@?(?P<boss>\S+)$", re.I)
_OOO = re.compile(r"^ooo(?:\s+(?P<rest>.*))?$", re.I)
_SETTINGS = re.compile(r"^settings(?:\s+(?P<key>\S+)(?:\s+(?P<value>.+))?)?$", re.I)


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer a workspace command, or None when ``text`` is not one."""
    text = text.strip().lstrip("/")
    if text.lower().startswith("task "):
        text = text[5:].strip()
    if text.lower() == "people":
        req.heard = "people_list"  # how `vigil parse` reports the words
        return people(req)
    if text.lower().startswith("settings me"):  # a person's own settings (bot/handlers/personal)
        req.heard = "my_settings"
        return personal.handle(req, text)
    for pattern, handler, heard in ((_PROJECT, project_add, "add_project"), (_ROLE, role, "role"),
                                    (_REPORTS, reports, "reporting_line"), (_OOO, ooo, "away"),
                                    (_SETTINGS, settings, "settings")):
        match = pattern.match(text)
        if match:
            req.heard = heard
            return handler(req, match)
    return None


def project_add(req: Request, m: re.Match[str]) -> Outgoing:
    can_manage(req.person).enforce()
    rest = m.group("rest")
    due = None
    due_match = re.search(r"\bdue\s+(.+)$", rest, re.I)
    if due_match:
        due = parse_date(due_match.group(1), req.now, req.tz)
        if due is None:
            raise VigilError(f"I could not read the date '{due_match.group(1)}'.")
        rest = rest[: due_match.start()]
    manager_id = None
    mention = re.search(r"@(\S+)", rest)
    if mention:
        manager_id = req.person_ref(mention.group(1)).id
        rest = rest[: mention.start()] + rest[mention.end():]
    project, events = people_svc.add_project(req.uow, req.ws, req.now, rest.strip(),
                                             manager_id=manager_id, due=due)
    sections = [Section(f"Project {project.name} created")]
    return Outgoing(tuple(sections + event_sections(req.uow, req.ws, events)))


def people(req: Request) -> Outgoing:
    everyone = req.uow.people.list(req.ws)
    names = {p.id: p.name for p in everyone}
    lines = []
    for p in everyone:
        boss = f", reports to {names[p.reports_to_id]}" if p.reports_to_id in names else ""
        away = ""
        if p.is_out_of_office(req.now):
            away = f", away until {local_when(req.workspace.calendar, req.tz, p.ooo_until)}"
        elif p.ooo_until is not None and p.ooo_from is not None and p.ooo_from > req.now:
            away = (f", away from {local_when(req.workspace.calendar, req.tz, p.ooo_from)} "
                    f"until {local_when(req.workspace.calendar, req.tz, p.ooo_until)}")
        lines.append(f"• {p.name} (@{p.handle or p.name.lower()}) — {p.role.value}{boss}{away}")
    count = "1 person" if len(everyone) == 1 else f"{len(everyone)} people"
    return Outgoing.say(f"{count}:\n" + "\n".join(lines))


def role(req: Request, m: re.Match[str]) -> Outgoing:
    can_administer(req.person).enforce()
    who = req.person_ref(m.group("who"))
    updated, _ = people_svc.update_person(req.uow, req.ws, req.now, who.id,
                                          role=m.group("role").lower())
    return Outgoing.say(f"{updated.name} is now {updated.role.value}")


def reports(req: Request, m: re.Match[str]) -> Outgoing:
    can_administer(req.person).enforce()
    who, boss = req.person_ref(m.group("who")), req.person_ref(m.group("boss"))
    people_svc.update_person(req.uow, req.ws, req.now, who.id, reports_to_id=boss.id)
    return Outgoing.say(f"{who.name} now reports to {boss.name}")


def ooo(req: Request, m: re.Match[str]) -> Outgoing:
    """'ooo until Friday backup @leo' for yourself; 'ooo off' when back."""
    rest = (m.group("rest") or "").strip()
    if rest.lower() in ("off", "back", "end"):
        people_svc.update_person(req.uow, req.ws, req.now, req.person.id,
                                 ooo_from=None, ooo_until=None)
        return Outgoing.say("Welcome back — you are no longer out of office.")
    fields: dict[str, object] = {"ooo_from": req.now}
    backup = re.search(r"\bbackup\s+@?(\S+)", rest, re.I)
    if backup:
        fields["backup_id"] = req.person_ref(backup.group(1)).id
        rest = rest[: backup.start()] + rest[backup.end():]
    until = re.search(r"\buntil\s+(.+)$", rest.strip(), re.I)
    if not until:
        raise VigilError("Until when? For example: ooo until Friday backup @leo")
    when = parse_date(until.group(1), req.now, req.tz)
    if when is None or when <= req.now:
        raise VigilError(f"'{until.group(1)}' is not a future date.")
    fields["ooo_until"] = when
    _, events = people_svc.update_person(req.uow, req.ws, req.now, req.person.id,
                                         cause=Cause(req.person.id, req.person.name), **fields)
    head = Section(f"You are out of office until "
                   f"{local_when(req.workspace.calendar, req.tz, when)}")
    return Outgoing(tuple([head] + event_sections(req.uow, req.ws, events)))


def settings(req: Request, m: re.Match[str]) -> Outgoing:
    key, value = m.group("key"), m.group("value")
    current = dict(req.workspace.settings)
    if key is None:
        lines = [f"• {k} = {current.get(k, v)}{'' if k not in current else ' (set here)'}"
                 for k, v in sorted(DEFAULTS.items())]
        return Outgoing.say("Settings:\n" + "\n".join(lines))
    can_administer(req.person).enforce()
    if value is None:
        raise VigilError(f"Give a value, e.g. settings {key} 48h")
    try:
        current[key] = validate(key, value)
    except (SettingsError, ValueError) as exc:
        raise VigilError(str(exc)) from None
    req.uow.workspaces.update_settings(req.ws, current)
    events = full_check(req.uow, req.ws, req.now, cause=Cause(req.person.id, req.person.name))
    head = Section(f"{key} is now {current[key]}")
    return Outgoing(tuple([head] + event_sections(req.uow, req.ws, events)))
