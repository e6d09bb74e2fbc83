"""Indexes for the big-run views' reads (issue 18).

- ``ix_runs_header`` (``id, status, started_at, finished_at, name, error``): on SQLite a
  run's row holds its spec (megabytes at 10^5 tasks) before these columns, and reading any
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

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the two indexes."""
    op.create_index(
        "ix_runs_header", "runs", ["id", "status", "started_at", "finished_at", "name", "error"]
    )
    where = sa.text("kind = 'metric'")
    op.create_index(
        "ix_events_metric",
        "events",
        ["run_id", "id"],
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_events_metric", table_name="events")
    op.drop_index("ix_runs_header", table_name="runs")
