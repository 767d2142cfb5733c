"""Every rule of DESIGN.md §4, one module each, registered by explicit id.

Importing this package registers them all; the list below is the catalogue.
"""

from engine.rules import (  # noqa: F401
    after_project_deadline,
    behind_schedule,
    child_after_parent,
    deadline_approaching,
    dependency_at_risk,
    dependency_conflict,
    inactive,
    long_blocked,
    missing_deadline,
    missing_manager,
    missing_owner,
    overdue,
    overloaded,
    owner_unavailable,
    recurring_missed,
    recurring_proof_missing,
    recurring_repeat_failure,
    review_stale,
    stalled,
    subtask_at_risk,
)
from engine.rules.base import registry

__all__ = ["registry"]
