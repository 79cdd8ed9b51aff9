"""The number a planner's override replaced, kept with the override: the forecast vintages that held it
are overwritten by a later run of the same day, and the override is scored against it.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("forecast_overrides") as table:
        table.add_column(sa.Column("replaced", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("forecast_overrides") as table:
        table.drop_column("replaced")
