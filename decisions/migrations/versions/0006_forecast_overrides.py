"""Planner overrides of the forecast: a number for a series × period, with the reason, who and when.

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast_overrides",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("unique_id", sa.String(160), nullable=False),
        sa.Column("freq", sa.String(5), nullable=False),
        sa.Column("ds", sa.Date, nullable=False),
        sa.Column("quantity", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("forecast_overrides_period", "forecast_overrides", ["freq", "ds"])


def downgrade() -> None:
    op.drop_index("forecast_overrides_period", "forecast_overrides")
    op.drop_table("forecast_overrides")
