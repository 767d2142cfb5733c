"""The rule contract, the registry, and the context a rule evaluates in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from engine import calendar as cal_ops
from engine.model import Fix, Severity, Status, SubjectKind, Violation
from engine.settings import RuleSettings

if TYPE_CHECKING:
    from engine.context import RuleContext


class Outcome(NamedTuple):
    """A rule's verdict for one subject: violations, and when to look again.

    A named tuple, not a dataclass: every rule returns one per subject, and a
    tuple is several times cheaper to build.
    """

    violations: tuple[Violation, ...] = ()
    next_check: datetime | None = None

    @staticmethod
    def quiet(next_check: datetime | None = None) -> Outcome:
        if next_check is None:
            return _QUIET
        return tuple.__new__(Outcome, ((), next_check))


_QUIET = Outcome()
QUIET = _QUIET  # quiet with no next check: ``Outcome.quiet()`` without the call


@dataclass(frozen=True)
class FixSpec:
    """A fix template: action id and label; args are filled per violation."""

    action: str
    label: str
    extra: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    def bound(self, args: dict[str, object]) -> Fix:
        """The fix with ``args`` (plus this spec's extras). ``args`` is not copied:
        the fixes of one violation share it, and nothing mutates a fix's args."""
        if self.extra:
            args = {**dict(self.extra), **args}
        return tuple.__new__(Fix, (self.action, self.label, args))  # Fix(...) minus a call


class Rule:
    """One rule: an explicit id, a subject kind, a template and fixes.

    Subclasses implement ``check`` (task/person/project specific). ``derived``
    rules look at other subjects' violations and run after the base rules.
    """

    id: ClassVar[str]
    subject: ClassVar[SubjectKind] = SubjectKind.TASK
    template: ClassVar[str]
    fixes: ClassVar[tuple[FixSpec, ...]] = ()
    derived: ClassVar[bool] = False
    # The task statuses this rule can fire for (None: any). Only a shortcut:
    # for any other status the rule would return a quiet outcome with no next check.
    statuses: ClassVar[frozenset[Status] | None] = None
    # The task traits (``engine.traits`` bits, or-ed) without which this rule is quiet
    # with no next check: a task lacking one is not shown to it. A shortcut too.
    requires: ClassVar[int] = 0
    # Optional wording per stage (e.g. a dependency "cycle"); else ``template``.
    stage_templates: ClassVar[dict[str, str]] = {}

    def violation(
        self,
        subject_id: int,
        severity: Severity,
        stage: str | None = None,
        **numbers: object,
    ) -> Violation:
        """Build a violation with the rule's explanation and bound fixes."""
        # ``subject.value`` is an enum property (a Python call): read once per rule class.
        args: dict[str, object] = {self._subject_key: subject_id}
        template = self.stage_templates.get(stage, self.template) if stage else self.template
        # FixSpec.bound inlined (a Python call per fix, three fixes a violation): the
        # specs without extras share ``args`` as ``bound`` does.
        new = tuple.__new__
        fixes = tuple([
            new(Fix, (action, label, args)) if extra is None else spec.bound(args)
            for action, label, extra, spec in self._fix_parts
        ])
        explanation = template.format_map(numbers)  # format(**numbers) minus a dict copy
        # tuple.__new__: the named tuple's own __new__ is a Python-level call.
        return tuple.__new__(
            Violation, (self.id, self.subject, subject_id, severity, explanation, fixes, stage)
        )

    def __init__(self) -> None:
        self._subject_key: str = self.subject.value
        self._fix_parts: tuple[tuple[str, str, object, FixSpec], ...] = tuple(
            (spec.action, spec.label, spec.extra or None, spec) for spec in self.fixes
        )

    def check(self, ctx: RuleContext, subject: Any) -> Outcome:
        """Decide this rule for one subject at ``ctx.now``."""
        raise NotImplementedError

    def reads(self, ctx: RuleContext, task: Any) -> Iterable[int]:
        """A derived rule: the tasks whose base verdicts ``check`` will ask for about
        ``task`` (the evaluator decides them together beforehand; more is only slower,
        fewer only leaves the rest to be decided one by one). None by default."""
        return ()

    def check_many(self, ctx: RuleContext, subjects: Sequence[Any]) -> list[tuple[Any, Outcome]]:
        """``check`` over many subjects: the (subject, outcome) pairs, in order, of those
        not quiet with no next check (the rest are left out). The evaluator runs each base
        task rule this way over all the tasks it applies to (``_Evaluator.base_all``)."""
        check, quiet = self.check, _QUIET
        return [(s, o) for s in subjects if (o := check(ctx, s)) is not quiet]


class BatchRule(Rule):
    """A rule written over many tasks at once: it overrides ``check_many`` (and may
    work out there what its tasks share once); ``check`` asks it about one task."""

    def check(self, ctx: RuleContext, subject: Any) -> Outcome:
        """``check_many`` of this one subject."""
        found = self.check_many(ctx, (subject,))
        return found[0][1] if found else _QUIET

    def check_many(self, ctx: RuleContext, subjects: Sequence[Any]) -> list[tuple[Any, Outcome]]:
        """Decide this rule for every subject (see ``Rule.check_many``)."""
        raise NotImplementedError


OPEN = frozenset({Status.TODO, Status.IN_PROGRESS, Status.BLOCKED, Status.IN_REVIEW})

_REGISTRY: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: register a rule under its explicit id (once)."""
    if cls.id in _REGISTRY:
        raise ValueError(f"rule {cls.id} registered twice")
    _REGISTRY[cls.id] = cls()
    return cls


class Registry:
    def all_ids(self) -> list[str]:
        return sorted(_REGISTRY)

    def get(self, rule_id: str) -> Rule:
        return _REGISTRY[rule_id]

    def for_subject(self, kind: SubjectKind, derived: bool) -> list[Rule]:
        return [
            r
            for _, r in sorted(_REGISTRY.items())
            if r.subject is kind and r.derived is derived
        ]


registry = Registry()


def earliest(*instants: datetime | None) -> datetime | None:
    """The earliest of the given instants, ignoring None."""
    best = None
    for i in instants:
        if i is not None and (best is None or i < best):
            best = i
    return best


def future(now: datetime, instants: Iterable[datetime | None]) -> datetime | None:
    """The earliest instant strictly after ``now``."""
    best = None
    for i in instants:
        if i is not None and i > now and (best is None or i < best):
            best = i
    return best


__all__ = [
    "Outcome",
    "FixSpec",
    "Rule",
    "BatchRule",
    "QUIET",
    "register",
    "registry",
    "earliest",
    "future",
    "RuleSettings",
    "cal_ops",
]
