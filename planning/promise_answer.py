"""Capable-to-promise on a published warehouse: read the ATP, the current plan and the routing, then
``planning.promise.decide``. Used by ``omniops promise``, the promise page and the benchmark."""

from __future__ import annotations

import time

import pandas as pd

from planning.promise import PLAN_TABLES, Promise, decide, earliest_from_production, to_company_date
from planning.promise_atp import has_table, read_atp_daily


class PromiseInputError(ValueError):
    """A SKU, channel or warehouse the warehouse does not know, or a quantity below 1."""


def _check(conn, sku: str, quantity: int, channel: str | None, warehouse: str | None) -> None:
    if quantity < 1:
        raise PromiseInputError(f"--qty {quantity}: must be at least 1")
    if not conn.execute("select count(*) from marts.dim_products where sku = ?", [sku]).fetchone()[0]:
        raise PromiseInputError(f"SKU {sku!r}: no such product in marts.dim_products")
    if (
        channel is not None
        and not conn.execute(
            "select count(*) from marts.dim_channels where channel = ?", [channel]
        ).fetchone()[0]
    ):
        raise PromiseInputError(f"channel {channel!r}: no such channel in marts.dim_channels")
    if (
        warehouse is not None
        and not conn.execute(
            "select count(*) from marts.fct_inventory_daily where warehouse_code = ?", [warehouse]
        ).fetchone()[0]
    ):
        raise PromiseInputError(f"warehouse {warehouse!r}: no stock snapshot in marts.fct_inventory_daily")


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
    atp = read_atp_daily(conn, sku, zone, warehouse)
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
