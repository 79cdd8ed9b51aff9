"""KPI alerts: who subscribed to which KPI, and the last on/off-target state each KPI was alerted at.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_subscriptions",
        sa.Column("id", sa.String(160), primary_key=True),  # "<user>/<kpi>"
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("kpi", sa.String(40), nullable=False),
        sa.Column("subscribed_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_kpi_subscriptions_kpi", "kpi_subscriptions", ["kpi"])
    op.create_table(
        "kpi_alert_state",
        sa.Column("id", sa.String(40), primary_key=True),  # the KPI
        sa.Column("on_target", sa.Boolean, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("target", sa.Float),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kpi_alert_state")
    op.drop_index("ix_kpi_subscriptions_kpi", "kpi_subscriptions")
    op.drop_table("kpi_subscriptions")
