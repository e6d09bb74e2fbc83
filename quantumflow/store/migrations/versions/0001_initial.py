"""Initial schema: workflows, runs, task_runs, schedules, performance_metrics, results,
events, calibrations.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Time = sa.Float(precision=53)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "workflows",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("spec", Json, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workflows"),
    )
    op.create_index("ix_workflows_name", "workflows", ["name"])

    op.create_table(
        "runs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("workflow_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("spec", Json, nullable=False),
        sa.Column("params", Json, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("started_at", Time, nullable=True),
        sa.Column("finished_at", Time, nullable=True),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("pid", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name="fk_runs_workflow_id_workflows",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_runs_workflow_id", "runs", ["workflow_id"])
    op.create_index("ix_runs_status", "runs", ["status"])
    op.create_index("ix_runs_created_at", "runs", ["created_at"])

    op.create_table(
        "task_runs",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("task_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("output_ref", sa.Text, nullable=True),
        sa.Column("cache_hit", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("queued_at", Time, nullable=True),
        sa.Column("started_at", Time, nullable=True),
        sa.Column("finished_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("run_id", "task_id", name="pk_task_runs"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_task_runs_run_id_runs", ondelete="CASCADE"
        ),
    )

    op.create_table(
        "schedules",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("plan", Json, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_schedules"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_schedules_run_id_runs", ondelete="CASCADE"
        ),
    )

    op.create_table(
        "performance_metrics",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("task_id", sa.String(200), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("queued_at", Time, nullable=True),
        sa.Column("started_at", Time, nullable=True),
        sa.Column("finished_at", Time, nullable=True),
        sa.Column("wall_s", sa.Float, nullable=True),
        sa.Column("cpu_s", sa.Float, nullable=True),
        sa.Column("peak_mem_bytes", sa.BigInteger, nullable=True),
        sa.Column("retries", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cache_hit", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("backend", sa.String(200), nullable=True),
        sa.Column("qubits", sa.Integer, nullable=True),
        sa.Column("depth", sa.Integer, nullable=True),
        sa.Column("gates_before", Json, nullable=True),
        sa.Column("gates_after", Json, nullable=True),
        sa.Column("shots", sa.Integer, nullable=True),
        sa.Column("sweep_size", sa.Integer, nullable=True),
        sa.Column("transpile_s", sa.Float, nullable=True),
        sa.Column("queue_s", sa.Float, nullable=True),
        sa.Column("execute_s", sa.Float, nullable=True),
        sa.Column("job_id", sa.String(255), nullable=True),
        sa.Column("cost_usd", sa.Float, nullable=True),
        sa.Column("extra", Json, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_performance_metrics"),
        sa.UniqueConstraint(
            "run_id", "task_id", "attempt", name="uq_performance_metrics_run_id_task_id_attempt"
        ),
    )
    op.create_index("ix_performance_metrics_run_id", "performance_metrics", ["run_id"])
    op.create_index("ix_performance_metrics_task_id", "performance_metrics", ["task_id"])

    op.create_table(
        "results",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("output_ref", sa.Text, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_results"),
    )

    op.create_table(
        "events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("task_id", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("data", Json, nullable=False),
        sa.Column("at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_run_id_id", "events", ["run_id", "id"])

    op.create_table(
        "calibrations",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("backend", sa.String(200), nullable=False),
        sa.Column("model", Json, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calibrations"),
    )
    op.create_index("ix_calibrations_backend_created_at", "calibrations", ["backend", "created_at"])


def downgrade() -> None:
    """Drop everything (data is lost)."""
    for table in (
        "calibrations",
        "events",
        "results",
        "performance_metrics",
        "schedules",
        "task_runs",
        "runs",
        "workflows",
    ):
        op.drop_table(table)
