"""What each person is talking about in each chat: the task "it" means (follow-ups).

One row per person and chat. A reply about a task makes it the topic; a topic
older than ``FRESH`` is not read, so "mark it done" an hour later asks which task
instead of guessing. Stale rows of a workspace are deleted by its next write (or ``prune``).

Its own table, not a row of ``questions`` or ``capture_drafts``: a question is
replaced by the next one asked and deleted when answered, while the topic must
outlive both ("when is it due?" right after answering "Who should own #3?"); a
draft belongs to a person, not to a chat, and is deleted when taken.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, insert, select

from storage import models as m
from storage.repositories._base import Repository, utc_or_none

_T = m.chat_topics
FRESH = timedelta(minutes=30)
MAX_CHAT = 200  # characters (the column's width)


class TopicRepository(Repository):
    """The current task of a person's conversation in one chat."""

    def set(self, workspace_id: int, person_id: int, chat: str, task_id: int,
            at: datetime) -> None:
        """Make ``task_id`` the topic of this person's chat (replacing the last one)."""
        if len(chat) > MAX_CHAT:
            raise ValueError(f"a chat id has at most {MAX_CHAT} characters")
        # The person's own row and the workspace's stale ones: the table stays one row a chat.
        when = utc_or_none(at, "at")
        assert when is not None
        self._s.execute(delete(_T).where(
            _T.c.workspace_id == workspace_id,
            (_T.c.at <= when - FRESH) | ((_T.c.person_id == person_id) & (_T.c.chat == chat))))
        self._s.execute(insert(_T).values(workspace_id=workspace_id, person_id=person_id,
                                          chat=chat, task_id=task_id,
                                          at=utc_or_none(at, "at")))

    def current(self, workspace_id: int, person_id: int, chat: str,
                now: datetime) -> int | None:
        """The topic's task id while it is fresh (set less than FRESH ago), else None."""
        since = utc_or_none(now - FRESH, "now")
        row = self._s.execute(select(_T.c.task_id).where(
            self._key(workspace_id, person_id, chat), _T.c.at > since)).first()
        return int(row.task_id) if row else None

    def forget(self, workspace_id: int, person_id: int, chat: str) -> None:
        """No topic in this chat any more."""
        self._s.execute(delete(_T).where(self._key(workspace_id, person_id, chat)))

    def prune(self, now: datetime) -> int:
        """Delete topics too old to be read; how many."""
        result = self._s.execute(delete(_T).where(_T.c.at <= utc_or_none(now - FRESH, "now")))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    @staticmethod
    def _key(workspace_id: int, person_id: int, chat: str) -> ColumnElement[bool]:
        return and_(_T.c.workspace_id == workspace_id, _T.c.person_id == person_id,
                    _T.c.chat == chat)
