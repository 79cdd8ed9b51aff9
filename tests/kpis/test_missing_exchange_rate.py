"""A month without an ERP exchange rate flags and lists its orders; it does not block the build.

A copy of the demo warehouse loses the USD rate of one month and dbt builds again: the build succeeds
with a warning, `dq_orders_without_exchange_rate` lists exactly the USD orders of that month, they are
flagged in fct_orders, and every other month keeps its reporting amounts.
"""

from __future__ import annotations

import shutil

import duckdb

from tests.dbt_cli import dbt


def test_a_missing_exchange_rate_month_flags_and_lists_its_orders_and_publishes_the_rest(
    built_instance, tmp_path
):
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    build = home / "warehouse" / "build.duckdb"
    shutil.copy(built_instance.home / "warehouse" / "build.duckdb", build)
    with duckdb.connect(str(build)) as conn:
        (month,) = conn.execute(
            "select date_trunc('month', order_date) from marts.fct_orders where currency = 'USD' "
            "group by 1 order by count(*) desc limit 1"
        ).fetchone()
        expected = {
            row[0]
            for row in conn.execute(
                "select order_key from marts.fct_orders where currency = 'USD' "
                "and date_trunc('month', order_date) = ?",
                [month],
            ).fetchall()
        }
        conn.execute(
            'delete from raw.erp__exchange_rates where "Currency" = \'USD\' and cast("Date" as date) = ?',
            [month],
        )

    result = dbt(home, "build", "--full-refresh", "--select", "stg_erp__exchange_rates+")

    assert result.returncode == 0, result.stdout[-3000:]
    assert "WARN" in result.stdout and "assert_every_order_month_has_an_exchange_rate" in result.stdout
    with duckdb.connect(str(build), read_only=True) as conn:
        listed = conn.execute(
            "select order_key, currency, rate_month from marts.dq_orders_without_exchange_rate"
        ).fetchall()
        assert {key for key, _, _ in listed} == expected
        assert {(currency, str(rate_month)[:10]) for _, currency, rate_month in listed} == {
            ("USD", str(month)[:10])
        }
        flagged = conn.execute(
            "select count(*) filter (where has_data_issue and order_amount_reporting is null), count(*) "
            "from marts.fct_orders where currency = 'USD' and date_trunc('month', order_date) = ?",
            [month],
        ).fetchone()
        assert flagged == (len(expected), len(expected))
        (others_missing,) = conn.execute(
            "select count(*) from marts.fct_order_lines where fx_rate_to_reporting is null "
            "and order_key not in (select order_key from marts.dq_orders_without_exchange_rate)"
        ).fetchone()
        assert others_missing == 0
        stored = conn.execute(
            "select table_name from information_schema.tables "
            "where table_name like 'assert_every_order_month_has_an_exchange_rate%'"
        ).fetchall()
        assert stored
