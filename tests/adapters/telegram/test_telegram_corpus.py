"""Real Telegram updates (``corpus/*.yaml``) through the real python-telegram-bot; each
reaction asserted.

Every file names its source in a comment; ids, names and dates were replaced.
A file holds ``admins`` (``[chat id, user id]`` pairs getChatMember calls
administrators), ``steps`` (updates fed one by one to the Application) and
``expect``:

* ``said``: substrings of what Vigil sent; ``silent``: nothing was sent;
* ``workspace``: the key of the one workspace (``none`` for no workspace);
* ``paused``: whether that workspace is paused;
* ``people`` / ``admins``: its people's names (admins);
* ``tasks``: its task titles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from telegram import Update
from tg_fake_api import run

from adapters.telegram.application import build_application

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.yaml"))


def _state(uow) -> dict[str, Any]:
    with uow() as u:
        spaces = u.workspaces.list()
        if not spaces:
            return {"workspace": None}
        assert len(spaces) == 1, [w.key for w in spaces]
        ws = spaces[0]
        people = u.people.list(ws.id)
        return {"workspace": ws.key, "paused": ws.paused_at is not None,
                "people": sorted(p.name for p in people),
                "admins": sorted(p.name for p in people if p.role == "admin"),
                "tasks": [t.title for t in u.tasks.list(ws.id)]}


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_update_gets_its_expected_reaction(path: Path, settings, conversation, fake_api, uow):
    text = path.read_text()
    assert text.startswith("# source:"), "every update names its source"
    case = yaml.safe_load(text)
    for chat_id, user_id in case.get("admins", []):
        fake_api.statuses[(chat_id, user_id)] = "administrator"
    said_before: list[int] = []

    async def go() -> None:
        app = build_application(settings, conversation)
        await app.initialize()
        try:
            for step in case["steps"]:
                if step.get("quiet_so_far"):
                    said_before.append(len(fake_api.called("sendMessage")))
                await app.process_update(Update.de_json(step["update"], app.bot))
        finally:
            await app.shutdown()

    run(go())
    expect = case["expect"]
    said = [str(p.get("text")) for p in fake_api.called("sendMessage")]
    for want in expect.get("said", []):
        assert any(want in s for s in said), f"{want!r} not said; said: {said}"
    for unwanted in expect.get("not_said", []):
        assert not any(unwanted in s for s in said), f"{unwanted!r} said: {said}"
    if expect.get("silent"):
        assert said == []
    state = _state(uow)
    if "workspace" in expect:
        assert state["workspace"] == expect["workspace"]
    for key in ("paused", "people", "admins", "tasks"):
        if key in expect:
            want = sorted(expect[key]) if isinstance(expect[key], list) and key != "tasks" \
                else expect[key]
            assert state[key] == want, (key, state)
