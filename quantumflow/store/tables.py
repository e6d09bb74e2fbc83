"""SQLAlchemy Core tables of the store (the schema Alembic migrations create).

Any change here needs a new migration in ``migrations/versions/``;
``tests/store/test_migrate.py`` checks that the migrated schema matches these tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: JSON documents: JSONB on PostgreSQL, TEXT on SQLite.
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
#: UNIX seconds; double precision everywhere.
Time = sa.Float(precision=53)
#: Autoincrement ids: BIGINT on PostgreSQL, the rowid alias on SQLite.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, index=True),
    sa.Column("spec", Json, nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("updated_at", Time, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column(
        "workflow_id",
        sa.String(64),
        sa.ForeignKey("workflows.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("spec", Json, nullable=False),
    sa.Column("params", Json, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("created_at", Time, nullable=False, index=True),
    sa.Column("started_at", Time, nullable=True),
    sa.Column("finished_at", Time, nullable=True),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("host", sa.String(255), nullable=True),
    sa.Column("pid", sa.Integer, nullable=True),
    # the spec's policies.budget.usd, for the cost view (migration 0006)
    sa.Column("budget_usd", sa.Float, nullable=True),
    # what the views read of a run without its spec (migration 0006 says why)
    sa.Index(
        "ix_runs_header", "id", "status", "started_at", "finished_at", "name", "error", "budget_usd"
    ),
)

task_runs = sa.Table(
    "task_runs",
    metadata,
    sa.Column(
        "run_id", sa.String(64), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("task_id", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("output_ref", sa.Text, nullable=True),
    sa.Column("cache_hit", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("queued_at", Time, nullable=True),
    sa.Column("started_at", Time, nullable=True),
    sa.Column("finished_at", Time, nullable=True),
    # the task's group (quantumflow.spec.groups.group_of), so dashboards count by group in SQL
    sa.Column("grp", sa.String(200), nullable=True),
    # its output's scalar objective (engine.metrics.objective_of), for sweep plots in SQL
    sa.Column("value", sa.Float, nullable=True),
    sa.Index("ix_task_runs_run_id_grp_status", "run_id", "grp", "status"),
)

schedules = sa.Table(
    "schedules",
    metadata,
    sa.Column(
        "run_id", sa.String(64), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("plan", Json, nullable=False),
    sa.Column("created_at", Time, nullable=False),
)

performance_metrics = sa.Table(
    "performance_metrics",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    # by run, and by task within a workflow's runs: the unique (run_id, task_id, attempt)
    # index below (migrations 0002 and 0003)
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
    # Quantum tasks only.
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
    sa.UniqueConstraint("run_id", "task_id", "attempt"),
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("output_ref", sa.Text, nullable=False),
    sa.Column("created_at", Time, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("task_id", sa.String(200), nullable=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("data", Json, nullable=False),
    sa.Column("at", Time, nullable=False),
    sa.Index("ix_events_run_id_id", "run_id", "id"),
    # the results view's reported values (partial: task events never enter it)
    sa.Index(
        "ix_events_metric",
        "run_id",
        "id",
        sqlite_where=sa.text("kind = 'metric'"),
        postgresql_where=sa.text("kind = 'metric'"),
    ),
)

#: Graph layouts of big workflows (``quantumflow.graph.layout``), computed once per graph
#: and kept here by a hash of its task ids, groups and edges.
layouts = sa.Table(
    "layouts",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("tasks", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", Time, nullable=False),
)

calibrations = sa.Table(
    "calibrations",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("backend", sa.String(200), nullable=False),
    sa.Column("model", Json, nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Index("ix_calibrations_backend_created_at", "backend", "created_at"),
)

#: How far each writer session has committed (``writer_child.py``): the sequence number of
#: the last frame whose rows are in the database, written in the same transaction. A writer
#: process started again after a crash skips the frames the engine resends up to it, so a
#: replay never writes an event twice.
writer_marks = sa.Table(
    "writer_marks",
    metadata,
    sa.Column("session", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("at", Time, nullable=False),
)
