"""The operational store in a run (schema ``ops``): what the run found reaches the people who act.

``ops_decisions`` brings the store up to date with this run: the T-3 register (new warnings open,
levels rise, resolved ones the plan still finishes late reopen, ended orders close) and the daily close
(a record per day × work centre of the last two weeks, with the variances outside tolerance); it runs
the escalation clock, sends the notifications, and copies the decisions into the build warehouse
(``ops.*``) so that what reads the warehouse sees them. The loops' rules: ``decisions.t3_loop``,
``decisions.close_loop``; docs/workflows.md.
"""

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, asset

from decisions.close_loop import CLOSE_WINDOW_DAYS, sync_close
from decisions.notify import deliver_pending
from decisions.rush_loop import mark_planned, plan_demand, rush_operations
from decisions.snapshot import snapshot_into
from decisions.store import Store, database_url, utcnow
from decisions.t3_loop import escalate, sync_register
from orchestration.resources import WarehouseResource
from planning import production_tables as T


def add_rush_orders(conn, plant, warehouse: WarehouseResource) -> int:
    """Put the acknowledged rush proposals into the plant's open orders (``decisions.rush_loop``), so
    the plan holds them as real demand; returns how many. Called by ``production_schedule``."""
    store = Store(database_url(warehouse.paths))
    store.upgrade()
    proposals = plan_demand(store, plant.as_of)
    store.engine.dispose()
    if not proposals:
        return 0
    routings = conn.execute(
        "select * from staging.stg_erp__routings where sku in (select unnest(?::varchar[]))",
        [sorted({p["sku"] for p in proposals})],
    ).df()
    rush = rush_operations(proposals, routings, plant.as_of)
    plant.operations = pd.concat([plant.operations, rush], ignore_index=True)
    return len(proposals)


def _with_work_center(table: str) -> str:
    """The table's rows of the close window, with the work centre of each operation."""
    return f"""
        select c.*, o.work_center
        from {T.SCHEMA}.{table} c
        join (select distinct production_order_id, operation_seq, work_center
              from marts.fct_production_operations) o using (production_order_id, operation_seq)
        where c.shift_date > (select max(shift_date) from {T.SCHEMA}.daily_close) - {CLOSE_WINDOW_DAYS}
    """


@asset(
    group_name="decisions",
    deps=["t3_warnings", "schedule_orders", "daily_close", "daily_close_materials", "kpi_alerts"],
    kinds={"python", "duckdb"},
    description="T-3 warnings and the daily close synced into the operational store, warnings "
    "escalated and notified; the store's decisions copied into schema ops.",
)
def ops_decisions(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    store = Store(database_url(warehouse.paths))
    before, after = store.upgrade()
    if before != after:
        context.log.info(f"operational store {store.where}: migrated {before or '(empty)'} → {after}")
    now = utcnow()
    with warehouse.get_connection() as conn:
        register = conn.execute(f"select * from {T.SCHEMA}.t3_warnings").df()
        synced = sync_register(store, register.to_dict("records"), now=now)
        climbs = escalate(store, now=now)
        output, material = (
            conn.execute(_with_work_center(t)).df() for t in ("daily_close", "daily_close_materials")
        )
        closed = sync_close(store, output.to_dict("records"), material.to_dict("records"), now=now)
        in_plan = conn.execute(
            f"select production_order_id, planned_completion_utc from {T.SCHEMA}.schedule_orders "
            "where method = 'cpsat' and production_order_id like 'RUSH-%'"
        ).fetchall()
        planned = mark_planned(store, {oid: pd.Timestamp(end).to_pydatetime() for oid, end in in_plan}, now)
        counts = snapshot_into(conn, store)
    sent = deliver_pending(store)
    context.log.info(
        f"T-3 in the store: {synced}, {len(climbs)} climbed by the clock; daily close {closed}; "
        f"{planned} rush proposal(s) planned; "
        f"sent {sent}; ops {counts}"
    )
    store.engine.dispose()
    return MaterializeResult(
        metadata={
            **{f"t3_{k}": v for k, v in synced.items()},
            "climbed": len(climbs),
            "rush_planned": planned,
            **{f"close_{k}": v for k, v in closed.items()},
            **counts,
        }
    )
