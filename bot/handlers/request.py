"""What a handler works with: one transaction, the speaker, the clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot import limits
from bot.errors import NotFound, VigilError
from bot.language import references
from bot.language.model import ParsedIntent
from engine.model import Person, Project, Task
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork


class UnknownPerson(NotFound):
    """A mention of someone Vigil has not met; the reply offers to add them."""

    def __init__(self, text: str) -> None:
        super().__init__(f"I don't know @{text} here yet.")
        self.text = text


class Ambiguous(VigilError):
    """A reference matches several tasks; the reply asks which one."""

    def __init__(self, reference: str, candidates: list[Task]) -> None:
        super().__init__(f"'{reference}' matches {len(candidates)} tasks — which one?")
        self.reference = reference
        self.candidates = candidates


@dataclass
class Request:
    uow: UnitOfWork
    workspace: WorkspaceRecord
    person: Person
    now: datetime
    attachment: str | None = None  # proof the platform received with the message
    chat: str = ""  # where the message came from: Vigil's questions wait per person and chat
    text: str = ""  # the message as typed (the parser capitalises titles: "add sam" -> "Sam")
    left: str | None = None  # a line saying which question of Vigil's this request left open
    topic: int | None = None  # the task this reply is about: "it" in the chat's next message
    heard: str | None = None  # how the chat read the words ("invite", "cancel", "create_task")
    parsed: ParsedIntent | None = None  # the parser's reading, when no named handler took them

    @property
    def ws(self) -> int:
        return self.workspace.id

    @property
    def tz(self) -> str:
        return self.person.tz or self.workspace.calendar.tz

    def task(self, reference: str | None) -> Task:
        """Resolve '#14' or title words to one task of this workspace."""
        ref = (reference or "").strip()
        if not ref:
            raise VigilError("Which task? Use its number like #14 or words of its title.")
        if is_pronoun(ref):
            return self.about(self._topic_task())
        return self.about(self._resolve(ref))

    def task_of(self, reference: str | None, owner: str | None) -> Task:
        """Like task(), preferring the one open task of ``owner`` whose title holds the
        words ("Sam: VAT return 50%" is Sam's VAT return); otherwise task(reference)."""
        person = self.uow.people.by_handle(self.ws, owner.strip().lstrip("@")) if owner else None
        ref = (reference or "").strip()
        if person is not None and ref and not ref.startswith("#") and not is_pronoun(ref):
            words = references.words_of(ref)
            found = self.uow.tasks.search_title(self.ws, words) if words else []
            theirs = [t for t in found if t.owner_id == person.id and t.status.is_active
                      and t.recurrence is None]
            if len(theirs) == 1:
                return self.about(theirs[0])
        return self.task(reference)

    def about(self, task: Task) -> Task:
        """Note that this reply is about ``task``: "it" in the next message means it."""
        self.topic = task.id
        return task

    def topic_task(self) -> Task | None:
        """The task this chat talked about last (within the topic's 30 minutes), or None."""
        task_id = self.uow.topics.current(self.ws, self.person.id, self.chat, self.now)
        return self.uow.tasks.get(self.ws, task_id) if task_id is not None else None

    def _topic_task(self) -> Task:
        task = self.topic_task()
        if task is None:
            raise VigilError("Which task do you mean? I'm not sure what “it” is here — "
                             "use its number like #14 or words of its title.")
        return task

    def _resolve(self, ref: str) -> Task:
        if ref.startswith("#") and limits.is_number(ref[1:]):
            number = limits.check_id(int(ref[1:]), "task #")
            task = self.uow.tasks.by_number(self.ws, number)
            if task is None:
                raise NotFound(f"There is no task {ref} here.")
            return task
        bare_number = limits.is_number(ref)
        if bare_number:
            # People type "assign 1 to Priya" or "done 3": a bare number is the task's number
            # when such a task exists; otherwise it is read as title words ("Q1", "2026").
            task = self.uow.tasks.by_number(self.ws, limits.check_id(int(ref), "task #"))
            if task is not None:
                return task
        words = references.words_of(ref.replace("#", " "))
        found = self.uow.tasks.search_title(self.ws, words) if words else []
        active = [t for t in found if t.status.is_active and t.recurrence is None]
        candidates = active or found or self._close_titles(ref)
        if not candidates and bare_number:
            raise NotFound(f"There is no task #{int(ref)} here.")
        if not candidates:
            raise NotFound(f"No task matches '{ref}'. Try its number, like #14.")
        current = _current_occurrence(candidates, self.now)
        if current is not None:
            return current
        exact = [t for t in candidates if t.title.lower() == ref.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(candidates) > 1:
            raise Ambiguous(ref, candidates[:5])
        return candidates[0]

    def _close_titles(self, ref: str) -> list[Task]:
        """No title holds every word: the open tasks whose titles are close (typos allowed)."""
        open_tasks = {t.id: t for t in self.uow.tasks.list(self.ws, active_only=True)
                      if t.recurrence is None}
        ranked = references.rank(ref, ((t.id, t.title) for t in open_tasks.values()))
        return [open_tasks[c.task_id] for c in ranked]

    def person_ref(self, handle: str | None) -> Person:
        """'@priya', 'priya', 'Priya' or 'me' -> a person of this workspace."""
        text = (handle or "").strip().lstrip("@")
        if not text:
            raise VigilError("Who? Mention a person like @priya.")
        if text.lower() in ("me", "i", "myself"):
            return self.person
        found = self.uow.people.by_handle(self.ws, text)
        if found is None:
            raise UnknownPerson(text)
        return found

    def project_ref(self, name: str | None) -> Project:
        text = (name or "").strip().lstrip("#")
        project = self.uow.projects.by_name(self.ws, text) if text else None
        if project is None:
            raise NotFound(f"There is no project called {text or '(none)'}. "
                           "'project add NAME' creates one.")
        return project


# "it", "this one", "mark it" (the parser keeps the verb's leftovers as the reference).
_PRONOUNS = frozenset({"it", "its", "it's", "this", "that", "them"})
_AROUND_PRONOUNS = frozenset({"one", "task", "the", "mark", "as", "thing", "same"})


def is_pronoun(ref: str) -> bool:
    """True when a task reference is "it", "this one", "that task", "mark it": the topic."""
    if re.search(r"\bIT\b", ref):
        return False  # "show IT": the IT audit, not "it"
    words = ref.lower().replace("’", "'").strip(" .!?").split()
    return (bool(words) and any(w in _PRONOUNS for w in words)
            and all(w in _PRONOUNS | _AROUND_PRONOUNS for w in words))


def _current_occurrence(candidates: list[Task], now: datetime) -> Task | None:
    """Words naming recurring work mean its latest cycle that has started."""
    parents = {t.occurrence_of for t in candidates}
    if len(parents) != 1 or None in parents:
        return None
    started = [t for t in candidates if t.effective_start <= now]
    pool = started or candidates
    return max(pool, key=lambda t: t.effective_start) if started else min(
        pool, key=lambda t: t.effective_start
    )
