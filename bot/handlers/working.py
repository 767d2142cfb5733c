"""'I'm working on …' answered: "it" is the chat's topic, and unknown work is offered as new.

* "I'm working on it" means the task last talked about in this chat (``chat_topics``,
  30 minutes); with none, Vigil asks which task, with the speaker's likely tasks.
* "I'm working on the budget deck" when no task is called that: Vigil offers to create
  it for the speaker, in progress (Create / Cancel, or a typed yes) instead of "No task
  matches"; "I'll have the budget deck done by Friday" adds it for the speaker at once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.handlers import capture, picking
from bot.handlers import tasks as th
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


# Intents whose picked task finishes the request (a deadline or a note would be lost).
_PICKABLE = frozenset({"complete", "update_progress", "unblock", "block", "assign", "show_task",
                       "set_deadline"})
_DONE_BY_RE = re.compile(r"^\W*(?:i'?ll|i\s+will|we'?ll|we\s+will|i\s+can|we\s+can)\s+"
                         r"(?:have|get)\s", re.I)


def unknown_it(req: Request, p: ParsedIntent) -> Outgoing | None:
    """"I'm working on it" (or "done with it") and no task was talked about lately: which?"""
    if not p.task or not is_pronoun(p.task) or p.intent not in _PICKABLE:
        return None
    if req.topic_task() is not None:
        return None
    return picking.ask_task(req, p.intent, picking.pick_action(req, p))


def offer_new(req: Request, p: ParsedIntent) -> Outgoing | None:
    """"I'm working on the budget deck", no such task: create it for the speaker (in
    progress)? "I'll have the budget deck done by Friday": added for the speaker at once."""
    words = (p.task or "").strip()
    if not words:
        return None
    title, me = words[:1].upper() + words[1:], req.person.handle or "me"
    if p.intent == "set_deadline" and p.due is not None and not p.confirm \
            and _DONE_BY_RE.match(req.text):
        return th.create(req, ParsedIntent("create_task", title=title, owner=me, due=p.due))
    if p.intent != "update_progress" or not says_started(req.text):
        return None
    draft = ParsedIntent("create_task", title=title, owner=me, progress=p.progress, confirm=True)
    asked = capture.confirm(req, draft)
    lead = Section(f"No open task is called “{words}” yet.")
    return replace(asked, sections=(lead,) + asked.sections)
