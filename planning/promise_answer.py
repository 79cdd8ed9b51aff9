"""Capable-to-promise on a published warehouse: read the ATP, the current plan and the routing, then
``planning.promise.decide``. Used by ``omniops promise``, the promise page and the benchmark."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd

from planning.promise import (
    PLAN_TABLES,
    Promise,
    decide,
    earliest_from_production,
    line_ship_date,
    to_company_date,
)
from planning.promise_atp import has_table, read_atp_daily


class PromiseInputError(ValueError):
    """A SKU, channel or warehouse the warehouse does not know, or a quantity below 1."""


# What each input must name: (label, table, column, what a miss means).
KNOWN = (
    ("SKU", "marts.dim_products", "sku", "no such product"),
    ("channel", "marts.dim_channels", "channel", "no such channel"),
    ("warehouse", "marts.fct_inventory_daily", "warehouse_code", "no stock snapshot"),
)


def _check(conn, sku: str, quantity: int, channel: str | None, warehouse: str | None) -> None:
    if quantity < 1:
        raise PromiseInputError(f"--qty {quantity}: must be at least 1")
    for (label, table, column, missing), value in zip(KNOWN, (sku, channel, warehouse), strict=True):
        # table and column come from KNOWN (never user input); the value travels as a parameter
        sql = f"select count(*) from {table} where {column} = ?"
        if value is not None and not conn.execute(sql, [value]).fetchone()[0]:
            raise PromiseInputError(f"{label} {value!r}: {missing} in {table}")


def plan_inputs(conn, sku: str) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, float], str]:
    """(stored plan tables, the SKU's routing, work-centre efficiencies, the chosen plan's method)."""
    method = conn.execute(
        "select coalesce((select method from production.schedule_runs where is_chosen limit 1), 'cpsat')"
    ).fetchone()[0]
    tables = {name: conn.execute(f"select * from production.{name}").df() for name in PLAN_TABLES[:3]}
    tables["schedule"] = conn.execute("select * from production.schedule where method = ?", [method]).df()
    routing = conn.execute(
        "select * from staging.stg_erp__routings where sku = ? order by operation_seq", [sku]
    ).df()
    efficiency = dict(
        conn.execute(
            "select work_center, cast(time_efficiency as double) from staging.stg_erp__work_centers "
            "where time_efficiency > 0"
        ).fetchall()
    )
    return tables, routing, efficiency, method


def promise(
    conn,
    sku: str,
    quantity: int,
    zone: str,
    channel: str | None = None,
    warehouse: str | None = None,
) -> Promise:
    """The promise for ``quantity`` of ``sku`` (``conn``: DuckDB on the published warehouse; ``zone``: the
    company's time zone); ``detail['seconds']`` says how long it took."""
    started = time.perf_counter()
    _check(conn, sku, quantity, channel, warehouse)
    atp = read_atp_daily(conn, sku, warehouse)
    has_plan = has_table(conn, "production", "plan_problem")
    routing_rows = (
        conn.execute("select count(*) from staging.stg_erp__routings where sku = ?", [sku]).fetchone()[0]
        if has_plan
        else 0
    )

    def production(units: int):
        tables, routing, efficiency, method = plan_inputs(conn, sku)
        completion, detail = earliest_from_production(tables, routing, units, efficiency, method=method)
        return to_company_date(completion, zone), completion, detail | {"plan_method": method}

    answer = decide(sku, quantity, atp, production if routing_rows else None, channel)
    answer.detail["seconds"] = round(time.perf_counter() - started, 3)
    return answer


OPEN_LINES_SQL = """
select l.line_number, l.sku, l.quantity, l.line_status, o.channel || ':' || coalesce(o.fulfilment_ref, '')
    as sales_order_ref,
    l.quantity - coalesce((select sum(s.quantity) from marts.fct_shipments as s
                           where s.order_key = l.order_key and s.sku = l.sku), 0) as open_quantity
from marts.fct_order_lines as l join marts.fct_orders as o using (order_key)
where l.order_key = ? and o.order_status in ('pending', 'confirmed')
    and l.line_status in ('pending', 'confirmed') and l.quantity > 0
order by l.line_number
"""
# The order's production orders in the chosen plan, with the open T-3 warning's level of each, if any.
PLANNED_SQL = """
select o.production_order_id, o.sku, o.planned_completion_utc,
    (select w.level from production.t3_warnings as w where w.production_order_id = o.production_order_id
     and w.status = 'open' order by w.opened_at desc limit 1) as t3_level
from production.schedule_orders as o
where o.method = coalesce((select method from production.schedule_runs where is_chosen limit 1), 'cpsat')
    and o.production_order_id in (
        select production_order_id from marts.fct_production_operations where sales_order_ref = ?
    )
"""


def expected_ship_dates(conn, order_key: str, zone: str) -> pd.DataFrame:
    """Per open line of an open order (pending or confirmed): expected_ship_date, source ('stock' or
    'production'), warehouse, production_order_id, planned_completion_utc, t3_level
    (``planning.promise.line_ship_date``). No rows for an order that is not open."""
    lines = conn.execute(OPEN_LINES_SQL, [order_key]).df()
    lines = lines[lines["open_quantity"] > 0]
    columns = ["expected_ship_date", "source", "warehouse", "production_order_id", "planned_completion_utc"]
    if lines.empty:
        return lines.assign(**{c: None for c in columns}, t3_level=None)
    planned = pd.DataFrame(columns=["production_order_id", "sku", "planned_completion_utc", "t3_level"])
    if has_table(conn, "production", "schedule_orders") and has_table(conn, "production", "t3_warnings"):
        planned = conn.execute(PLANNED_SQL, [lines["sales_order_ref"].iloc[0]]).df()
    rows = []
    for line in lines.itertuples(index=False):
        made = planned[planned["sku"] == line.sku].sort_values("planned_completion_utc")
        production = made.iloc[-1] if len(made) else None
        done = None if production is None else to_company_date(production["planned_completion_utc"], zone)
        atp = read_atp_daily(conn, line.sku) if production is None else None
        need = 0.0 if line.line_status == "confirmed" else float(line.open_quantity)
        day, source, warehouse = line_ship_date(atp, need, done)
        made_by = {} if production is None else production[["production_order_id", "planned_completion_utc"]]
        rows.append(
            {
                "expected_ship_date": day,
                "source": source,
                "warehouse": warehouse,
                "production_order_id": made_by.get("production_order_id"),
                "planned_completion_utc": made_by.get("planned_completion_utc"),
                "t3_level": None if production is None else production["t3_level"],
            }
        )
    return pd.concat([lines.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def order_ship_date(lines: pd.DataFrame) -> date | None:
    """The order ships complete: its latest line's date; none while any line has none."""
    if lines.empty or lines["expected_ship_date"].isna().any():
        return None
    return max(lines["expected_ship_date"])
