"""Who: workspaces, the people in them and their platform identities."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import expression

from storage.models.base import (
    ROLES,
    Base,
    one_of,
    person_fk,
    workspace_fk,
)
from storage.types import UTCDateTime


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    tz: Mapped[str] = mapped_column(String(64), nullable=False, server_default="UTC")
    workdays: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    day_start: Mapped[time] = mapped_column(Time, nullable=False)
    day_end: Mapped[time] = mapped_column(Time, nullable=False)
    holidays: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    next_task_number: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Set while the platform chat behind the workspace removed Vigil (a Telegram group
    # kicked the bot): scheduled notices stop, nothing is deleted, re-adding clears it.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        Index("ix_people_workspace_next_check", "workspace_id", "next_check_at"),
        Index("ix_people_next_check", "next_check_at"),
        Index("ix_people_workspace_next_digest", "workspace_id", "next_digest_at"),
        Index("ix_people_workspace_reports_to", "workspace_id", "reports_to_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    handle: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), nullable=False, server_default="member")
    reports_to_id: Mapped[int | None] = person_fk()
    tz: Mapped[str | None] = mapped_column(String(64))
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=expression.true())
    ooo_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ooo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    backup_id: Mapped[int | None] = person_fk()
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # When this person's next morning digest is due (None: not yet worked out;
    # bot.notify.digest keeps it), so the digest job reads only who is due.
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Local time of this person's morning digest (``settings me digest 08:30``); None: the
    # workspace's digest.time.
    digest_time: Mapped[time | None] = mapped_column(Time)


class IdentityRow(Base):
    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "external_id"),
        Index("ix_identities_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False
    )
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    external_id: Mapped[str] = mapped_column(String(128), nullable=False)


