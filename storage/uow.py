"""Unit of work: one Session and one transaction, with every repository on it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import session_factory
from storage.errors import CommitUnconfirmed, Retryable, is_retryable
from storage.repositories.activity import ActivityRepository
from storage.repositories.check_reads import FullCheckReads
from storage.repositories.drafts import DraftRepository
from storage.repositories.homes import HomeRefreshRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.projects import ProjectRepository
from storage.repositories.questions import QuestionRepository
from storage.repositories.rechecks import RecheckRepository
from storage.repositories.seen import SeenEventRepository
from storage.repositories.tasks import TaskRepository
from storage.repositories.topics import TopicRepository
from storage.repositories.violations import ViolationRepository
from storage.repositories.workspaces import WorkspaceRepository

REPOSITORIES = (
    "workspaces", "people", "projects", "tasks", "activity", "violations", "outbox", "homes",
    "seen", "drafts", "questions", "rechecks", "topics", "check_reads",
)  # fmt: skip


class UnitOfWork:
    """``with uow() as u: ...; u.commit()`` — nothing is kept without ``commit()``.

    Leaving the block rolls back whatever was not committed, whether the block
    ended normally or raised. ``commit()`` may be called more than once; work
    after the last commit is rolled back on exit.

    ``homes.mark`` only collects Home refresh marks; ``commit()`` writes them
    (one statement) just before committing, so they land with the change.
    """

    workspaces: WorkspaceRepository
    people: PeopleRepository
    projects: ProjectRepository
    tasks: TaskRepository
    activity: ActivityRepository
    violations: ViolationRepository
    outbox: OutboxRepository
    homes: HomeRefreshRepository
    seen: SeenEventRepository
    drafts: DraftRepository
    questions: QuestionRepository
    rechecks: RecheckRepository
    topics: TopicRepository
    check_reads: FullCheckReads

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        session = self._session = self._sessions()
        session.begin()
        self.workspaces = WorkspaceRepository(session)
        self.people = PeopleRepository(session)
        self.projects = ProjectRepository(session)
        self.tasks = TaskRepository(session)
        self.activity = ActivityRepository(session)
        self.violations = ViolationRepository(session)
        self.outbox = OutboxRepository(session)
        self.homes = HomeRefreshRepository(session)
        self.seen = SeenEventRepository(session)
        self.drafts = DraftRepository(session)
        self.questions = QuestionRepository(session)
        self.rechecks = RecheckRepository(session)
        self.topics = TopicRepository(session)
        self.check_reads = FullCheckReads(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        for name in REPOSITORIES:  # using a repository after the block is an error
            self.__dict__.pop(name, None)
        try:
            session.rollback()
        finally:
            session.close()

    @property
    def session(self) -> Session:
        """The open Session (storage-internal; the rest of the program never needs it)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._session

    def commit(self) -> None:
        """Commit everything done so far in this unit of work (Home marks included).

        Raises ``Retryable`` when the database refused the commit and rolled the
        transaction back (serialization failure, deadlock, busy), and
        ``CommitUnconfirmed`` when the connection failed during COMMIT, so the
        outcome is unknown.
        """
        session = self.session
        self.homes.flush()
        try:
            session.commit()
        except DBAPIError as exc:
            if _refused_at_commit(exc):
                raise Retryable(str(exc.orig)) from exc
            if exc.connection_invalidated or is_retryable(exc):
                raise CommitUnconfirmed(str(exc.orig)) from exc
            raise

    def lock_workspace(self, workspace_id: int) -> None:
        """Serialise with every other change and tick of the workspace until commit.

        PostgreSQL: ``pg_advisory_xact_lock`` on the key the tick and the ladder
        try (``vigil:evaluate:<id>``), so a change waits for a running tick and a
        tick skips the workspace while a change holds it; released at commit or
        rollback. SQLite: nothing to do (``BEGIN IMMEDIATE``: one writer at a time).
        """
        self.outbox.hold_lock(f"vigil:evaluate:{workspace_id}")

    def rollback(self) -> None:
        """Throw away everything done since the last commit."""
        session = self.session
        self.homes.discard()
        session.rollback()


def _refused_at_commit(exc: DBAPIError) -> bool:
    """The server answered COMMIT with a refusal (so nothing was stored)."""
    if exc.connection_invalidated:
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in ("40001", "40P01") or "database is locked" in str(exc.orig).lower()


def make_uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    """A factory of units of work sharing one sessionmaker for ``engine``."""
    sessions = session_factory(engine)

    def factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    return factory
