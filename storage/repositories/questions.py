"""Questions Vigil asked a person in a chat, waiting for the answer (issue #13).

At most one question is open per person and chat: asking again replaces it.
A question is answered by the person's next message in that chat, or by one of
its buttons, until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from storage import models as m
from storage.repositories._base import Repository, utc_or_none

_Q = m.questions
MAX_CHAT = 200  # characters (the column's width)


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    person_id: int
    chat: str
    kind: str
    payload: dict[str, Any]
    asked_at: datetime
    expires_at: datetime


class QuestionRepository(Repository):
    """Open questions by workspace, person and chat."""

    def ask(self, workspace_id: int, person_id: int, chat: str, kind: str,
            payload: dict[str, Any], asked_at: datetime, expires_at: datetime) -> QuestionRecord:
        """Store a question, replacing the one this person had open in this chat."""
        if len(chat) > MAX_CHAT:
            raise ValueError(f"a chat id has at most {MAX_CHAT} characters")
        self.drop(workspace_id, person_id, chat)
        values = {
            "workspace_id": workspace_id, "person_id": person_id, "chat": chat, "kind": kind,
            "payload": dict(payload), "asked_at": utc_or_none(asked_at, "asked_at"),
            "expires_at": utc_or_none(expires_at, "expires_at"),
        }
        new_id = self._s.execute(insert(_Q).values(values).returning(_Q.c.id)).scalar_one()
        return QuestionRecord(new_id, person_id, chat, kind, dict(payload), asked_at, expires_at)

    def open(self, workspace_id: int, person_id: int, chat: str,
             now: datetime) -> QuestionRecord | None:
        """The person's unexpired question in this chat, or None."""
        row = self._s.execute(
            select(_Q).where(_Q.c.workspace_id == workspace_id, _Q.c.person_id == person_id,
                             _Q.c.chat == chat, _Q.c.expires_at > utc_or_none(now, "now"))
            .order_by(_Q.c.id.desc())
        ).first()
        return _record(row) if row else None

    def get(self, workspace_id: int, question_id: int, now: datetime) -> QuestionRecord | None:
        """An unexpired question by id (a button names it), or None."""
        row = self._s.execute(
            select(_Q).where(_Q.c.workspace_id == workspace_id, _Q.c.id == question_id,
                             _Q.c.expires_at > utc_or_none(now, "now"))
        ).first()
        return _record(row) if row else None

    def answered(self, workspace_id: int, question_id: int) -> None:
        """Forget a question once it is answered."""
        self._s.execute(delete(_Q).where(_Q.c.workspace_id == workspace_id,
                                         _Q.c.id == question_id))

    def buttons_only(self, workspace_id: int, question_id: int) -> None:
        """The person moved on: typed text no longer answers it, its buttons still do."""
        self._s.execute(update(_Q).where(_Q.c.workspace_id == workspace_id,
                                         _Q.c.id == question_id).values(kind="choice"))

    def drop(self, workspace_id: int, person_id: int, chat: str) -> int:
        """Forget the person's question in this chat ("cancel"); how many were dropped."""
        result = self._s.execute(delete(_Q).where(
            _Q.c.workspace_id == workspace_id, _Q.c.person_id == person_id, _Q.c.chat == chat))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def prune(self, now: datetime) -> int:
        """Delete expired questions; how many."""
        result = self._s.execute(delete(_Q).where(_Q.c.expires_at <= utc_or_none(now, "now")))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _record(row: Any) -> QuestionRecord:
    return QuestionRecord(row.id, row.person_id, row.chat, row.kind, dict(row.payload),
                          row.asked_at, row.expires_at)
