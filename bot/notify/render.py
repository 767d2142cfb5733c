"""Outbox payloads (plain JSON) and the grouped messages built from them.

An alert row's payload describes ONE violation for ONE recipient; the
dispatcher merges every due alert row of a recipient on a platform into one
message (``group_message``): the items sorted worst first, each with its fix
buttons plus Acknowledge and Snooze; more than ``TOP`` items: the first
``TOP`` and a "Show all" button. A resolution edits that message in place:
the same items re-rendered, resolved ones replaced by their "✅ Resolved by
…" line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.messages import Button, Outgoing, Section

TOP = 5
SHOW_ALL_ACTION = "alerts.show_all"
ICON = {"critical": "🔴", "warning": "⚠", "info": "ℹ"}
RANK = {"info": 0, "warning": 1, "critical": 2}


def problem(rule_id: str) -> str:
    """'task.behind_schedule' -> 'behind schedule'."""
    return rule_id.split(".", 1)[-1].replace("_", " ")


def alert_payload(
    *,
    violation_id: int,
    rule_id: str,
    subject_kind: str,
    subject_id: int,
    subject: str,
    severity: str,
    explanation: str,
    fixes: Iterable[Mapping[str, Any]],
    change: str,
    level: int = 0,
    instead_of: str | None = None,
    owner: str | None = None,
    waited: str | None = None,
    worded_at: str | None = None,
    waited_since: str | None = None,
) -> dict[str, Any]:
    """The JSON payload of one alert row (``change``: fired, severity or escalated).

    ``worded_at``: the ISO instant ``explanation`` was written for (None: an older
    wording, such as the one an escalation reuses); the dispatcher words it again
    when the notice goes out later than that.
    """
    return {
        "violation_id": violation_id,
        "rule": rule_id,
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "subject": subject,
        "severity": severity,
        "explanation": explanation,
        "fixes": [
            {
                "label": str(f["label"]),
                "action": str(f["action"]),
                "args": dict(f.get("args") or {}),
            }
            for f in fixes
        ],
        "change": change,
        "level": level,
        "escalated": change == "escalated",
        "instead_of": instead_of,
        "owner": owner,
        "waited": waited,
        "waited_since": waited_since,  # ISO: "waited" is worded again when sent
        "worded_at": worded_at,
    }


def alert_text(p: Mapping[str, Any]) -> str:
    """One alert as a line: '🔴 #14 Q3 filing: overdue — due Tue, 2 days ago'."""
    icon = ICON.get(str(p.get("severity")), "•")
    head = f"{icon} {p.get('subject')}: {problem(str(p.get('rule')))}"
    if p.get("change") == "severity":
        head += f" is now {p.get('severity')}"
    text = f"{head} — {p.get('explanation')}"
    if p.get("escalated"):
        who = p.get("owner") or "the owner"
        waited = f" for {p['waited']}" if p.get("waited") else ""
        text = f"⇧ Escalated (level {p.get('level')}): no action from {who}{waited}.\n{text}"
    if p.get("instead_of"):
        text += f"\n(for {p['instead_of']}, who is out of office)"
    return text


def alert_buttons(p: Mapping[str, Any]) -> tuple[Button, ...]:
    """The rule's fixes, then Acknowledge (stops the ladder) and Snooze."""
    vid = p.get("violation_id")
    buttons = [
        Button(str(f["label"]), str(f["action"]), dict(f.get("args") or {}))
        for f in p.get("fixes") or ()
    ]
    buttons.append(Button("Acknowledge", "violation.ack", {"violation": vid}))
    buttons.append(Button("Snooze 1 day", "violation.snooze", {"violation": vid, "hours": 24}))
    return tuple(buttons)


def resolved_text(
    subject: str, rule_id: str, resolution: str | None, resolver: str | None
) -> str:
    """'✅ Resolved by Priya — deadline moved to Fri 28 Nov 17:00 · #14 Q3 filing (overdue)'."""
    how = (resolution or "").strip()
    if resolver:
        suffix = f" by {resolver}"
        if how.endswith(suffix):
            how = how[: -len(suffix)]
        if how == "changed":
            how = ""
        head = f"✅ Resolved by {resolver}"
    else:
        head = "✅ Resolved"
    line = f"{head} — {how}" if how else head
    return f"{line} · {subject} ({problem(rule_id)})"


def _sort_key(payload: Mapping[str, Any]) -> tuple[int, int, int]:
    return (
        -RANK.get(str(payload.get("severity")), 0),
        -int(payload.get("level") or 0),
        int(payload.get("violation_id") or 0),
    )


def ordered(payloads: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Worst first: critical before warning, higher ladder level first, then oldest."""
    return sorted(payloads, key=_sort_key)


def group_message(
    payloads: Sequence[Mapping[str, Any]],
    recipient_id: int,
    resolved: Mapping[int, str] | None = None,
    edit_ref: str | None = None,
) -> Outgoing:
    """One message for one person listing ``payloads`` (resolved ones as ✅ lines)."""
    resolved = resolved or {}
    items = ordered(payloads)
    sections: list[Section] = []
    if len(items) > 1:
        open_count = sum(1 for p in items if int(p.get("violation_id") or 0) not in resolved)
        sections.append(Section(f"{len(items)} problems need your attention"
                                + (f" ({open_count} still open)" if resolved else "") + ":"))
    for p in items[:TOP]:
        vid = int(p.get("violation_id") or 0)
        if vid in resolved:
            sections.append(Section(resolved[vid]))
        else:
            sections.append(Section(alert_text(p), alert_buttons(p)))
    if len(items) > TOP:
        sections.append(
            Section(
                f"…and {len(items) - TOP} more",
                (Button(f"Show all ({len(items)})", SHOW_ALL_ACTION, {"person": recipient_id}),),
            )
        )
    return Outgoing(tuple(sections), edit_ref=edit_ref)
