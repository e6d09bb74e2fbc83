"""Add ``writer_marks``: per writer session, the last frame committed, so that the engine can
replay unacknowledged frames to a restarted writer process without writing anything twice.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "writer_marks",
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("at", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("session", name="pk_writer_marks"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("writer_marks")
