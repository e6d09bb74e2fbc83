"""Drop ``ix_performance_metrics_run_id``: the unique (run_id, task_id, attempt) index
already serves lookups by run, and each index costs every metrics row written.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the redundant index."""
    op.drop_index("ix_performance_metrics_run_id", table_name="performance_metrics")


def downgrade() -> None:
    """Create it again."""
    op.create_index("ix_performance_metrics_run_id", "performance_metrics", ["run_id"])
