"""Item 7 of #13: show #n lists changes with their values, in words."""

from __future__ import annotations


def test_show_lists_changes_with_values_in_words(chat):
    chat.say("marcus", "invite Priya")
    chat.say("marcus", "project add Acme")
    chat.say("marcus", "add Send the Acme filing by Friday")
    chat.say("marcus", "assign #1 @priya")
    chat.say("marcus", "due #1 8 Dec")
    chat.say("marcus", "progress #1 60%")
    chat.say("marcus", "rename #1 Send the Q4 filing")
    chat.say("marcus", "block #1 bank statements")
    chat.say("marcus", "note #1 called the client")
    text = chat.say("marcus", "show #1").text
    history = text[text.index("History:"):]
    for line in (
        "Tue 1 Dec 09:30 · Marcus · created",
        "Marcus · owner: — → Priya",
        "Marcus · due: Fri 4 Dec → Tue 8 Dec",
        "Marcus · progress: 0% → 60%",
        "Marcus · status: to do → in progress",
        "Marcus · title: “Send the Acme filing” → “Send the Q4 filing”",
        "Marcus · status: in progress → blocked",
        "Marcus · blocked because: bank statements",
        "Marcus · note: called the client",
    ):
        assert line in history, line
    assert "owner_id" not in history and "blocked_reason" not in history
