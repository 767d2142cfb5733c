"""Telegram callback data <-> Vigil's ``Action`` (no business logic).

Callback data holds at most 64 bytes, so buttons travel as a short action code
and ids only: ``tp|w=3|t=12|v=50``. ``encode_callback`` refuses anything that
cannot fit; ``decode_callback`` refuses anything that is not ours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.messages import Action

MAX_CALLBACK_BYTES = 64

# Short codes for the action ids the core uses (bot/handlers/actions.py HANDLERS
# and the notifier). Codes never contain a ".", full action ids always do, so an
# action without a code still travels as its own id when it fits.
ACTION_CODES: dict[str, str] = {
    "task.done": "td",
    "task.approve": "ta",
    "task.send_back": "tsb",
    "task.unblock": "tu",
    "task.block": "tb",
    "task.show": "ts",
    "task.show_chain": "tsc",
    "task.show_subtasks": "tss",
    "task.progress": "tp",
    "task.due_plus": "tdp",
    "task.extend": "te",
    "task.pick_date": "tpd",
    "task.assign_me": "tam",
    "task.reassign": "tr",
    "task.reassign_backup": "trb",
    "task.help": "th",
    "task.escalate": "tes",
    "task.move_to_parent_date": "tmp",
    "task.move_to_project_deadline": "tmj",
    "task.shift_after_dependency": "tsd",
    "task.move_parent": "tmv",
    "task.remove_dependency": "trd",
    "task.assign": "tas",
    "project.make_me_manager": "pmm",
    "project.pick_manager": "ppm",
    "person.portfolio": "upf",
    "recurring.done": "rd",
    "recurring.add_proof": "rap",
    "recurring.history": "rh",
    "violation.ack": "va",
    "violation.snooze": "vs",
    "alerts.show_all": "asa",
    "capture.create": "cc",
    "capture.cancel": "cx",
    "capture.pick_date": "cp",
    "someone.invite_owner": "soi",
    "someone.create_ownerless": "soc",
    "question.pick": "qp",
    "person.invite": "pi",
    "person.set_my_backup": "psb",
    "task.create_titled": "tct",
    "task.set_date": "tsdt",
    "task.set_due": "tsdu",
    "task.set_backup": "tsbk",
    "task.reopen": "tro",
    "task.cancel": "tca",
    "task.delete": "tdl",
    "task.keep": "tk",
    "task.take": "tt",
    "task.ask_delete": "tad",
    "task.ask_snooze": "tsz",
    "task.ask_backup": "tab",
    "handover.give": "hg",
    "handover.keep": "hk",
}
CODE_ACTIONS: dict[str, str] = {code: action for action, code in ACTION_CODES.items()}
assert len(CODE_ACTIONS) == len(ACTION_CODES), "duplicate action code"

# Argument keys the core puts in button args; unknown keys travel as themselves.
ARG_CODES: dict[str, str] = {
    "task": "t",
    "value": "v",
    "days": "d",
    "hours": "h",
    "owner": "o",
    "violation": "x",
    "project": "p",
    "person": "u",
    "workspace": "w",
    "draft": "q",
    "option": "n",
    "asker": "a",
}
CODE_ARGS: dict[str, str] = {code: key for key, code in ARG_CODES.items()}

_ACTION_ID_RE = re.compile(r"^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$")
_CODE_RE = re.compile(r"^[a-z]{1,4}$")
_KEY_RE = re.compile(r"^[a-z_]{1,20}$")
_INT_RE = re.compile(r"^-?\d{1,18}$")
_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,30}$")


class CallbackError(ValueError):
    """Callback data that is not ours, malformed, or too long."""


def encode_callback(action: str, args: Mapping[str, object],
                    workspace_id: int | None = None) -> str:
    """``tp|w=3|t=12|v=50``: action code, then ids. Raises CallbackError if it cannot fit.

    ``workspace_id`` pins the press to the workspace the message was rendered for.
    """
    if not _ACTION_ID_RE.match(action):
        raise CallbackError(f"not an action id: {action!r}")
    parts = [ACTION_CODES.get(action, action)]
    items: list[tuple[str, object]] = []
    if workspace_id is not None:
        items.append(("workspace", workspace_id))
    items.extend((k, v) for k, v in args.items() if k != "workspace")
    for key, value in items:
        if not _KEY_RE.match(key):
            raise CallbackError(f"bad argument name {key!r}")
        parts.append(f"{ARG_CODES.get(key, key)}={_value(value)}")
    data = "|".join(parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def _value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise CallbackError(f"button arguments are ids only, not {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (_INT_RE.match(value) or _WORD_RE.match(value)):
        return value
    raise CallbackError(f"button arguments are ids only, not {value!r}")


def decode_callback(data: str | None) -> tuple[Action, int | None]:
    """The Action and the pinned workspace id (if any); CallbackError when malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackError("empty or oversized callback data")
    head, *rest = data.split("|")
    if head in CODE_ACTIONS:
        action = CODE_ACTIONS[head]
    elif _ACTION_ID_RE.match(head) and not _CODE_RE.match(head):
        action = head
    else:
        raise CallbackError(f"unknown action {head!r}")
    args: dict[str, object] = {}
    workspace: int | None = None
    for part in rest:
        key, sep, raw = part.partition("=")
        if not sep or not raw:
            raise CallbackError(f"malformed argument {part!r}")
        name = CODE_ARGS.get(key, key)
        if not _KEY_RE.match(name) or name in args:
            raise CallbackError(f"bad argument {part!r}")
        if _INT_RE.match(raw):
            value: object = int(raw)
        elif _WORD_RE.match(raw):
            value = raw
        else:
            raise CallbackError(f"bad value in {part!r}")
        if name == "workspace":
            if not isinstance(value, int) or workspace is not None:
                raise CallbackError("bad workspace")
            workspace = value
        else:
            args[name] = value
    return Action(action, args), workspace
