"""T-3 warnings as people act on them, and the notifications (inbox and outbox) they send.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "t3_warnings",
        sa.Column("id", sa.String(20), primary_key=True),
        sa.Column("production_order_id", sa.String(40), nullable=False),
        sa.Column("sku", sa.String(60)),
        sa.Column("customer_tier", sa.String(20)),
        sa.Column("work_center", sa.String(20)),
        sa.Column("blocking_operation", sa.String(100)),
        sa.Column("due_at", sa.DateTime),
        sa.Column("planned_completion", sa.DateTime),
        sa.Column("projected_late", sa.Boolean, nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("level_since", sa.DateTime, nullable=False),
        sa.Column("owner", sa.String(100)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_by", sa.String(100)),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("action_owner", sa.String(100)),
        sa.Column("countermeasure", sa.Text),
        sa.Column("expected_recovery", sa.Date),
        sa.Column("closed_by", sa.String(100)),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("action_taken", sa.Text),
        sa.Column("root_cause", sa.String(40)),
        sa.Column("close_reason", sa.Text),
        sa.Column("reopened", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("t3_warnings_state", "t3_warnings", ["state"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("recipient", sa.String(100)),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("webhook_sent_at", sa.DateTime),
        sa.Column("email_sent_at", sa.DateTime),
        sa.Column("delivery_error", sa.Text),
        sa.Column("delivered", sa.Boolean, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_index("notifications_recipient", "notifications", ["recipient", "read_at"])
