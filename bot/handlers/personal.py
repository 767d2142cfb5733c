"""``settings me …``: a person's own settings (today: when their morning digest comes).

* ``settings me`` — what is set for you;
* ``settings me digest 08:30`` — your digest at 08:30 your time (also ``8am``);
* ``settings me digest default`` — back to the workspace's ``digest.time``.

Anyone may change their own; the workspace's ``digest.time`` / ``digest.days``
stay an admin's (``settings digest.time 08:00``).
"""

from __future__ import annotations

import re
from datetime import time

from bot.errors import VigilError
from bot.handlers.request import Request
from bot.messages import Outgoing
from engine.settings import DEFAULTS, SettingsError, parse_time_of_day

_ME = re.compile(r"^settings\s+me(?:\s+(?P<key>\S+)(?:\s+(?P<value>.+))?)?$", re.I)
_DEFAULT = {"default", "reset", "workspace", "off"}


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer ``settings me …``, or None when ``text`` is something else."""
    match = _ME.match(text.strip())
    if match is None:
        return None
    key, value = match.group("key"), match.group("value")
    if key is None:
        return Outgoing.say(_summary(req))
    if key.lower() != "digest":
        raise VigilError(f"Unknown personal setting '{key}'. You can set: digest "
                         "(settings me digest 08:30).")
    if value is None:
        raise VigilError("At what time? For example: settings me digest 08:30")
    if value.strip().lower() in _DEFAULT:
        _store(req, None)
        return Outgoing.say(f"Your morning digest follows the workspace again: "
                            f"{_workspace_time(req)} ({req.tz}), {_days(req)}.")
    try:
        at = parse_time_of_day(value)
    except SettingsError as exc:
        raise VigilError(f"Your digest time must be {exc}") from None
    _store(req, at)
    return Outgoing.say(f"Your morning digest now comes at {at:%H:%M} ({req.tz}), {_days(req)}.")


def _store(req: Request, at: time | None) -> None:
    req.uow.people.update(req.ws, req.person.id, digest_time=at)
    reset = getattr(req.uow.people, "set_next_digest", None)
    if reset is not None:  # the digest job's stored next instant follows the new time
        reset(req.ws, {req.person.id: None})


def _workspace_time(req: Request) -> str:
    return str(req.workspace.settings.get("digest.time") or DEFAULTS["digest.time"])


def _days(req: Request) -> str:
    days = str(req.workspace.settings.get("digest.days") or DEFAULTS["digest.days"])
    named = ", ".join(d.capitalize() for d in days.split(","))
    return {"workdays": "on working days", "daily": "every day"}.get(days, f"on {named}")


def _summary(req: Request) -> str:
    own = req.uow.people.digest_times(req.ws, [req.person.id]).get(req.person.id)
    when = (f"{own:%H:%M} (yours)" if own is not None
            else f"{_workspace_time(req)} (the workspace's)")
    return (f"Your settings:\n• digest at {when}, {req.tz}, {_days(req)}\n"
            "Change it with: settings me digest 08:30 (or: settings me digest default)")
