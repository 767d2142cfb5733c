"""Real Slack payloads (``corpus/*.yaml``) through the real Bolt app; each reaction asserted.

Every file names its source in a comment (a repository path or a documentation
page); ids, tokens and timestamps were replaced by the fake Slack's. A file
holds ``steps`` (each an ``event``, ``command`` or ``interaction`` payload,
sent signed to ``/slack/events``), whether the team has ``installed`` Vigil
(U1, Marcus, its admin) and what must be true afterwards (``expect``):

* ``said``: substrings of what Vigil said (replies, ephemeral messages, Home views);
* ``silent``: Vigil said nothing at all;
* ``people`` / ``admins``: the Slack ids that are people (admins) of the team's workspace;
* ``workspace: false``: no workspace exists for the team;
* ``tasks``: task titles and their state, e.g. ``{title: …, status: done, proof: …}``;
* ``modal_title``: the title prefilled in the add-task modal;
* ``calls``: how many times Web API methods were called.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from fake_slack import TEAM
from slack_harness import bolt_over_http

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.yaml"))
SAYING = ("respond", "chat.postMessage", "chat.postEphemeral", "views.publish", "views.open")


def _placed(value: Any, response_url: str) -> Any:
    """The payload with its ``RESPONSE_URL`` placeholder pointing at the fake Slack."""
    if isinstance(value, dict):
        return {k: _placed(v, response_url) for k, v in value.items()}
    if isinstance(value, list):
        return [_placed(v, response_url) for v in value]
    return response_url if value == "RESPONSE_URL" else value


def _said(fake) -> list[str]:
    out: list[str] = []
    for call in fake.calls:
        if call.method in SAYING:
            out.append(json.dumps(call.params, ensure_ascii=False))
    return out


async def _send(slack, kind: str, payload: dict[str, Any]) -> int:
    if kind == "event":
        body = json.dumps(payload)
        return (await slack.post(body, slack.signed(body, "application/json")))[0]
    if kind == "command":
        body = urlencode(payload)
    else:
        body = urlencode({"payload": json.dumps(payload)})
    return (await slack.post(body, slack.signed(body, "application/x-www-form-urlencoded")))[0]


def _state(uow) -> dict[str, Any]:
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        if ws is None:
            return {"workspace": False}
        people = u.people.list(ws.id)
        ids = {}
        for person in people:
            for ext in ("U1", "U2", "U3", "W1", "W2", "U9", "UB1", "USLACKBOT", "U77"):
                found = u.people.by_identity(ws.id, "slack", ext)
                if found is not None and found.id == person.id:
                    ids[person.id] = ext
        tasks = u.tasks.list(ws.id)
        return {"workspace": True,
                "people": sorted(ids.values()),
                "admins": sorted(ids[p.id] for p in people if p.role == "admin" and p.id in ids),
                "tasks": [{"title": t.title, "status": str(getattr(t.status, "value", t.status)),
                           "proof": t.proof} for t in tasks]}


def _happened(expect: dict[str, Any], fake, uow) -> bool:
    """Whether what the case expects to happen (not what must stay absent) has happened.

    The work after Bolt's ack runs in the background; on PostgreSQL it takes
    longer than on SQLite, so waiting only for the first reply is not enough.
    """
    wanted = ("said", "calls", "tasks")
    if not any(key in expect for key in wanted):
        return False  # only absences expected: wait the whole quiet moment
    said = _said(fake)
    if not all(any(s in x for x in said) for s in expect.get("said", [])):
        return False
    for method, count in (expect.get("calls") or {}).items():
        if len(fake.named(method)) < count:
            return False
    if "tasks" in expect:
        got = _state(uow).get("tasks", [])
        if len(got) != len(expect["tasks"]):
            return False
        for want, have in zip(expect["tasks"], got, strict=True):
            if any(have[field] != value for field, value in want.items()):
                return False
    return True


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_payload_gets_its_expected_reaction(path: Path, fake, conversation, uow):
    case = yaml.safe_load(path.read_text())
    assert path.read_text().startswith("# source:"), "every payload names its source"
    expect = case["expect"]

    async def scenario(slack) -> None:
        for number, step in enumerate(case["steps"], start=1):
            payload = _placed(step["payload"], f"{fake.url}/respond/corpus")
            before = len(_said(fake))
            assert await _send(slack, step["kind"], payload) == 200
            # a person reads the reply before writing again: let this step's work
            # (done after the ack) finish before the next one, or the next can
            # overtake it (on PostgreSQL a '#1 done' ran before the 'add' committed)
            for _ in range(100 if number < len(case["steps"]) else 2):
                if len(_said(fake)) > before:
                    break
                await asyncio.sleep(0.03)
        # wait for the work after the ack: everything expected to happen (what is
        # said, the Web API calls, the tasks' state), or a quiet moment
        for _ in range(200):
            if _happened(expect, fake, uow):
                break
            await asyncio.sleep(0.03)
        await asyncio.sleep(0.15)

    bolt_over_http(fake, conversation, installed=case.get("installed", True))(scenario)
    said = _said(fake)
    for text in expect.get("said", []):
        assert any(text in x for x in said), f"{text!r} not said; said: {said}"
    for text in expect.get("not_said", []):
        assert not any(text in x for x in said), f"{text!r} said: {said}"
    if expect.get("silent"):
        assert said == []
    state = _state(uow)
    if "workspace" in expect:
        assert state["workspace"] is expect["workspace"]
    for key in ("people", "admins"):
        if key in expect:
            assert state[key] == sorted(expect[key]), key
    if "tasks" in expect:
        got = state["tasks"]
        assert len(got) == len(expect["tasks"]), got
        for want, have in zip(expect["tasks"], got, strict=True):
            for field, value in want.items():
                assert have[field] == value, (field, have)
    if "modal_title" in expect:
        view = fake.named("views.open")[0].params["view"]
        title = view["blocks"][0]["element"].get("initial_value")
        assert title == expect["modal_title"]
    for method, count in (expect.get("calls") or {}).items():
        assert len(fake.named(method)) == count, (method, [c.method for c in fake.calls])
