"""What the big-run views read without scanning or parsing (issue 18).

- ``runs.budget_usd``: the spec's ``policies.budget.usd`` (``run_sql.budget_of``), filled
  for existing runs here: the cost view read it from the spec, a parse of megabytes of
  JSON at 10^5 tasks (55-80 ms) on every call.
- ``ix_runs_header`` (``id, status, started_at, finished_at, name, error, budget_usd``): on
  SQLite a run's row holds its spec (megabytes at 10^5 tasks) before these columns, and reading any
  of them walks the spec's overflow pages (~3 ms a read at 10^5 tasks). The views read
  them from this index instead (``INDEXED BY``: the planner prefers the primary key).
  Runs are written a few times each, so the index costs nothing measurable.
- ``ix_events_metric`` (``run_id, id`` of ``metric`` events only): the results view's
  reported values without reading every event of the run (210,000 at 10^5 tasks, ~45 ms).
  A partial index: the task events written by the thousand never enter it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from quantumflow.store.run_sql import budget_of

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add and fill the column; create the two indexes."""
    op.add_column("runs", sa.Column("budget_usd", sa.Float, nullable=True))
    _fill_budgets()
    op.create_index(
        "ix_runs_header",
        "runs",
        ["id", "status", "started_at", "finished_at", "name", "error", "budget_usd"],
    )
    where = sa.text("kind = 'metric'")
    op.create_index(
        "ix_events_metric",
        "events",
        ["run_id", "id"],
        sqlite_where=where,
        postgresql_where=where,
    )


def _fill_budgets() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        usd = "spec->'policies'->'budget'->>'usd'"
    else:
        usd = "json_extract(spec, '$.policies.budget.usd')"
    found = conn.execute(
        sa.text(f"SELECT id, {usd} FROM runs WHERE {usd} IS NOT NULL")  # noqa: S608 - constants
    ).all()
    update = sa.text("UPDATE runs SET budget_usd = :b WHERE id = :r")
    for run_id, value in found:
        budget = budget_of({"policies": {"budget": {"usd": value}}})
        if budget is not None:
            conn.execute(update, {"b": budget, "r": run_id})


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_events_metric", table_name="events")
    op.drop_index("ix_runs_header", table_name="runs")
    op.drop_column("runs", "budget_usd")
