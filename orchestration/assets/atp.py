"""One stock for every channel as Dagster assets, after the marts and the production plan.

- ``fct_atp_daily`` (multi-asset, also ``fct_atp_sync_gap``): time-phased ATP per SKU × warehouse × day
  over the plan's horizon, and where the WMS's reserved figure and the open orders disagree.
- ``channel_stock_feeds``: the allocation per SKU × channel (``marts.fct_channel_allocation``) and one
  stock feed per channel in its import format under ``$OMNIOPS_HOME/outbox/<channel>/``; an invalid
  ``channel_allocation`` seed fails the step naming its rows, and no feed is written.
- ``fct_oversell_lines`` (multi-asset, also ``kpi_oversell_daily``): the order lines accepted when the SKU's
  ATP across channels was already gone, with what happened to them, and the daily oversell counts.

The maths is in ``inventory/``; the rules in docs/inventory.md.
"""

from collections.abc import Iterator

import pandas as pd
from dagster import AssetExecutionContext, AssetSpec, Failure, MaterializeResult, asset, multi_asset

from inventory import reads
from inventory import tables as T
from inventory.allocation import AllocationError, allocate_all, read_rules
from inventory.atp import horizon_days, input_warnings, sellable_pool, sync_gap, time_phased_atp
from inventory.feeds import feed_rows, write_feeds
from inventory.oversell import daily_rates, outcome, replay
from orchestration.assets.dbt import dbt_keys
from orchestration.resources import WarehouseResource
from planning.production_plan import HORIZON_DAYS
from planning.tables import write_table

STOCK_INPUTS = [
    "fct_inventory_daily",
    "fct_order_lines",
    "fct_orders",
    "fct_shipments",
    "dim_products",
    "stg_erp__production_orders",
    "stg_wms__movements",
    "company_profile",
]
PLAN = ["schedule_orders", "schedule_runs"]
SHOWN_WARNINGS = 20  # rows named one by one in the log; the count of all goes to the metadata


@multi_asset(
    specs=[
        AssetSpec(
            "fct_atp_daily",
            deps=[*dbt_keys(STOCK_INPUTS), *PLAN],
            group_name="inventory",
            kinds={"python", "duckdb"},
            description="ATP per SKU × warehouse × day: on hand − open order demand + scheduled receipts.",
        ),
        AssetSpec(
            "fct_atp_sync_gap",
            deps=[*dbt_keys(STOCK_INPUTS)],
            group_name="inventory",
            kinds={"python", "duckdb"},
            description="Per SKU × warehouse: WMS reserved − open order demand, where they differ.",
        ),
    ]
)
def atp_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> Iterator[MaterializeResult]:
    with warehouse.get_connection() as conn:
        snapshot, lines, receipts = reads.snapshot(conn), reads.open_lines(conn), reads.receipts(conn)
        catalogue = set(reads.products(conn)["sku"])
        warnings = input_warnings(snapshot, lines, receipts, catalogue)
        for message in warnings[:SHOWN_WARNINGS]:
            context.log.warning(message)
        if len(warnings) > SHOWN_WARNINGS:
            context.log.warning(
                f"… and {len(warnings) - SHOWN_WARNINGS} more rows the ATP could not use as they are"
            )
        known = lines[lines["sku"].isin(catalogue)]
        if snapshot.empty:  # nothing to promise from: empty tables, and no feeds downstream
            context.log.warning("No WMS stock snapshot has landed (wms/stock_snapshots_*.csv): ATP is empty.")
            start, atp = None, pd.DataFrame(columns=list(T.ATP_DAILY))
        else:
            start = pd.Timestamp(snapshot["snapshot_date"].max()).date() + pd.Timedelta(days=1)
            atp = time_phased_atp(snapshot, known, receipts, horizon_days(start, HORIZON_DAYS))
        gap = sync_gap(snapshot, known)
        write_table(conn, "fct_atp_daily", atp, T.ATP_DAILY, schema=T.SCHEMA)
        write_table(conn, "fct_atp_sync_gap", gap, T.ATP_SYNC_GAP, schema=T.SCHEMA)
    short = atp[atp["atp"] < 0][["sku", "warehouse_id"]].drop_duplicates()
    yield MaterializeResult(
        asset_key="fct_atp_daily",
        metadata={
            "rows": len(atp),
            "first_day": str(start),
            "positions_short": len(short),
            "input_warnings": len(warnings),
        },
    )
    yield MaterializeResult(
        asset_key="fct_atp_sync_gap",
        metadata={"rows": len(gap), "gap_units": float(gap["gap"].abs().sum())},
    )


@asset(
    group_name="inventory",
    deps=["fct_atp_daily", *dbt_keys(["channel_allocation", "channels", "stg_erp__sku_aliases"])],
    kinds={"python", "duckdb"},
    description="Allocation per SKU × channel and each channel's stock feed under outbox/<channel>/.",
)
def channel_stock_feeds(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        channels = reads.channels(conn)
        try:
            rules = read_rules(reads.allocation_seed(conn), set(channels))
        except AllocationError as error:
            raise Failure(description=f"No stock feed written: {error}") from error
        atp = conn.execute(f"select * from {T.SCHEMA}.fct_atp_daily").df()
        products = reads.products(conn)
        pools = sellable_pool(atp).merge(products[["sku", "product_category"]], on="sku", how="left")
        allocation = allocate_all(pools, rules, channels)
        as_of = pd.Timestamp(atp["date"].min()).date() if len(atp) else None
        write_table(
            conn, "fct_channel_allocation", allocation.assign(as_of=as_of), T.CHANNEL_ALLOCATION, T.SCHEMA
        )
        rows = feed_rows(allocation, reads.aliases(conn), products)
    written = write_feeds(rows, warehouse.paths.outbox, as_of) if as_of else {}
    offered = rows.groupby("channel")["qty"].sum().to_dict()
    context.log.info(f"stock feeds: {offered} units offered of a pool of {int(pools['pool'].sum())}")
    return MaterializeResult(
        metadata={
            "files": ", ".join(str(p.relative_to(warehouse.paths.home)) for p in written.values()),
            "pool": int(pools["pool"].sum()),
            "offered": int(sum(offered.values())),
        }
    )


@multi_asset(
    specs=[
        AssetSpec(
            "fct_oversell_lines",
            deps=dbt_keys(STOCK_INPUTS),
            group_name="inventory",
            kinds={"python", "duckdb"},
            description="Order lines accepted when the SKU's ATP across channels was ≤ 0, with outcome.",
        ),
        AssetSpec(
            "kpi_oversell_daily",
            deps=dbt_keys(STOCK_INPUTS),
            group_name="inventory",
            kinds={"python", "duckdb"},
            description="Per day × channel: accepted lines judged, oversold lines and units.",
        ),
    ]
)
def oversell_marts(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[MaterializeResult]:
    with warehouse.get_connection() as conn:
        lines = reads.accepted_lines(conn)
        judged = replay(lines, reads.opening_stock(conn), reads.stock_receipts(conn))
        oversold = judged[judged["is_oversold"]].merge(
            lines[
                ["order_line_key", "channel_order_id", "cancelled", "shipments", "shipped", "shipped_late"]
            ],
            on="order_line_key",
        )
        oversold["outcome"] = [
            outcome(
                int(r.shipments),
                bool(r.cancelled),
                None if pd.isna(r.shipped_late) else bool(r.shipped_late),
                bool(r.shipped),
            )
            for r in oversold.itertuples()
        ]
        rates = daily_rates(judged)
        write_table(conn, "fct_oversell_lines", oversold, T.OVERSELL_LINES, schema=T.SCHEMA)
        write_table(conn, "kpi_oversell_daily", rates, T.KPI_OVERSELL_DAILY, schema=T.SCHEMA)
    rate = len(oversold) / len(judged) if len(judged) else 0.0
    context.log.info(f"oversells: {len(oversold)} of {len(judged)} accepted lines ({rate:.2%})")
    yield MaterializeResult(
        asset_key="fct_oversell_lines",
        metadata={"rows": len(oversold), "outcomes": str(oversold["outcome"].value_counts().to_dict())},
    )
    yield MaterializeResult(asset_key="kpi_oversell_daily", metadata={"rows": len(rates), "rate": rate})


inventory_assets = [atp_marts, channel_stock_feeds, oversell_marts]
