"""The store's tables at the current revision (SQLAlchemy Core). Migrations create them; code reads this.

Times are naive UTC. Every decision table carries ``version`` (optimistic locking), ``updated_by`` and
``updated_at``; every change to one also leaves a row in ``audit_log`` (decisions/writes.py).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("role", sa.String(30), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("entity", sa.String(40), nullable=False),
    sa.Column("entity_id", sa.String(60), nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)

t3_warnings = sa.Table(
    "t3_warnings",
    metadata,
    sa.Column("id", sa.String(20), primary_key=True),
    sa.Column("production_order_id", sa.String(40), nullable=False),
    sa.Column("sku", sa.String(60)),
    sa.Column("customer_tier", sa.String(20)),
    sa.Column("work_center", sa.String(20)),
    sa.Column("blocking_operation", sa.String(100)),
    sa.Column("due_at", sa.DateTime),
    sa.Column("planned_completion", sa.DateTime),
    sa.Column("projected_late", sa.Boolean, nullable=False, default=False),
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
    sa.Column("reopened", sa.Integer, nullable=False, default=0),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

notifications = sa.Table(
    "notifications",
    metadata,
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
    sa.Column("delivered", sa.Boolean, nullable=False, default=False),
    sa.Column("read_at", sa.DateTime),
)


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    ]


close_days = sa.Table(
    "close_days",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),  # "<day>/<work centre>"
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("work_center", sa.String(20), nullable=False),
    sa.Column("owner", sa.String(100)),
    sa.Column("state", sa.String(20), nullable=False),  # open | signed
    sa.Column("revision", sa.Integer, nullable=False),  # 1, +1 each time a signed day is reopened
    sa.Column("signed_by", sa.String(100)),
    sa.Column("signed_at", sa.DateTime),
    sa.Column("reopen_reason", sa.Text),
    *_versioned(),
)

close_variances = sa.Table(
    "close_variances",
    metadata,
    sa.Column("id", sa.String(120), primary_key=True),  # "<close id>/<order>/<seq>[/<component>]"
    sa.Column("close_id", sa.String(40), sa.ForeignKey("close_days.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # output | material
    sa.Column("production_order_id", sa.String(40), nullable=False),
    sa.Column("operation_seq", sa.Integer, nullable=False),
    sa.Column("component", sa.String(60)),
    sa.Column("planned", sa.Float),
    sa.Column("actual", sa.Float),
    sa.Column("variance", sa.Float),
    sa.Column("system_reason", sa.Text),  # what the run's records suggest (scheduling.daily_close)
    sa.Column("reason_code", sa.String(40)),  # what the person says (seed daily_close_reasons)
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

rush_proposals = sa.Table(
    "rush_proposals",
    metadata,
    sa.Column("id", sa.String(20), primary_key=True),  # RUSH-00001
    sa.Column(
        "state", sa.String(20), nullable=False
    ),  # proposed | approved | rejected | acknowledged | planned
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("requested_at", sa.DateTime, nullable=False),
    sa.Column("customer", sa.String(100)),
    sa.Column("customer_order", sa.String(60)),
    sa.Column("sku", sa.String(60), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("due_at", sa.DateTime, nullable=False),
    sa.Column("tier", sa.String(5), nullable=False),
    sa.Column("frozen_minutes", sa.Integer, nullable=False),
    # The what-if's result on the plan of ``plan_as_of``:
    sa.Column("plan_as_of", sa.DateTime),
    sa.Column("planned_completion", sa.DateTime),
    sa.Column("on_time", sa.Boolean),
    sa.Column("earliest_completion", sa.DateTime),  # when late: with the rush order first
    sa.Column("late_because", sa.Text),  # when late: the work centre where it waits longest
    sa.Column("delayed_orders", sa.Text),  # JSON list: order, customer tier, SKU, due, before, after
    sa.Column("pmc_by", sa.String(100)),
    sa.Column("pmc_at", sa.DateTime),
    sa.Column("pmc_comment", sa.Text),
    sa.Column("production_by", sa.String(100)),
    sa.Column("production_at", sa.DateTime),
    sa.Column("production_comment", sa.Text),
    sa.Column("planned_at", sa.DateTime),  # first in a plan (the run's moment)
    sa.Column("plan_completion", sa.DateTime),  # its completion in the latest plan
    *_versioned(),
)

kpi_subscriptions = sa.Table(
    "kpi_subscriptions",
    metadata,
    sa.Column("id", sa.String(160), primary_key=True),  # "<user>/<kpi>"
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("kpi", sa.String(40), nullable=False),
    sa.Column("subscribed_at", sa.DateTime, nullable=False),
    *_versioned(),
)

kpi_alert_state = sa.Table(
    "kpi_alert_state",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),  # the KPI
    sa.Column("on_target", sa.Boolean, nullable=False),  # as last alerted (or first seen on target)
    sa.Column("value", sa.Float),
    sa.Column("target", sa.Float),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    *_versioned(),
)

forecast_overrides = sa.Table(
    "forecast_overrides",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("unique_id", sa.String(160), nullable=False),
    sa.Column("freq", sa.String(5), nullable=False),
    sa.Column("ds", sa.Date, nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    # the forecast's number it stands in for, when the person saw it (the page); null from the CLI
    sa.Column("replaced", sa.Float, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("set_by", sa.String(100), nullable=False),
    sa.Column("set_at", sa.DateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
