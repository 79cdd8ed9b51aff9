"""Production planning and execution monitoring as Dagster assets (schema ``production``).

- ``production_schedule`` (multi-asset, also ``schedule_orders``, ``schedule_runs``,
  ``work_center_load`` and the solved problem ``plan_problem``): the open production orders planned on
  the machines by CP-SAT, beside the EDD and ATC dispatch rules (``planning.production_plan``).
- ``t3_warnings``: the register of orders due within three days with unfinished operations, kept run
  after run until the order ends (``scheduling.t3``).
- ``daily_close`` (also ``daily_close_materials``): planned vs actual output per day, order and
  operation, and standard vs actual material (``scheduling.daily_close``).

Rules and their reasons: docs/scheduling.md.
"""

import json
from collections.abc import Iterator

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetSpec,
    Config,
    MaterializeResult,
    asset,
    asset_check,
    multi_asset,
)

from orchestration.assets.dbt import dbt_keys
from orchestration.assets.decisions import add_rush_orders
from orchestration.resources import WarehouseResource
from planning import production_tables as T
from planning.production_plan import plan_production, read_plant
from planning.tables import write_table
from scheduling import DEFAULT_TIME_LIMIT_S
from scheduling.check import check_plan
from scheduling.daily_close import material_variances, output_variances
from scheduling.frames import plan_from_frame, problem_from_frames
from scheduling.priority import PriorityWeights
from scheduling.t3 import t3_candidates, update_warnings

PLAN_INPUTS = [
    "fct_production_operations",
    "stg_mes__production_counts",
    "stg_mes__machine_events",
    "stg_erp__shift_calendar",
    "stg_erp__machine_downtime",
    "stg_erp__machines",
    "stg_erp__work_centers",
]
CLOSE_INPUTS = [
    "stg_mes__dispatch_plan",
    "stg_mes__production_counts",
    "stg_mes__material_consumption",
    "stg_mes__machine_events",
    "stg_erp__bom",
    "stg_erp__production_orders",
]
PLAN_OUTPUTS = {
    "production_schedule": (
        "schedule",
        T.SCHEDULE,
        "Every open operation on a machine with start and end: "
        "CP-SAT's plan and the EDD and ATC dispatch plans (column method).",
    ),
    "schedule_orders": (
        "schedule_orders",
        T.SCHEDULE_ORDERS,
        "Per order and method: priority, planned completion, tardiness.",
    ),
    "schedule_runs": (
        "schedule_runs",
        T.SCHEDULE_RUNS,
        "Per method: status, weighted tardiness, bound, gap, makespan, late orders, seconds.",
    ),
    "work_center_load": (
        "work_center_load",
        T.WORK_CENTER_LOAD,
        "Open work against machine capacity per work center up to the last due date; bottlenecks first.",
    ),
    "plan_problem": (
        "plan_problem",
        T.PLAN_PROBLEM,
        "The solved problem (operations, machine blocks and "
        "calendar) for the dashboard's rush-order what-if.",
    ),
}


class ProductionConfig(Config):
    """Priority weights (scheduling.priority) and the solver's time limit and workers."""

    urgency_weight: float = 0.2
    tier_weight: float = 0.5
    margin_weight: float = 0.3
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_S
    workers: int = 2


@multi_asset(
    specs=[
        AssetSpec(
            name,
            deps=dbt_keys(PLAN_INPUTS),
            group_name="production",
            kinds={"python", "duckdb"},
            description=desc,
        )
        for name, (_, _, desc) in PLAN_OUTPUTS.items()
    ]
)
def production_schedule_assets(
    context: AssetExecutionContext, warehouse: WarehouseResource, config: ProductionConfig
) -> Iterator[MaterializeResult]:
    weights = PriorityWeights(
        urgency=config.urgency_weight, tier=config.tier_weight, margin=config.margin_weight
    )
    with warehouse.get_connection() as conn:
        plant = read_plant(conn)
        if rush := add_rush_orders(conn, plant, warehouse):
            context.log.info(f"{rush} acknowledged rush order(s) from the operational store in the plan")
        tables = plan_production(
            plant, weights, config.time_limit_seconds, config.workers, log=context.log.info
        )
        counts = {}
        for name, frame in tables.items():
            counts[name] = write_table(
                conn, name, frame.assign(as_of=plant.as_of), T.CONTRACTS[name], schema=T.SCHEMA
            )
    runs = tables["schedule_runs"].set_index("method")
    summary = {m: int(runs.loc[m, "weighted_tardiness"]) for m in runs.index}
    for name, (table, _, _) in PLAN_OUTPUTS.items():
        yield MaterializeResult(
            asset_key=name,
            metadata={
                "rows": counts[table],
                "as_of": str(plant.as_of),
                "weighted_tardiness": json.dumps(summary),
            },
        )


@asset(
    group_name="production",
    deps=["production_schedule", *dbt_keys(["fct_production_operations"])],
    kinds={"python", "duckdb"},
    description="T-3 register: orders due within 3 days with unfinished operations, open until they end.",
)
def t3_warnings(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        as_of = pd.Timestamp(conn.execute(f"select max(as_of) from {T.SCHEMA}.schedule_runs").fetchone()[0])
        ops = conn.execute(
            f"""
            select o.production_order_id, o.sku, o.customer_tier, o.due_at, o.operation_seq,
                o.operation_name, o.work_center, o.work_center_owner as owner, o.operation_status,
                s.machine_id, c.planned_completion_utc as planned_completion
            from marts.fct_production_operations o
            left join {T.SCHEMA}.schedule s on s.method = 'cpsat'
                and s.production_order_id = o.production_order_id and s.operation_seq = o.operation_seq
            left join {T.SCHEMA}.schedule_orders c on c.method = 'cpsat'
                and c.production_order_id = o.production_order_id
            where o.production_order_state in ('confirmed', 'progress')
            """
        ).df()
        exists = conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = 't3_warnings'",
            [T.SCHEMA],
        ).fetchone()[0]
        previous = conn.execute(f"select * from {T.SCHEMA}.t3_warnings").df() if exists else None
        open_ids = (
            [] if previous is None else previous.loc[previous["status"] == "open", "production_order_id"]
        )
        ended = conn.execute(
            "select production_order_id, max(production_order_state) from marts.fct_production_operations "
            "where production_order_id in (select unnest(?::varchar[])) "
            "group by 1 having bool_and(operation_status in ('done', 'cancelled'))",
            [list(open_ids)],
        ).fetchall()
        finished = {oid: ("cancelled" if state == "cancel" else "done") for oid, state in ended}
        register = update_warnings(previous, t3_candidates(ops, as_of), as_of, finished)
        write_table(conn, "t3_warnings", register, T.T3_WARNINGS, schema=T.SCHEMA)
    open_now = register.loc[register["status"] == "open"]
    levels = open_now["level"].value_counts().to_dict()
    context.log.info(f"T-3: {len(open_now)} open warnings {levels}, {len(register) - len(open_now)} closed")
    return MaterializeResult(
        metadata={
            "open": len(open_now),
            "closed": len(register) - len(open_now),
            "levels": json.dumps(levels),
        }
    )


STOPS_SQL = """
select cast(started_at_utc + interval 8 hour as date) as shift_date, machine_id,
    sum(case when state = 'breakdown' then date_diff('second', started_at_utc, ended_at_utc) end) / 60.0
        as breakdown_minutes,
    sum(case when reason_code = 'WAIT-MATERIAL'
        then date_diff('second', started_at_utc, ended_at_utc) end) / 60.0
        as material_wait_minutes
from staging.stg_mes__machine_events
group by all
"""


@multi_asset(
    specs=[
        AssetSpec(
            "daily_close",
            deps=dbt_keys(CLOSE_INPUTS),
            group_name="production",
            kinds={"python", "duckdb"},
            description="Per day × order × operation: planned vs actual output, variance and its reason.",
        ),
        AssetSpec(
            "daily_close_materials",
            deps=dbt_keys(CLOSE_INPUTS),
            group_name="production",
            kinds={"duckdb"},
            description="Per day × order × operation × component: standard (BOM × good) "
            "vs actual consumption, with scrap allowance and the unexplained rest flagged.",
        ),
    ]
)
def daily_close_assets(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[MaterializeResult]:
    with warehouse.get_connection() as conn:
        plan = conn.execute(
            "select shift_date, production_order_id, operation_seq, machine_id, planned_qty "
            "from staging.stg_mes__dispatch_plan"
        ).df()
        actual = conn.execute(
            "select shift_date, production_order_id, operation_seq, machine_id, total_count, good_count "
            "from staging.stg_mes__production_counts"
        ).df()
        stops = conn.execute(STOPS_SQL).df()
        consumption = conn.execute(
            "select shift_date, production_order_id, operation_seq, component, quantity "
            "from staging.stg_mes__material_consumption"
        ).df()
        bom = conn.execute(
            "select sku, component_sku as component, quantity_per_unit from staging.stg_erp__bom"
        ).df()
        order_sku = conn.execute(
            "select production_order_id, sku from staging.stg_erp__production_orders"
        ).df()
        out = output_variances(plan, actual, stops)
        mat = material_variances(consumption, bom, actual, order_sku)
        n_out = write_table(conn, "daily_close", out, T.DAILY_CLOSE_OUTPUT, schema=T.SCHEMA)
        n_mat = write_table(conn, "daily_close_materials", mat, T.DAILY_CLOSE_MATERIALS, schema=T.SCHEMA)
    off = int((~out["within_tolerance"]).sum())
    flagged = int(mat["flagged"].sum())
    context.log.info(
        f"daily close: {n_out} output rows ({off} outside tolerance), {n_mat} material rows "
        f"({flagged} flagged)"
    )
    yield MaterializeResult(asset_key="daily_close", metadata={"rows": n_out, "outside_tolerance": off})
    yield MaterializeResult(asset_key="daily_close_materials", metadata={"rows": n_mat, "flagged": flagged})


# ---- checks on the outputs ---------------------------------------------------------------------------


@asset_check(asset="production_schedule", description="Every stored plan obeys every rule of the model.")
def schedule_obeys_constraints(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        problem = problem_from_frames(
            conn.execute(f"select * from {T.SCHEMA}.plan_problem").df(),
            conn.execute(f"select * from {T.SCHEMA}.plan_blocked").df(),
        )
        sched = conn.execute(f"select * from {T.SCHEMA}.schedule").df()
    errors = {m: check_plan(problem, plan_from_frame(g).assignments) for m, g in sched.groupby("method")}
    bad = {m: e for m, e in errors.items() if e}
    return AssetCheckResult(
        passed=not bad,
        metadata={
            "violations": sum(len(e) for e in bad.values()),
            "first": "; ".join(e[0] for e in bad.values())[:500],
        },
    )


@asset_check(
    asset="schedule_runs", description="CP-SAT's weighted tardiness is no worse than either dispatch rule."
)
def cpsat_no_worse_than_dispatch(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        runs = dict(
            conn.execute(f"select method, weighted_tardiness from {T.SCHEMA}.schedule_runs").fetchall()
        )
    worse = runs.get("cpsat", 0) > min(runs.get("edd", 0), runs.get("atc", 0))
    return AssetCheckResult(passed=not worse, severity=AssetCheckSeverity.WARN, metadata=runs)


@asset_check(asset="t3_warnings", description="Every order that meets the T-3 rule has an open warning.")
def t3_covers_every_due_order(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        missing = conn.execute(
            f"""
            select count(distinct o.production_order_id)
            from marts.fct_production_operations o
            where o.production_order_state in ('confirmed', 'progress') and o.operation_status != 'done'
                and o.due_at <= (select max(as_of) from {T.SCHEMA}.schedule_runs) + interval 3 day
                and o.production_order_id not in (
                    select production_order_id from {T.SCHEMA}.t3_warnings where status = 'open')
            """
        ).fetchone()[0]
    return AssetCheckResult(passed=missing == 0, metadata={"orders_without_warning": int(missing)})


production_assets = [production_schedule_assets, t3_warnings, daily_close_assets]
production_checks = [schedule_obeys_constraints, cpsat_no_worse_than_dispatch, t3_covers_every_due_order]
