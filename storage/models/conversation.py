"""What a conversation leaves behind: open questions, the task "it" means, platform
events already handled and drafts waiting for a tap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import (
    Base,
    workspace_fk,
)
from storage.types import UTCDateTime


class QuestionRow(Base):
    """A question Vigil asked a person in one chat, waiting for their answer (issue #13).

    The person's next message in that chat answers it (a date, a person, a reason)
    until ``expires_at``; its buttons name it by id, so a button of a question
    that was replaced or answered says it has expired.
    """

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_asker", "workspace_id", "person_id", "chat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = workspace_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    chat: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ChatTopicRow(Base):
    """The task a person last talked about in one chat: what "it" means in their next message.

    One row per person and chat, replaced by each reply about a task; read only while
    fresh (see ``storage.repositories.topics``), so an old topic never answers for "it".
    """

    __tablename__ = "chat_topics"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    chat: Mapped[str] = mapped_column(String(200), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                         nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class SeenEventRow(Base):
    """A platform event already handled (Slack retries carry the same event id)."""

    __tablename__ = "seen_events"
    __table_args__ = (Index("ix_seen_events_created_at", "created_at"),)

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class CaptureDraftRow(Base):
    """What a person asked for while Vigil waits for one tap to confirm it (issue #12).

    A task captured without a verb ("call the Acme CFO") or a date whose year is
    in doubt: the buttons carry only this row's id (Telegram allows 64 bytes).
    """

    __tablename__ = "capture_drafts"
    __table_args__ = (Index("ix_capture_drafts_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = workspace_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    intent: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


