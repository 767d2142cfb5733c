"""Naming a workspace on the command line: by its key or by its display name.

Keys are what platforms make (``console:default``, a Slack team id, a Telegram
chat id); people know the display name ("Console", "Ledger & Co"). Either
works; an unknown name is an error that lists the workspaces there are, so a
typo never silently creates a second workspace.
"""

from __future__ import annotations

from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork


class UnknownWorkspace(LookupError):
    """No (or more than one) workspace answers to the name; the message lists them."""


def describe(spaces: list[WorkspaceRecord]) -> str:
    """'Console (console:default), Ledger & Co (demo)' — or 'none yet'."""
    return ", ".join(f"{w.name} ({w.key})" if w.name != w.key else w.key for w in spaces) or (
        "none yet")


def matching(spaces: list[WorkspaceRecord], name: str) -> list[WorkspaceRecord]:
    """The workspaces ``name`` means: the exact key first, else the display name (any case)."""
    wanted = name.strip()
    by_key = [w for w in spaces if w.key == wanted]
    if by_key:
        return by_key
    folded = wanted.casefold()
    return [w for w in spaces if w.name.strip().casefold() == folded]


def resolve(uow: UnitOfWork, name: str | None, create_hint: bool = False) -> WorkspaceRecord:
    """The one workspace called ``name``; None picks the only one there is.

    Raises ``UnknownWorkspace`` naming the existing workspaces (and, with
    ``create_hint``, how to create a new one).
    """
    spaces = uow.workspaces.list()
    if name is None or not name.strip():
        if len(spaces) == 1:
            return spaces[0]
        raise UnknownWorkspace(f"say which workspace with --workspace (there are: "
                               f"{describe(spaces)})")
    found = matching(spaces, name)
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownWorkspace(f"{len(found)} workspaces are called '{name}': "
                               f"{describe(found)} — name one by its key")
    hint = " — or add --create to make a new one" if create_hint else ""
    raise UnknownWorkspace(f"no workspace called '{name}'; there are: {describe(spaces)}{hint}")
