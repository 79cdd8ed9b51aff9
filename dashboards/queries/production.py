"""Queries of the production page: the ``production`` tables the pipeline writes (docs/scheduling.md) and
the routings, work centers and shift calendar in ``staging``."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.warehouse import query, table_exists

TABLES = ("schedule", "schedule_orders", "schedule_runs", "work_center_load", "t3_warnings", "daily_close")
# What the rush-order what-if re-solves: the very problem the pipeline stored.
PLAN_TABLES = ("plan_problem", "plan_blocked", "plan_calendar")


def present_tables() -> dict[str, bool]:
    return {table: table_exists("production", table) for table in TABLES}


def plant_time_zone() -> str:
    tz = query("select any_value(source_time_zone) as tz from staging.stg_erp__shift_calendar")["tz"].iloc[0]
    return tz or "UTC"


def schedule_runs() -> pd.DataFrame:
    """One row per planning method (CP-SAT and the dispatch rules), indexed by method."""
    return query("select * from production.schedule_runs order by is_chosen desc, method").set_index("method")


def work_center_load() -> pd.DataFrame:
    return query("select * from production.work_center_load order by rank")


def schedule(method: str) -> pd.DataFrame:
    return query(
        "select * from production.schedule where method = ? order by machine_id, start_minute", (method,)
    )


def schedule_orders(method: str) -> pd.DataFrame:
    return query(
        "select * from production.schedule_orders where method = ? order by priority_rank", (method,)
    )


def late_by_tier() -> pd.DataFrame:
    """Per plan and customer tier: orders planned late and their weighted tardiness (the header's why)."""
    return query(
        "select method, customer_tier, count(*) filter (where is_late) as late, count(*) as orders "
        "from production.schedule_orders group by all order by method, customer_tier"
    )


def t3_warnings() -> pd.DataFrame:
    return query("select * from production.t3_warnings order by status desc, due_at, production_order_id")


def close_days() -> list:
    """The shift dates with a daily close, newest first."""
    return query("select distinct shift_date from production.daily_close order by 1 desc")[
        "shift_date"
    ].tolist()


def daily_close(day: date) -> pd.DataFrame:
    return query(
        "select * from production.daily_close where shift_date = ? order by production_order_id, "
        "operation_seq",
        (day,),
    )


def flagged_materials(day: date) -> pd.DataFrame:
    return query(
        "select * from production.daily_close_materials where shift_date = ? and flagged "
        "order by abs(unexplained) desc",
        (day,),
    )


def close_trend() -> pd.DataFrame:
    """Planned and good units of the last 30 closed days."""
    return query(
        "select shift_date, sum(planned_qty) as planned, sum(good_count) as good "
        "from production.daily_close group by 1 order by 1 desc limit 30"
    )


def variance_reasons(day: date) -> pd.DataFrame:
    """How often each variance reason was given in the 30 days up to ``day``."""
    return query(
        "select reason, count(*) as variances from production.daily_close where reason is not null "
        "and shift_date > cast(? as date) - interval 30 day group by 1 order by 2 desc",
        (day,),
    )


def routed_skus() -> list[str]:
    return query("select distinct sku from staging.stg_erp__routings order by 1")["sku"].tolist()


def plan_tables() -> dict[str, pd.DataFrame]:
    """The stored planning problem and the current CP-SAT schedule, as the what-if takes them."""
    tables = {
        name: query(f"select * from production.{name}")  # name from a fixed list, never user input
        for name in PLAN_TABLES
    }
    tables["schedule"] = query("select * from production.schedule where method = 'cpsat'")
    return tables


def routing(sku: str) -> pd.DataFrame:
    return query("select * from staging.stg_erp__routings where sku = ? order by operation_seq", (sku,))


def time_efficiency() -> dict[str, float]:
    """Work center → its time efficiency (only those above zero)."""
    eff = query(
        "select work_center, time_efficiency from staging.stg_erp__work_centers where time_efficiency > 0"
    )
    return dict(zip(eff["work_center"], eff["time_efficiency"].astype(float), strict=True))
