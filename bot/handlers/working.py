"""'I'm working on …' answered: "it" is the chat's topic, and unknown work is offered as new.

* "I'm working on it" means the task last talked about in this chat (``chat_topics``,
  30 minutes); with none, Vigil asks which task, with the speaker's likely tasks.
* "I'm working on the budget deck" when no task is called that: Vigil offers to create
  it for the speaker (Create / Cancel, or a typed yes) instead of "No task matches".
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.handlers import capture, picking
from bot.handlers.request import Request, is_pronoun
from bot.language import ParsedIntent
from bot.messages import Outgoing, Section

# The sentences that say work has started (bot.language.everyday reads them as 10%).
_STARTED_RE = re.compile(
    r"^\W*(?:(?:today|this\s+morning|this\s+afternoon|this\s+week|right\s+now|now)[,:]?\s+)?"
    r"(?:(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:now\s+|currently\s+|still\s+)?(?:working\s+on"
    r"|starting(?:\s+on)?|getting\s+started\s+on)"
    r"|starting|kicking\s+off"
    r"|(?:(?:i|we)\s*)?(?:have\s+|'ve\s+|just\s+)*(?:started|began|begun))\s", re.I)


def says_started(text: str) -> bool:
    """True for "I'm working on X", "Today, I'm starting X", "I've started X"."""
    return bool(_STARTED_RE.match(text.strip().replace("’", "'")))


def unknown_it(req: Request, p: ParsedIntent) -> Outgoing | None:
    """"I'm working on it" (or "done with it") and no task was talked about lately: which?"""
    if not p.task or not is_pronoun(p.task) or p.intent not in picking.BARE:
        return None
    if req.topic_task() is not None:
        return None
    return picking.ask_task(req, p.intent, picking.pick_action(req, p))


def offer_new(req: Request, p: ParsedIntent) -> Outgoing | None:
    """"I'm working on the budget deck", no such task: create it for the speaker?"""
    words = (p.task or "").strip()
    if p.intent != "update_progress" or not words or not says_started(req.text):
        return None
    title = words[:1].upper() + words[1:]
    draft = ParsedIntent("create_task", title=title, owner="me", confirm=True)
    asked = capture.confirm(req, replace(draft, owner=req.person.handle or "me"))
    lead = Section(f"No open task is called “{words}” yet.")
    return replace(asked, sections=(lead,) + asked.sections)
