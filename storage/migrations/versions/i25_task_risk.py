"""Owners' portfolios without a violations probe per owned task.

A tick re-decides the owner of every task whose at-risk flag flipped, and the
person rules read a summary of everything that owner owns
(``storage.repositories.portfolios``): per owned task its status, deadline,
project, latest activity and whether it is at risk (a firing warning or
critical violation of a base task rule). That statement was the largest the
tick sent (60–95 ms of a 1,000-due tick at 100k tasks): each owned task was
read from the wide task row and probed in the firing violations index.

* ``task_risk (workspace_id, task_id, n)``: how many firing warning or
  critical violations of a base (not derived) task rule each task has — kept
  by triggers on ``violations`` in the transaction of each insert, state,
  severity or subject change and delete; filled from the existing rows here.
  A narrow table (SQLite: WITHOUT ROWID) whose pages stay cached, so the
  portfolio's at-risk test is one small lookup. Rows stay at ``n = 0``. The
  derived rules left out are listed here (``DERIVED``) and in
  ``storage.models.work.DERIVED_TASK_RULES``; a test checks both against the
  rule registry, so a new derived rule needs a migration.
* ``ix_tasks_workspace_owner`` becomes covering for the portfolio: (workspace,
  owner, status, recurrence, due, project, last activity, created at). The
  tick writes none of these columns (only ``next_check_at``).

Triggers are not part of ``storage/models``. A later migration that rebuilds
``violations`` with SQLite's batch mode (copy and move) drops them and has to
create them again (``create_risk_triggers``).

Revision ID: i25_task_risk
Revises: i24_digest_first
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "i25_task_risk"
down_revision: str | None = "i24_digest_first"
branch_labels = None
depends_on = None

DERIVED = ("task.dependency_at_risk", "task.subtask_at_risk")
OWNER_OLD = ["workspace_id", "owner_id"]
OWNER_PORTFOLIO = ["workspace_id", "owner_id", "status", "recurrence", "due", "project_id",
                   "last_activity_at", "created_at"]


def _counts(row: str) -> str:
    """SQL: whether violation ``row`` (NEW or OLD) counts towards its task's risk."""
    derived = ", ".join(f"'{r}'" for r in DERIVED)
    return (f"({row}.subject_kind = 'task' AND {row}.state = 'firing' "
            f"AND {row}.severity IN ('warning', 'critical') AND {row}.rule_id NOT IN ({derived}))")


NEW, OLD = _counts("NEW"), _counts("OLD")
# An update moves a count when the row starts or stops counting, or (never done
# today) counts and changes subject.
MOVES = (f"({OLD} <> {NEW} OR ({OLD} AND (OLD.subject_id <> NEW.subject_id "
         "OR OLD.workspace_id <> NEW.workspace_id)))")
UPDATE_OF = "state, severity, rule_id, subject_kind, subject_id, workspace_id"
_ADD_SQLITE = ("INSERT INTO task_risk (workspace_id, task_id, n) "
               "SELECT NEW.workspace_id, NEW.subject_id, 1 WHERE {when} "
               "ON CONFLICT (workspace_id, task_id) DO UPDATE SET n = n + 1;")
_TAKE = ("UPDATE task_risk SET n = n - 1 "
         "WHERE workspace_id = OLD.workspace_id AND task_id = OLD.subject_id")

_SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER tr_task_risk_insert AFTER INSERT ON violations WHEN {NEW}
    BEGIN
        {_ADD_SQLITE.format(when="1")}
    END
    """,
    f"""
    CREATE TRIGGER tr_task_risk_delete AFTER DELETE ON violations WHEN {OLD}
    BEGIN
        {_TAKE};
    END
    """,
    f"""
    CREATE TRIGGER tr_task_risk_update AFTER UPDATE OF {UPDATE_OF} ON violations WHEN {MOVES}
    BEGIN
        {_TAKE} AND {OLD};
        {_ADD_SQLITE.format(when=NEW)}
    END
    """,
)

_PG_FUNCTION = f"""
CREATE FUNCTION task_risk_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND {OLD} THEN
        {_TAKE};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND {NEW} THEN
        INSERT INTO task_risk (workspace_id, task_id, n)
        VALUES (NEW.workspace_id, NEW.subject_id, 1)
        ON CONFLICT (workspace_id, task_id) DO UPDATE SET n = task_risk.n + 1;
    END IF;
    RETURN NULL;
END
$$
"""

_PG_TRIGGERS = (
    "CREATE TRIGGER tr_task_risk_insert AFTER INSERT ON violations FOR EACH ROW "
    f"WHEN {NEW} EXECUTE FUNCTION task_risk_apply()",
    "CREATE TRIGGER tr_task_risk_delete AFTER DELETE ON violations FOR EACH ROW "
    f"WHEN {OLD} EXECUTE FUNCTION task_risk_apply()",
    f"CREATE TRIGGER tr_task_risk_update AFTER UPDATE OF {UPDATE_OF} ON violations "
    f"FOR EACH ROW WHEN {MOVES} EXECUTE FUNCTION task_risk_apply()",
)

_TRIGGER_NAMES = ("tr_task_risk_insert", "tr_task_risk_delete", "tr_task_risk_update")


def create_risk_triggers() -> None:
    """The triggers that keep ``task_risk`` (SQLite or PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for ddl in _PG_TRIGGERS:
            op.execute(ddl)
        return
    for ddl in _SQLITE_TRIGGERS:
        op.execute(ddl)


def upgrade() -> None:
    op.create_table(
        "task_risk",
        sa.Column("workspace_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("task_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "task_id", name="pk_task_risk"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO task_risk (workspace_id, task_id, n) "
        f"SELECT v.workspace_id, v.subject_id, count(*) FROM violations AS v WHERE {_counts('v')} "
        "GROUP BY v.workspace_id, v.subject_id"
    )
    create_risk_triggers()
    op.drop_index("ix_tasks_workspace_owner", "tasks")
    op.create_index("ix_tasks_workspace_owner", "tasks", OWNER_PORTFOLIO)


def downgrade() -> None:
    op.drop_index("ix_tasks_workspace_owner", "tasks")
    op.create_index("ix_tasks_workspace_owner", "tasks", OWNER_OLD)
    for name in _TRIGGER_NAMES:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {name} ON violations")
        else:
            op.execute(f"DROP TRIGGER {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION task_risk_apply()")
    op.drop_table("task_risk")
