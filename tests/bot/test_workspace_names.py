"""A workspace named on the command line by its key or its display name."""

from __future__ import annotations

import pytest

from bot.workspace_names import UnknownWorkspace, resolve


@pytest.fixture
def spaces(uow):
    with uow() as u:
        u.workspaces.create("console:default", "Console")
        u.workspaces.create("T0123", "Ledger & Co")
        u.workspaces.create("-100200", "Ledger & Co")
        u.commit()
    return uow


@pytest.mark.parametrize(
    ("name", "key"),
    [("console:default", "console:default"), ("Console", "console:default"),
     ("  console ", "console:default"), ("T0123", "T0123"), ("-100200", "-100200")],
)
def test_a_key_or_a_display_name_finds_the_workspace(spaces, name, key):
    with spaces() as u:
        assert resolve(u, name).key == key


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Consle", "no workspace called 'Consle'; there are: Console (console:default), "
                   "Ledger & Co (T0123), Ledger & Co (-100200)"),
        ("ledger & co", "2 workspaces are called 'ledger & co': Ledger & Co (T0123), "
                        "Ledger & Co (-100200) — name one by its key"),
        (None, "say which workspace with --workspace (there are: Console (console:default), "
               "Ledger & Co (T0123), Ledger & Co (-100200))"),
    ],
)
def test_unknown_or_ambiguous_names_list_the_workspaces(spaces, name, message):
    with spaces() as u, pytest.raises(UnknownWorkspace) as exc:
        resolve(u, name)
    assert str(exc.value) == message
