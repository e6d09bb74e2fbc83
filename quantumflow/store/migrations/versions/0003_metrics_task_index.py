"""Drop ``ix_performance_metrics_task_id``: a task's history is always asked for within a
workflow, which the runs' workflow index and the unique (run_id, task_id, attempt) index
already serve, and the index cost every metrics row written ~0.7 µs (10 % of a commit).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_performance_metrics_task_id", table_name="performance_metrics")


def downgrade() -> None:
    """Create it again."""
    op.create_index("ix_performance_metrics_task_id", "performance_metrics", ["task_id"])
