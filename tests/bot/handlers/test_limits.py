"""Input limits, field by field, through every path that writes them (``bot.limits``).

Above a limit the reply names the field and the limit and nothing changes —
never a silent cut; at the limit the whole text is stored. The paths: chat
commands, plain sentences, buttons (and the date picker) — the importer has
its own table in tests/bot/dataio/test_import_limits.py. Dates outside
1900–2200 are refused by the parser itself; ids and numeric button arguments
out of range are refused as out-of-date buttons.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.language import parse_date
from bot.language.dates import DateOutOfRange
from bot.limits import MESSAGE_MAX, TEXT_LIMITS

NOTHING = "Nothing was changed"


def text_of(n: int, field: str = "title") -> str:
    """``n`` characters of ordinary words (no dates, names or refs), not ending in a space;
    for a person's name one long name."""
    if field == "person":
        return "Ann" + "a" * (n - 3)
    return ("lorem ipsum dolor " * (n // 10 + 2))[: n - 1] + "z"


def snapshot(chat) -> tuple:
    """Everything a refused message could have changed."""
    with chat.conv.uow_factory() as uow:
        tasks = tuple((t.number, t.title, t.status.value, t.blocked_reason, t.due)
                      for t in uow.tasks.list(chat.ws))
        people = tuple(sorted(p.name for p in uow.people.list(chat.ws)))
        projects = tuple(sorted(p.name for p in uow.projects.list(chat.ws)))
        notes = tuple(e.after for e in uow.activity.list(chat.ws) if e.kind == "note")
    return tasks, people, projects, notes


def stored(chat, field: str) -> list[str]:
    with chat.conv.uow_factory() as uow:
        if field == "title":
            return [t.title for t in uow.tasks.list(chat.ws)]
        if field == "reason":
            return [t.blocked_reason or "" for t in uow.tasks.list(chat.ws)]
        if field == "project":
            return [p.name for p in uow.projects.list(chat.ws)]
        if field == "person":
            return [p.name for p in uow.people.list(chat.ws)]
        return [e.after["note"] for e in uow.activity.list(chat.ws) if e.kind == "note"]


# (path, field, message with the text in it)
WRITES = [
    ("command", "title", "add {}"),
    ("command", "title", "rename #1 {}"),
    ("command", "reason", "block #1 {}"),
    ("command", "project", "project add {}"),
    ("command", "person", "invite {}"),
    ("sentence", "title", "remind me to {} by Friday"),
    ("sentence", "title", "I need to {} by Friday"),
    ("sentence", "reason", "I'm stuck on #1 because {}"),
    ("sentence", "reason", "#1 is blocked because {}"),
]


@pytest.mark.parametrize(("path", "field", "template"), WRITES,
                         ids=[f"{p}-{t.split()[0]}-{f}" for p, f, t in WRITES])
def test_above_the_limit_is_refused_naming_the_field_and_nothing_changes(chat, path, field,
                                                                         template):
    assert "Added #1" in chat.say("marcus", "add Send the Acme filing by Friday").text
    what, limit = TEXT_LIMITS[field]
    before = snapshot(chat)
    reply = chat.say("marcus", template.format(text_of(limit + 1, field))).text
    assert f"{what} has at most {limit:,} characters; this one has {limit + 1:,}" in reply
    assert NOTHING in reply
    assert snapshot(chat) == before


@pytest.mark.parametrize(("path", "field", "template"), WRITES,
                         ids=[f"{p}-{t.split()[0]}-{f}" for p, f, t in WRITES])
def test_at_the_limit_the_whole_text_is_stored(chat, path, field, template):
    chat.say("marcus", "add Send the Acme filing by Friday")
    _, limit = TEXT_LIMITS[field]
    text = text_of(limit, field)
    reply = chat.say("marcus", template.format(text)).text
    assert "at most" not in reply, reply
    found = [s for s in stored(chat, field) if s.lower() == text.lower()]
    assert found, f"{field} not stored whole: {reply[:200]}"  # never cut, not by a character


def test_a_note_is_stored_whole_and_a_longer_message_is_refused_whole(chat):
    chat.say("marcus", "add Send the Acme filing by Friday")
    prefix = "note #1 "
    fits = text_of(MESSAGE_MAX - len(prefix))
    assert "Noted" in chat.say("marcus", prefix + fits).text
    assert stored(chat, "note") == [fits]
    before = snapshot(chat)
    reply = chat.say("marcus", prefix + text_of(MESSAGE_MAX - len(prefix) + 1)).text
    assert f"That message has {MESSAGE_MAX + 1:,} characters; I read at most 2,000" in reply
    assert NOTHING in reply and snapshot(chat) == before


def test_buttons_that_carry_a_long_name_or_title_are_refused(chat):
    name = text_of(TEXT_LIMITS["person"][1] + 1, "person")
    question = chat.say("marcus", f"add Call the bank @{name}")  # "Add … to the team?"
    before = snapshot(chat)
    reply = chat.press("marcus", "Add Ann", question).text
    assert f"A person's name has at most {TEXT_LIMITS['person'][1]} characters" in reply
    forged = chat.act("marcus", "person.invite", name="Z" * 1_000_000).text  # 1 MB name
    assert f"at most {TEXT_LIMITS['person'][1]} characters; this one has 1,000,000" in forged
    draft = chat.say("marcus", text_of(TEXT_LIMITS["title"][1] + 1))  # "Create this task?"
    reply = chat.press("marcus", "Create", draft).text
    assert "A task title has at most 200 characters; this one has 201" in reply
    assert snapshot(chat) == before


@pytest.mark.parametrize(("message", "year"), [
    ("due #1 9999-01-01", 9999), ("due #1 0001-01-01", 1), ("due #1 2201-01-01", 2201),
    ("due #1 1899-12-31", 1899), ("add Far task by 1 Jan 2250", 2250),
    ("remind me to pay the rent on 1 March 2301", 2301), ("due #1 in 300 years", 2326),
    ("project add Acme due 2250-01-01", 2250),
])
def test_dates_outside_1900_2200_are_parse_errors_with_the_reason(chat, message, year):
    chat.say("marcus", "add Send the Acme filing by Friday")
    before = snapshot(chat)
    reply = chat.say("marcus", message).text
    assert f"is in the year {year}; I take dates from 1900 to 2200" in reply
    assert NOTHING in reply and snapshot(chat) == before


@pytest.mark.parametrize(("phrase", "year"), [
    ("1899-12-31", 1899), ("2201-01-01", 2201), ("31 Dec 9999", 9999), ("in 500 years", 2526),
])
def test_the_parser_refuses_the_year_itself(phrase, year):
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with pytest.raises(DateOutOfRange, match=f"in the year {year}"):
        parse_date(phrase, now, "UTC")


@pytest.mark.parametrize("phrase", ["1900-01-01", "2200-12-31", "1 Jan 2200"])
def test_the_range_ends_are_dates(phrase):
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert parse_date(phrase, now, "UTC") is not None


def test_the_date_picker_refuses_a_forged_year(chat):
    chat.say("marcus", "add Send the Acme filing by Friday")
    before = snapshot(chat)
    reply = chat.act("marcus", "task.set_date", task=1, date="9999-12-31").text
    assert "9999" in reply and "1900" in reply and "2200" in reply
    assert snapshot(chat) == before


OUT_OF_RANGE = [
    ("task.done", {"task": 2**63}), ("task.done", {"task": 0}), ("task.done", {"task": -1}),
    ("task.done", {"task": "12abc"}), ("task.done", {"task": True}),
    ("task.due_plus", {"task": 1, "days": 3651}), ("task.due_plus", {"task": 1, "days": -3651}),
    ("task.progress", {"task": 1, "value": 101}), ("task.progress", {"task": 1, "value": -1}),
    ("violation.snooze", {"violation": 1, "hours": 24 * 90 + 1}),
    ("violation.snooze", {"violation": 1, "hours": 0}),
    ("violation.ack", {"violation": 2**64}),
]


@pytest.mark.parametrize(("action", "args"), OUT_OF_RANGE,
                         ids=[f"{a}-{'-'.join(f'{k}={v}' for k, v in x.items())}"
                              for a, x in OUT_OF_RANGE])
def test_ids_and_numeric_button_arguments_out_of_range_change_nothing(chat, action, args):
    chat.say("marcus", "add Send the Acme filing by Friday")  # #1, missing owner: a violation
    with chat.conv.uow_factory() as uow:
        violations = [(v.id, v.snoozed_until, v.acked_at)
                      for v in uow.violations.all_firing(chat.ws)]
    before = snapshot(chat)
    reply = chat.act("marcus", action, **args).text
    assert "out of date" in reply, reply
    assert snapshot(chat) == before
    with chat.conv.uow_factory() as uow:
        assert [(v.id, v.snoozed_until, v.acked_at)
                for v in uow.violations.all_firing(chat.ws)] == violations


@pytest.mark.parametrize(("action", "args", "expect"), [
    ("task.due_plus", {"task": 1, "days": 3650}, "#1 is due"),
    ("task.progress", {"task": 1, "value": 100}, "#1"),
])
def test_the_range_ends_of_button_arguments_work(chat, action, args, expect):
    chat.say("marcus", "add Send the Acme filing by Friday")
    reply = chat.act("marcus", action, **args).text
    assert "out of date" not in reply and expect in reply, reply


@pytest.mark.parametrize("length", [129, 200])
def test_a_long_platform_name_still_joins_and_gets_a_handle_that_fits(chat, length):
    # Telegram allows a first and a last name of 64 characters each.
    name = "Ann" + "a" * (length // 2 - 3) + " " + "B" * (length - length // 2 - 1)
    _, pid = chat.conv.onboard("test:chat", "Chat", "telegram", "T-long", name, None,
                               tz="Europe/London")
    with chat.conv.uow_factory() as uow:
        person = uow.people.get(chat.ws, pid)
    assert person is not None and person.name == name
    assert person.handle is not None and 0 < len(person.handle) <= TEXT_LIMITS["handle"][1]


def test_inviting_a_long_one_word_name_makes_a_handle_that_fits(chat):
    name = "Ann" + "a" * 147
    out = chat.say("marcus", f"invite {name}")
    assert out.text.startswith("Added")
    with chat.conv.uow_factory() as uow:
        handles = [p.handle for p in uow.people.list(chat.ws) if p.name == name]
    assert handles and len(handles[0]) <= TEXT_LIMITS["handle"][1]
