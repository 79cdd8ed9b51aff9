"""A Shopify file cut inside a quoted field: its order's lines no longer add up to the order's Subtotal.

Issue 17 found such a 1-line order published as complete. On a copy of the demo warehouse, a re-export of
one delivered two-line order lands cut inside the last line's quoted item name (landing quarantines the
cut line): the order is flagged partial, listed in dq_partial_orders, and leaves every KPI mart (and the
daily totals kpi_monthly reads). The complete copy then lands under the same name, and every KPI mart is
back to what the full demo build had.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kpis.daily import deliveries
from landing.load import load_table
from landing.sources import SOURCE_TABLES
from tests.dbt_cli import dbt

SHOPIFY = next(t for t in SOURCE_TABLES if t.raw_table == "shopify__orders")
RE_EXPORT = "shopify/orders_export_reexport.csv"
ORDER_MODELS = (
    "int_order_lines__unioned int_order_lines__deduplicated int_order_lines__enriched int_orders__register "
    "fct_orders fct_order_lines kpi_order_facts int_orders__fill_contributions "
    "int_orders__cogs_contributions kpi_delivery_daily kpi_fill_daily kpi_inventory_daily "
    "kpi_late_orders dq_partial_orders assert_no_order_is_partial"
)


def _kpis(conn: duckdb.DuckDBPyConnection, order: dict) -> dict:
    """What the KPI marts say about the order's delivery day, order day and the order itself."""
    one = lambda sql, *params: conn.execute(sql, list(params)).fetchone()[0]  # noqa: E731
    return {
        "facts": one("select count(*) from marts.kpi_order_facts where order_key = ?", order["key"]),
        "delivered": one(
            "select coalesce(sum(delivered_orders), 0) from marts.kpi_delivery_daily "
            "where delivered_date = ?",
            order["delivered_date"],
        ),
        "units_ordered": one(
            "select coalesce(sum(units_ordered), 0) from marts.kpi_fill_daily where order_date = ?",
            order["order_date"],
        ),
        "cogs": float(
            one(
                "select coalesce(sum(cogs), 0) from marts.kpi_inventory_daily where kpi_date = ?",
                order["order_date"],
            )
        ),
        "daily_totals": _on_day(deliveries(conn), "delivered_date", order["delivered_date"], "delivered"),
    }


def _on_day(frame: pd.DataFrame, column: str, day, value: str) -> int:
    """The day's value of a per-day frame (0 when the day has no row)."""
    return int(frame.loc[pd.to_datetime(frame[column]).dt.date == day, value].sum())


@pytest.fixture(scope="module")
def order(built_instance) -> dict:
    """A delivered Shopify order of two or more sold lines, filled from stock, with its export rows."""
    key, name, delivered_date, order_date, source_file, cost = built_instance.query(
        "select f.order_key, f.channel_order_id, f.delivered_date, f.order_date, "
        "min(l.source_file), sum(l.line_cost_reporting) "
        "from marts.kpi_order_facts f join marts.fct_order_lines l using (order_key) "
        "where f.channel = 'shopify' and f.is_delivered and f.counts_in_fill_rate "
        "group by all having count(*) >= 2 and bool_and(l.line_status = 'shipped') "
        "and count(distinct l.source_file) = 1 order by f.channel_order_id limit 1"
    )[0]
    with (built_instance.landing / source_file).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row[header.index("Name")] == name]
    return {
        "key": key,
        "name": name,
        "delivered_date": delivered_date,
        "order_date": order_date,
        "cost": float(cost),
        "header": header,
        "rows": rows,
    }


def _export(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def _land_and_build(home: Path, text: str) -> str:
    (home / "landing" / RE_EXPORT).write_text(text, encoding="utf-8")
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        load_table(conn, home / "landing", SHOPIFY, run_id="partial-order-test")
    build = dbt(home, "build", "--select", *ORDER_MODELS.split(), "--exclude-resource-type", "unit_test")
    assert build.returncode == 0, build.stdout[-3000:]
    return build.stdout


def test_a_shopify_file_cut_inside_a_quoted_field_keeps_its_order_out_of_the_kpis_until_complete(
    built_instance, order, tmp_path
):
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    (home / "landing" / "shopify").mkdir(parents=True)
    shutil.copy(built_instance.home / "warehouse" / "build.duckdb", home / "warehouse" / "build.duckdb")
    build_db = home / "warehouse" / "build.duckdb"
    with duckdb.connect(str(build_db), read_only=True) as conn:
        before = _kpis(conn, order)
    assert before["facts"] == 1

    complete = _export(order["header"], order["rows"])
    name_at = complete.rindex(f'"{order["rows"][-1][order["header"].index("Lineitem name")]}"')
    output = _land_and_build(home, complete[: name_at + 4])  # cut 3 characters into the item's name
    with duckdb.connect(str(build_db), read_only=True) as conn:
        ledger = conn.execute(
            "select status, rows_read, rows_rejected from landing.file_ledger where file_path = ?",
            [RE_EXPORT],
        ).fetchall()
        assert ledger == [("loaded", len(order["rows"]), 1)]
        ((is_partial, reason),) = conn.execute(
            "select is_partial, partial_reason from marts.fct_orders where order_key = ?", [order["key"]]
        ).fetchall()
        assert is_partial and "add up to" in reason and "Subtotal" in reason
        assert conn.execute(
            "select channel_order_id, source_files from marts.dq_partial_orders"
        ).fetchall() == [(order["name"], RE_EXPORT)]
        cut = _kpis(conn, order)
    assert "WARN" in output and "assert_no_order_is_partial" in output
    assert cut == {
        "facts": 0,
        "delivered": before["delivered"] - 1,
        "units_ordered": before["units_ordered"]
        - sum(int(row[order["header"].index("Lineitem quantity")]) for row in order["rows"]),
        "cogs": pytest.approx(before["cogs"] - order["cost"]),
        "daily_totals": before["daily_totals"] - 1,
    }

    _land_and_build(home, complete)  # the complete copy, re-delivered under the same name
    with duckdb.connect(str(build_db), read_only=True) as conn:
        assert conn.execute(
            "select is_partial from marts.fct_orders where order_key = ?", [order["key"]]
        ).fetchall() == [(False,)]
        assert conn.execute("select count(*) from marts.dq_partial_orders").fetchone() == (0,)
        after = _kpis(conn, order)
    assert after == {**before, "cogs": pytest.approx(before["cogs"])}
