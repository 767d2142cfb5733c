"""One message per person when an escalation pass climbs many problems at once.

A first check of imported work tells each person once ("38 problems found …",
``bot.notify.summary``), but its violations climb the ladder as always: a working
day later every one nobody acted on escalates in the same pass, and a manager
would get an alert per problem — hundreds after a small firm's import, 141,000
across the 10,000-workspace bench. So when one pass would alert one person on one
platform about more than ``TOP`` problems, they get one summary instead
("⇧ 38 problems escalated to you — top 5: …"). The individual alert rows are still
written, already skipped (``skipped: in a summary``), so the ladder knows who was
told and nobody is told again at the next level or of each resolution.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from bot.notify.notice_context import Notice, NoticeContext, Pending, subject_for, write_pending
from bot.notify.render import ICON, RANK, problem
from engine.model import SubjectKind
from storage.records import ViolationRecord
from storage.repositories.outbox import Queued

TOP = 5
SKIPPED = "in a summary"


def write_escalations(
    ctx: NoticeContext, now: datetime, pending: Pending, rows: dict[int, ViolationRecord]
) -> list[Notice]:
    """Write the escalation alerts of one pass, a summary in place of any person's many.

    ``rows``: the climbing violations by id (what a summary line says).
    """
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, (queued, _) in enumerate(pending):
        groups[(queued.recipient_id, queued.platform)].append(i)
    many = {key: idx for key, idx in groups.items() if len(idx) > TOP}
    if not many:
        return write_pending(ctx, pending)
    collapsed = {i for idx in many.values() for i in idx}
    keys = {group: f"escalated:{now.isoformat()}:{group[0]}:{group[1]}" for group in many}
    # A pass climbs in batches: a later batch of the same pass adds to the summary still
    # waiting to go out (locked, so it stays pending until this batch commits).
    earlier = ctx.uow.outbox.by_dedup_keys(ctx.ws, keys.values(), lock=True)
    summaries: Pending = []
    for (person_id, platform), idx in sorted(many.items()):
        lines = [_line(ctx, rows[pending[i][0].violation_id or 0]) for i in idx]
        at = min(pending[i][0].next_attempt_at or now for i in idx)
        key = keys[(person_id, platform)]
        row = earlier.get(key)
        if row is not None and row.status == "pending":
            merged = _payload(lines, int(row.payload.get("count", 0)), row.payload.get("top", []))
            ctx.uow.outbox.replace_pending_payload(ctx.ws, row.id, merged)
            continue
        if row is not None:  # the pass's first summary already went out: a second one
            key = f"{key}:{min(pending[i][0].violation_id or 0 for i in idx)}"
        summaries.append((Queued(person_id, platform, "digest", _payload(lines), key, now, at),
                          Notice(0, "summary", person_id, platform, 0, at, key)))
    notices = write_pending(ctx, [p for i, p in enumerate(pending) if i not in collapsed])
    write_pending(ctx, [p for i, p in enumerate(pending) if i in collapsed])
    ctx.uow.outbox.skip_pending(ctx.ws, [pending[i][0].dedup_key for i in collapsed], now,
                                SKIPPED)
    return notices + write_pending(ctx, summaries)


Line = tuple[int, str, list[dict[str, Any]]]  # rank, the line, its buttons (payload form)


def _line(ctx: NoticeContext, row: ViolationRecord) -> Line:
    label = ctx.label(SubjectKind(row.subject_kind), row.subject_id)
    what = row.explanation.split(";", 1)[0]  # what is wrong; the details are one tap away
    owner = ctx.name(subject_for(ctx, row).responsible)
    whose = f" ({owner})" if owner else ""
    return (RANK.get(row.severity, 0),
            f"{ICON.get(row.severity, '•')} {label}{whose} — {problem(row.rule_id)}: {what}",
            _buttons(label, row))


def _buttons(label: str, row: ViolationRecord) -> list[dict[str, Any]]:
    """A top line's one-tap fix, named by its task ("#14: +1 week"): five lines of the
    same "+1 week" would not say which is which on a phone. One button a line (not a
    single alert's fixes + Acknowledge + Snooze): Telegram lays the buttons out three a
    row, and a line's pair would straddle two rows. No fix: Acknowledge, which stops
    the ladder."""
    tag = label.split(" ", 1)[0] if label.startswith("#") else ""
    for f in row.fixes[:1]:
        return [{"label": (f"{tag}: " if tag else "") + str(f["label"]),
                 "action": str(f["action"]), "args": dict(f.get("args") or {})}]
    return [{"label": f"Acknowledge {tag}".strip(), "action": "violation.ack",
             "args": {"violation": row.id}}]


def _payload(lines: list[Line], count: int = 0, top: list[Any] | None = None) -> dict[str, Any]:
    """The summary: how many (``count`` already told in it), then the worst ``TOP``, each
    line with its buttons (``top``: an earlier batch's lines; one stored before the
    buttons has none)."""
    earlier: list[Line] = [(int(t[0]), str(t[1]), list(t[2]) if len(t) > 2 else [])
                           for t in (top or [])]
    ranked = sorted(earlier + lines, key=lambda x: -x[0])[:TOP]
    total = count + len(lines)
    head = f"⇧ {total} problems escalated to you — nobody acted on them in time — top {TOP}:"
    body = "\n".join(text for _, text, _ in ranked)
    tail = f"…and {total - len(ranked)} more. Say “team” to see whose work they are in."
    text = f"{head}\n{body}\n{tail}"
    sections = ([{"text": head, "buttons": []}]
                + [{"text": line, "buttons": buttons} for _, line, buttons in ranked]
                + [{"text": tail, "buttons": []}])
    return {"text": text, "sections": sections, "count": total,
            "top": [[rank, line, buttons] for rank, line, buttons in ranked]}
