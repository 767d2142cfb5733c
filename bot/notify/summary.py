"""One notice per person for what a full check found, instead of one per problem.

A first check of an imported workspace finds tens of problems per person; an
alert for each would bury everyone. ``Summaries`` is the ``notify`` step of
such a check (``bot.workspace_check.check_committed``): the people who would
have been alerted get one message each — "38 problems found in your imported
work — top 5: …" — and each later batch of the same check merges into the
message while it is still waiting to go out (a batch that finds it already
sent queues a follow-up). Resolutions and Home marks go as usual. The
violations themselves are stored and climb the escalation ladder as always.

Within ``check_committed`` (``hold``) a part for a summary this check has
already queued is not written at once: the parts of the committed batches are
kept (merged to the count and the top lines a summary shows) and written once
at the end (``flush_held``). A project's manager hears of most batches of a
big workspace: at 1M tasks rewriting their rows batch by batch was ~700,000
outbox UPDATEs; now it is one per recipient. The first part of each summary
still goes out with its batch.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.lifecycle import LifecycleEvent
from bot.notify.notice_context import Notice, NoticeContext, Reached, prefetch
from bot.notify.notifier import notify_events
from bot.notify.render import ICON, RANK, problem
from bot.notify.routing import route, subject_of
from engine.model import SubjectKind
from engine.world import World
from storage.records import NotificationRecord as Notification
from storage.repositories.outbox import Queued
from storage.uow import UnitOfWork

TOP = 5
FLUSH_CHUNK = 500  # held summaries read and rewritten at a time (``Summaries.flush_held``)


@dataclass(frozen=True)
class _Part:
    """What one batch tells one recipient on one platform."""

    person_id: int
    platform: str
    at: datetime
    count: int  # problems told
    lines: list[tuple[int, str]]  # the most severe ``TOP`` of them (all a summary shows)


@dataclass
class Summaries:
    """Collects a full check's alerts into one summary per recipient and platform."""

    imported: bool = False  # word it as the first check of imported work
    problems: dict[int, int] = field(default_factory=dict)  # person -> problems told
    alerts_instead: int = 0  # alerts the check would have queued one by one
    # Holding (``hold``): the summaries queued by committed batches (their keys), and
    # the parts for them not written yet — of committed batches (``_held``) and of the
    # batch under way (``_staged``, with the keys it queued).
    _holding: bool = field(default=False, repr=False)
    _queued: set[str] = field(default_factory=set, repr=False)
    _held: dict[str, _Part] = field(default_factory=dict, repr=False)
    _staged: dict[str, _Part] = field(default_factory=dict, repr=False)
    _staged_keys: set[str] = field(default_factory=set, repr=False)
    _reached: Reached = field(default_factory=lambda: ({}, {}), repr=False)

    def __call__(
        self, uow: UnitOfWork, ws: int, now: datetime, events: Sequence[LifecycleEvent],
        known: World | None = None,
    ) -> list[Notice]:
        """Queue the summaries of ``events`` (``known``: rows read in this transaction,
        not read again — ``notify_events``'s)."""
        resolved = [e for e in events if e.kind.value == "resolved"]
        news = [e for e in events if _is_news(e)]
        notices = notify_events(uow, ws, now, resolved, known) if resolved else []
        if not news:
            return notices
        task_ids = {e.subject_id for e in news if e.subject_kind is SubjectKind.TASK}
        uow.homes.mark(ws, now, owners_of=task_ids)
        # Holding, the identities and hours read by one batch serve the later ones.
        ctx = NoticeContext(uow, ws, task_ids, known, self._reached if self._holding else None)
        # The events carry all a summary line says (rule, subject, severity, wording):
        # reading their rows back, just written, was a fifth of a first check's notices.
        prefetch(ctx, news, ())
        told: dict[int, list[LifecycleEvent]] = defaultdict(list)
        for event in sorted(news, key=lambda e: e.fingerprint):
            subject = subject_of(event.subject_kind, event.subject_id, ctx.directory)
            for r in route(event.rule_id, event.severity, subject, ctx.directory, now, 0):
                told[r.person_id].append(event)
        parts: list[_Part] = []
        for person_id, found in sorted(told.items()):
            # Only the lines a summary can show are worded: the most severe TOP, ties in
            # the events' order (nsmallest is sorted()[:TOP], stable) — a manager's part
            # of a first check holds thousands of problems.
            best = heapq.nsmallest(TOP, found, key=lambda r: -RANK.get(r.severity, 0))
            lines = [(RANK.get(r.severity, 0), _line(ctx, r)) for r in best]
            worst = best[0].severity
            at = ctx.due(person_id, now, worst, None)
            for platform in ctx.platforms(person_id):
                parts.append(_Part(person_id, platform, at, len(found), lines))
                self.alerts_instead += len(found)
            self.problems[person_id] = self.problems.get(person_id, 0) + len(found)
        return notices + self._merge(ctx, now, parts)

    def _merge(self, ctx: NoticeContext, now: datetime, parts: list[_Part]) -> list[Notice]:
        """Each part into its recipient's summary: a new row (all of them in bulk), or
        merged into the row of this check still pending, else a follow-up row."""
        uow, ws = ctx.uow, ctx.ws
        bases = [f"summary:{now.isoformat()}:{p.person_id}:{p.platform}" for p in parts]
        if self._holding:  # parts for summaries already queued wait for ``flush_held``
            for p, base in zip(parts, bases, strict=True):
                if base in self._queued:
                    self._staged[base] = p
            parts_bases = [(p, b) for p, b in zip(parts, bases, strict=True)
                           if b not in self._queued]
        else:
            parts_bases = list(zip(parts, bases, strict=True))
        # Locked: a row read pending stays pending until this batch commits.
        existing = uow.outbox.by_dedup_keys(ws, [b for _, b in parts_bases], lock=True)
        fresh: list[Queued] = []
        merged: dict[int, dict[str, Any]] = {}
        for p, base in parts_bases:
            row = existing.get(base)
            if row is None:
                payload = self.payload(0, [], p.lines, p.count)
                fresh.append(Queued(p.person_id, p.platform, "digest", payload, base, now, p.at))
                if self._holding:
                    self._staged_keys.add(base)
            elif row.status == "pending":
                merged[row.id] = self._merged(row, p)
            else:  # the first part went out while the check ran: a follow-up part
                self._merge_into(uow, ws, p, now, base, row)
        uow.outbox.queue_many(ws, fresh)
        uow.outbox.replace_pending_payloads(ws, merged)
        return [Notice(0, "summary", p.person_id, p.platform, 0, p.at, base)
                for p, base in zip(parts, bases, strict=True)]

    def hold(self) -> None:
        """From now on keep the parts for summaries already queued (``check_committed``)."""
        self._holding = True

    def committed(self) -> None:
        """The batch under way committed: its parts and queued keys are kept."""
        for base, p in self._staged.items():
            self._held[base] = _joined(self._held.get(base), p)
        self._queued |= self._staged_keys
        self._staged, self._staged_keys = {}, set()

    def flush_held(self, uow_factory: Callable[[], UnitOfWork], ws: int, now: datetime) -> None:
        """Write the kept parts into their summaries, in one committed transaction:
        merged into a row still pending, else a follow-up part. A batch that did not
        commit has its parts dropped."""
        self._staged, self._staged_keys = {}, set()
        held, self._held = self._held, {}
        if not held:
            return
        keys = list(held)
        with uow_factory() as uow:
            # ``FLUSH_CHUNK`` rows read and rewritten at a time: at 1M tasks ~50,000
            # people hold a part (the ownerless tasks' creators), whose rows all at
            # once took 250 MB.
            for start in range(0, len(keys), FLUSH_CHUNK):
                chunk = {k: held.pop(k) for k in keys[start : start + FLUSH_CHUNK]}
                existing = uow.outbox.by_dedup_keys(ws, chunk, lock=True)
                merged: dict[int, dict[str, Any]] = {}
                for base, p in chunk.items():
                    row = existing.get(base)
                    if row is not None and row.status == "pending":
                        merged[row.id] = self._merged(row, p)
                    else:
                        self._merge_into(uow, ws, p, now, base, row)
                uow.outbox.replace_pending_payloads(ws, merged)
            uow.commit()

    def _merge_into(
        self, uow: UnitOfWork, ws: int, piece: _Part, now: datetime, base: str,
        row: Notification | None,
    ) -> None:
        """Merge into the first pending part of a summary (a new part when all were sent)."""
        key, part = base, 1
        while part < 10_000:
            if row is None:
                payload = self.payload(0, [], piece.lines, piece.count)
                uow.outbox.queue(ws, piece.person_id, piece.platform, "digest", payload, key,
                                 now, piece.at)
                return
            if uow.outbox.replace_pending_payload(ws, row.id, self._merged(row, piece)):
                return
            part += 1
            key = f"{base}:{part}"
            row = uow.outbox.by_dedup_key(ws, key)
        raise RuntimeError(f"too many summary parts for {base}")

    def _merged(self, row: Notification, part: _Part) -> dict[str, Any]:
        """The payload of ``row``'s summary with ``part`` added."""
        return self.payload(int(row.payload.get("count", 0)), row.payload["top"], part.lines,
                            part.count)

    def payload(
        self, count: int, top: list[Any], lines: list[tuple[int, str]], added: int | None = None
    ) -> dict[str, Any]:
        """The summary message: how many, then the worst ``TOP`` (most severe first).

        ``count`` problems told before with their ``top`` lines, and ``added`` more
        (default ``len(lines)``) of which ``lines`` holds at least the most severe
        ``TOP``, in their order."""
        total = count + (len(lines) if added is None else added)
        ranked = sorted([(int(r), str(t)) for r, t in top] + lines, key=lambda x: -x[0])[:TOP]
        where = "in your imported work" if self.imported else "by a full check of your work"
        noun = "problem" if total == 1 else "problems"
        head = f"🔎 {total} {noun} found {where}"
        head += f" — top {len(ranked)}:" if total > len(ranked) else ":"
        body = "\n".join(t for _, t in ranked)
        more = total - len(ranked)
        tail = f"\n…and {more} more. Send *tasks* to see your work with its problems."
        tail = tail if more else ""
        text = f"{head}\n{body}{tail}"
        return {
            "text": text,
            "sections": [{"text": text, "buttons": []}],
            "count": total,
            "top": [[r, t] for r, t in ranked],
        }


def _joined(before: _Part | None, after: _Part) -> _Part:
    """Two parts for one summary as one: what merging them in turn would add (the
    counts summed, the most severe ``TOP`` lines, ties in order; the earlier delivery)."""
    if before is None:
        return after
    lines = sorted(before.lines + after.lines, key=lambda x: -x[0])[:TOP]
    return replace(before, at=min(before.at, after.at), count=before.count + after.count,
                   lines=lines)


def _is_news(event: LifecycleEvent) -> bool:
    if event.kind.value == "fired":
        return True
    return (
        event.kind.value == "severity"
        and event.previous_severity is not None
        and event.severity.rank > event.previous_severity.rank
    )


def _line(ctx: NoticeContext, row: LifecycleEvent) -> str:
    label = ctx.label(row.subject_kind, row.subject_id)
    # The first clause says what is wrong; the details are one tap away (``tasks``).
    what = row.explanation.split(";", 1)[0]
    return f"{ICON.get(row.severity, '•')} {label} — {problem(row.rule_id)}: {what}"
