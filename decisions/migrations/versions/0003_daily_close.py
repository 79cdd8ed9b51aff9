"""Daily close sign-off: one record per day × work centre, and each variance outside tolerance with the
reason, comment and corrective action a person entered.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "close_days",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("work_center", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(100)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("signed_by", sa.String(100)),
        sa.Column("signed_at", sa.DateTime),
        sa.Column("reopen_reason", sa.Text),
        *_versioned(),
    )
    op.create_index("close_days_state", "close_days", ["state", "day"])
    op.create_table(
        "close_variances",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("close_id", sa.String(40), sa.ForeignKey("close_days.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("production_order_id", sa.String(40), nullable=False),
        sa.Column("operation_seq", sa.Integer, nullable=False),
        sa.Column("component", sa.String(60)),
        sa.Column("planned", sa.Float),
        sa.Column("actual", sa.Float),
        sa.Column("variance", sa.Float),
        sa.Column("system_reason", sa.Text),
        sa.Column("reason_code", sa.String(40)),
        sa.Column("comment", sa.Text),
        sa.Column("corrective_action", sa.Text),
        sa.Column("action_owner", sa.String(100)),
        sa.Column("action_due", sa.Date),
        sa.Column("explained_by", sa.String(100)),
        sa.Column("explained_at", sa.DateTime),
        sa.Column("action_done_by", sa.String(100)),
        sa.Column("action_done_at", sa.DateTime),
        *_versioned(),
    )
    op.create_index("close_variances_close", "close_variances", ["close_id"])
