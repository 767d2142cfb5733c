"""The few facts of a task that decide which rules can fire for it at all.

A rule declares the traits it ``requires`` (``Rule.requires``); a task lacking
one of them is not shown to the rule, because the rule would answer "quiet,
no next check" anyway. This is only a shortcut, like ``Rule.statuses``:
tests/engine/test_equivalence.py evaluates with and without it and compares
every verdict and next check. Most tasks have a deadline, an owner, no
parent, no dependencies and no subtasks, so most skip half the task rules.

Traits are bits of an int (an ``IntFlag`` would cost an enum operation per
test on the hot path).
"""

from __future__ import annotations

from engine.model import Task
from engine.world import World

ACTIVE = 1 << 0  # Task.is_active: open and not an obligation template
PLAIN = 1 << 1  # Task.is_plain: active and not an occurrence
DUE = 1 << 2  # has a deadline
UNDATED = 1 << 3  # has none
OWNED = 1 << 4  # has an owner
UNOWNED = 1 << 5  # has none
PARENT = 1 << 6  # is a subtask
CHILDREN = 1 << 7  # has a subtask loaded (other than itself)
DEPENDS = 1 << 8  # waits on some task
PROJECT = 1 << 9  # belongs to a project (a truthy project id)
OCCURRENCE = 1 << 10  # an occurrence of recurring work
OBLIGATION = 1 << 11  # an obligation template (has a recurrence)

ALL = (1 << 12) - 1  # every trait: with the shortcut off, every rule sees every task


def traits(world: World, task: Task) -> int:
    """The traits of ``task`` in ``world`` (one int of bits)."""
    bits = (DUE if task.due is not None else UNDATED) | (
        OWNED if task.owner_id is not None else UNOWNED
    )
    if task.is_active:
        bits |= ACTIVE
        if task.occurrence_of is None:
            bits |= PLAIN
    if task.parent_id is not None:
        bits |= PARENT
    if task.depends_on:
        bits |= DEPENDS
    if task.project_id:
        bits |= PROJECT
    if task.occurrence_of is not None:
        bits |= OCCURRENCE
    if task.recurrence is not None:
        bits |= OBLIGATION
    kids = world.children.get(task.id)
    if kids and (len(kids) > 1 or kids[0] != task.id):
        bits |= CHILDREN
    return bits
