"""Big-run views: ``task_runs.grp`` (each task's group, with an index the dashboard's
counts per group and state read without a sort), ``task_runs.value`` (its output's scalar
objective, for sweep plots) and ``layouts`` (graph layouts of big
workflows, computed once per graph). Existing task rows get their group from their run's
spec, by the same rule new runs use.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from quantumflow.spec.groups import task_groups

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns, the index and the table; fill ``grp`` of existing task rows."""
    op.add_column("task_runs", sa.Column("grp", sa.String(200), nullable=True))
    op.add_column("task_runs", sa.Column("value", sa.Float, nullable=True))
    op.create_table(
        "layouts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("tasks", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_layouts"),
    )
    _fill_groups()
    op.create_index("ix_task_runs_run_id_grp_status", "task_runs", ["run_id", "grp", "status"])


def _fill_groups() -> None:
    conn = op.get_bind()
    runs = conn.execute(sa.text("SELECT id, spec FROM runs")).all()
    update = sa.text("UPDATE task_runs SET grp = :grp WHERE run_id = :run AND task_id = :task")
    for run_id, raw in runs:
        spec: Any = json.loads(raw) if isinstance(raw, str) else raw
        tasks = spec.get("tasks", []) if isinstance(spec, dict) else []
        ids = [
            r[0]
            for r in conn.execute(
                sa.text("SELECT task_id FROM task_runs WHERE run_id = :run"), {"run": run_id}
            )
        ]
        if ids:
            groups = task_groups(tasks, ids)
            conn.execute(
                update,
                [{"grp": g, "run": run_id, "task": t} for t, g in zip(ids, groups, strict=True)],
            )


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_task_runs_run_id_grp_status", table_name="task_runs")
    op.drop_table("layouts")
    op.drop_column("task_runs", "value")
    op.drop_column("task_runs", "grp")
