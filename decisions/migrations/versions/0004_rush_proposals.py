"""Rush-order proposals: the what-if saved with its result, and the PMC and production decisions on it.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rush_proposals",
        sa.Column("id", sa.String(20), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("customer", sa.String(100)),
        sa.Column("customer_order", sa.String(60)),
        sa.Column("sku", sa.String(60), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("tier", sa.String(5), nullable=False),
        sa.Column("frozen_minutes", sa.Integer, nullable=False),
        sa.Column("plan_as_of", sa.DateTime),
        sa.Column("planned_completion", sa.DateTime),
        sa.Column("on_time", sa.Boolean),
        sa.Column("earliest_completion", sa.DateTime),
        sa.Column("late_because", sa.Text),
        sa.Column("delayed_orders", sa.Text),
        sa.Column("pmc_by", sa.String(100)),
        sa.Column("pmc_at", sa.DateTime),
        sa.Column("pmc_comment", sa.Text),
        sa.Column("production_by", sa.String(100)),
        sa.Column("production_at", sa.DateTime),
        sa.Column("production_comment", sa.Text),
        sa.Column("planned_at", sa.DateTime),
        sa.Column("plan_completion", sa.DateTime),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("rush_proposals_state", "rush_proposals", ["state"])
