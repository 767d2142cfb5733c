"""Sentences about a person (stop 22): "Sam will chase the Henderson invoices by next Tuesday".

Who is named first, then what they will do; the person becomes the task's owner
and the rest is read as `add` text. Also read here, so that they never become
tasks: someone away ("Jo is off Friday", "Anna is out the whole week") and
someone covering for the writer ("Jo will cover for me", "Jo is covering for me
while I'm away", "Jo is my backup").

The parser does not know the team, so the first word must read like a person:
an @handle or a given name (bot.language.names). Whether that person is on the
team is the caller's question (it offers to invite someone new).
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.language.everyday import parse_update
from bot.language.fields import Context, Rule, first_reading, handle, parse_add
from bot.language.model import ParsedIntent
from bot.language.names import reads_like_a_name
from bot.language.sentences import parse_sentence

_P = r"(?P<who>@?[A-Za-z][\w.\-]*)"
_AWAY_WORDS = (
    r"(?:off(?:\s+sick)?|away|out(?:\s+sick)?|out\s+of\s+(?:the\s+)?office|ooo|sick|off\s+work"
    r"|on\s+(?:holiday|holidays|vacation|leave|annual\s+leave|pto|sick\s+leave"
    r"|parental\s+leave|maternity\s+leave|paternity\s+leave|a\s+course|a\s+trip))"
)
# "Sam will take #14" and "Sam will handle the payroll" are handovers of work that may already
# exist (the sentence table's assign rule); "Sam will be late" is a state, not work.
_NOT_WORK = r"(?!(?:take|own|handle|pick\s+up|take\s+over|be|have|get\s+back)\b)"
_WILL = (r"(?:\s+will|'ll|\s+is\s+going\s+to|\s+is\s+gonna|\s+needs\s+to|\s+has\s+to|\s+must"
         r"|\s+should|\s+to)")
# Generic verbs whose object is the work itself: "Marcus is doing payroll" -> "Payroll".
_DOING = (r"(?:doing|handling|working\s+on|taking\s+care\s+of|looking\s+after|sorting(?:\s+out)?"
          r"|on|owning|running)")
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_PRONOUNS = frozenset({"it", "this", "that", "them", "those", "these", "there", "top of it"})


def _person(m: re.Match[str], ctx: Context) -> str | None:
    who = m.group("who")
    if who.startswith("@"):
        return handle(who, ctx) if len(who) > 1 else None
    return handle(who, ctx) if reads_like_a_name(who) else None


def _cover(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = _person(m, ctx)
    return ParsedIntent("set_backup", owner=who) if who else None


def _away(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = _person(m, ctx)
    return ParsedIntent("away", owner=who) if who else None


def _away_dated(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    return _away(m, ctx) if ctx.when(m.group("when")) is not None else None


def _will(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """'Sam will chase the invoices by Friday': Sam's task (asked first when said undated)."""
    who = _person(m, ctx)
    if who is None:
        return None
    return _owned(parse_add(m.group("rest"), ctx, owner=who))


def _doing(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """'Marcus is doing payroll this week': the object is the work ("Payroll")."""
    who = _person(m, ctx)
    rest = _ARTICLE_RE.sub("", m.group("rest").strip())
    if who is None or rest.lower().rstrip(" .!") in _PRONOUNS:
        return None
    return _owned(parse_add(rest, ctx, owner=who))


def _asked(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """'can Sam do the bank rec by Friday?': a request, so Vigil shows the task and asks."""
    who = _person(m, ctx)
    if who is None:
        return None
    rest = re.sub(r"^(?:please\s+)?(?:do\s+)?", "", m.group("rest").strip(), flags=re.I)
    parsed = parse_add(_ARTICLE_RE.sub("", rest), ctx, owner=who)
    return replace(parsed, confirm=True) if parsed.title else None


def _please(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """'Priya, please do the Harlow payroll by Tuesday': an instruction to Priya, her task."""
    who = _person(m, ctx)
    if who is None:
        return None
    rest = re.sub(r"^(?:do\s+)?", "", m.group("rest").strip(), flags=re.I)
    return _owned(parse_add(_ARTICLE_RE.sub("", rest), ctx, owner=who))


# Chat, not work, after "Sam:" ("Sam: thanks!", "Sam: ok"): never a task.
_CHATTER_RE = re.compile(r"^(?:thanks|thank\s+you|thx|ty|ok|okay|sure|yes|no|hi|hello|hey"
                         r"|great|cool|nice|lol|haha|good\s+morning|morning)\b", re.I)

# Updates after "NAME:" whose task is looked for among NAME's first (never "assign": its
# owner is the new owner).
_ABOUT_OWNED = frozenset({"update_progress", "complete", "block", "unblock", "set_deadline"})

# "Sam: done", "Sam: noted": a reply on its own, not a task called "Done" for Sam
_BARE_REPLY_RE = re.compile(r"^(?:done|finished|noted|got\s+it|will\s+do|on\s+it|agreed"
                            r"|sounds\s+good|perfect|no\s+problem|np)\W*$", re.I)

_ASKED_RE = re.compile(r"^(?:can|could|would|will)\s+you\s+(?:please\s+)?", re.I)


def _addressed(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """'Alex: draft the Q3 letter' (meeting notes, a message to a teammate): Alex's task.

    An instruction, so it is created at once; a request after the colon ("Sam: can you
    look at the deck?") is shown and asked first."""
    who = _person(m, ctx)
    rest = m.group("rest").strip()
    if who is None or _CHATTER_RE.match(rest) or _BARE_REPLY_RE.match(rest):
        return None
    update = parse_update(rest, ctx) or parse_sentence(rest, ctx)
    if update is not None and update.intent not in ("create_task", "help"):
        # "Sam: the VAT return is done" reports work, it asks for none; "Sam: VAT return 50%"
        # means Sam's task when Sam has one of that name (the owner is that hint)
        if update.intent in _ABOUT_OWNED and update.owner is None:
            return replace(update, owner=who)
        return _handed_on(update, who) or update
    asked = _ASKED_RE.match(rest)
    parsed = parse_add(rest[asked.end():] if asked else rest, ctx, owner=who)
    if not parsed.title:
        return None
    return replace(parsed, confirm=True) if asked else parsed


def _owned(parsed: ParsedIntent) -> ParsedIntent | None:
    if not parsed.title:
        return None
    if parsed.due is None and parsed.recurrence is None:
        return replace(parsed, confirm=True)  # said in passing: show it and ask, as "I'll …"
    return parsed


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_ADDRESSED_RULE = (_r(rf"^{_P}\s*:\s*(?P<rest>\S.*)$"), _addressed)
RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (_r(rf"^{_P}(?:\s+will|'ll|\s+can|\s+could|\s+is\s+going\s+to|\s+is|'s|\s+has\s+offered\s+to)?"
        r"\s+(?:be\s+)?(?:cover(?:ing)?\s+for\s+me|back(?:ing)?\s+me\s+up"
        r"|step(?:ping)?\s+in\s+for\s+me)\b.*$"), _cover),
    (_r(rf"^{_P}(?:\s+is|'s|\s+will\s+be)\s+(?:now\s+)?my\s+(?:backup|back-up|cover)\b.*$"),
     _cover),
    (_r(rf"^{_P}(?:\s+is|'s|\s+will\s+be|\s+is\s+going\s+to\s+be)\s+(?:also\s+)?{_AWAY_WORDS}"
        r"(?:\s+.*)?$"), _away),
    # "Jo off Friday", typed on a phone without the verb: only with a date after it ("Max
    # out the budget" is work)
    (_r(rf"^{_P}\s+{_AWAY_WORDS}\s+(?P<when>.+)$"), _away_dated),
    (_r(rf"^{_P}{_WILL}\s+{_NOT_WORK}(?P<rest>.+)$"), _will),
    _ADDRESSED_RULE,
    # "@alex can you confirm by EOD?", "Sam, could you send the deck?": asked, so shown first
    (_r(rf"^{_P}\s*,?\s+(?P<rest>(?:can|could|would|will)\s+you\s+\S.*)$"), _addressed),
    # "Priya, please do the payroll by Tuesday", "@sam please send the deck Friday"
    (_r(rf"^{_P}\s*,?\s+(?:please|pls|plz)\s*,?\s+(?P<rest>\S.*)$"), _please),
    # "Priya - Harlow payroll by Tuesday", typed as meeting notes with a dash for the colon
    (_r(rf"^{_P}\s+[-–—]+\s*(?P<rest>\S.*)$"), _addressed),
    # "have Priya send the Harlow pack by Tuesday" ("have lunch with Sam": no name first)
    (_r(rf"^have\s+{_P}\s+(?!to\b)(?P<rest>.+)$"), _will),
    (_r(rf"^{_P}(?:\s+is|'s)\s+{_DOING}\s+(?P<rest>.+)$"), _doing),
    (_r(rf"^(?:can|could|would|will)\s+{_P}\s+(?!you\b|we\b|i\b)(?P<rest>.+)$"), _asked),
)


def _comma_update(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    """ "Sam, VAT return is at 50%": an update after "NAME," (never new work: "Sam, the
    deck" is no instruction), with NAME as the hint for whose task it is."""
    who = _person(m, ctx)
    rest = m.group("rest").strip()
    if who is None or _CHATTER_RE.match(rest) or _BARE_REPLY_RE.match(rest):
        return None
    update = parse_update(rest, ctx) or parse_sentence(rest, ctx)
    if update is not None and update.intent == "assign":
        return _handed_on(update, who)  # "Sam, give the deck to Ana"
    if update is None or update.intent not in _ABOUT_OWNED or update.owner is not None:
        return None
    return replace(update, owner=who)


def _handed_on(update: ParsedIntent, who: str) -> ParsedIntent | None:
    """ "Sam, give the deck to Ana": the deck Sam holds goes to Ana (Sam is the holder)."""
    if update.intent != "assign" or not update.owner or update.owner == who or not update.task:
        return None
    return replace(update, holder=who)


_ADDRESSED_RULES = (_ADDRESSED_RULE, (_r(rf"^{_P}\s*,\s*(?P<rest>\S.*)$"), _comma_update))


def parse_addressed(text: str, ctx: Context) -> ParsedIntent | None:
    """ "Sam: VAT return 50%" or "Sam, VAT return is at 50%": NAME and a colon (or a comma
    before an update), read before the update rules would take "Sam: VAT return" for a
    title; None when NAME is nobody's name ("Blocker: …")."""
    return first_reading(_ADDRESSED_RULES, text, ctx)


def parse_someone(text: str, ctx: Context) -> ParsedIntent | None:
    """A sentence about a named person, or None when the first word is nobody's name."""
    return first_reading(RULES, text, ctx)
