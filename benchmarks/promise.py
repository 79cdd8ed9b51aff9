"""Capable-to-promise speed on a published warehouse (the demo company by default).

Targets (issue 19): ≤ 1 s for an answer from stock, ≤ 5 s for an answer from production. Each answer is
timed from an open read-only connection to the decision, as ``omniops promise`` and the page run it
(the CLI adds its Python start-up). Stock answers: the SKUs with the most stock, 1 unit each;
production answers: SKUs made in house, their stock + 50 units. Prints the median and max per kind:

    OMNIOPS_HOME=... .venv/bin/python benchmarks/promise.py [--answers 10]
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb

from core.settings import COMPANY_TIME_ZONE, get_paths
from planning.promise_answer import promise

LATEST = "(select max(snapshot_date) from marts.fct_inventory_daily)"


def cases(conn, n: int) -> dict[str, list[tuple[str, int]]]:
    stock = conn.execute(
        f"select sku, 1 from marts.fct_inventory_daily where snapshot_date = {LATEST} "
        "order by on_hand_qty desc, sku limit ?",
        [n],
    ).fetchall()
    made = conn.execute(
        "select r.sku, 50 + coalesce((select sum(on_hand_qty + in_transit_qty) "
        f"from marts.fct_inventory_daily i where i.sku = r.sku and i.snapshot_date = {LATEST}), 0)::integer "
        "from (select distinct sku from staging.stg_erp__routings) r order by r.sku limit ?",
        [n],
    ).fetchall()
    return {"stock": stock, "production": made}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10, help="answers per kind (10)")
    args = parser.parse_args()
    published = get_paths().published_db
    with duckdb.connect(str(published), read_only=True) as conn:
        for kind, items in cases(conn, args.answers).items():
            seconds = []
            for sku, quantity in items:
                started = time.perf_counter()
                answer = promise(conn, sku, quantity, COMPANY_TIME_ZONE)
                seconds.append(time.perf_counter() - started)
                if answer.source != kind:
                    print(f"  note: {sku} × {quantity} answered from {answer.source}")
            print(
                f"{kind}: {len(seconds)} answers, median {statistics.median(seconds):.3f} s, "
                f"max {max(seconds):.3f} s"
            )


if __name__ == "__main__":
    main()
