"""Time-phased available-to-promise per SKU × warehouse × day, and the WMS sync gap.

For each SKU s, warehouse w and day d of the horizon (d₀ = the day after the newest WMS snapshot):

    ATP(s, w, d) = on_hand(s, w) − Σ_{d' ≤ d} open_demand(s, w, d') + Σ_{d' ≤ d} receipts(s, w, d')

- on_hand: the newest WMS snapshot of (s, w); a negative figure is a WMS error and counts as 0.
- open_demand(d'): units of accepted, not yet shipped order lines of every channel reserved against w,
  placed on the day they must ship (their promised date; an overdue line on d₀).
- receipts(d'): purchase orders due and production orders of the current plan completing on d'
  (due before d₀: on d₀).
ATP below 0 is a shortage: more is promised than stock and receipts cover by that day.

Sync gap per (s, w) = WMS reserved − open order demand (all days): what the WMS holds back that no open
order needs (> 0) or what open orders need that the WMS does not hold back (< 0).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

KEYS = ["sku", "warehouse_id"]
ATP_COLUMNS = ["sku", "warehouse_id", "date", "on_hand", "open_demand", "scheduled_receipts", "atp"]


def horizon_days(start: date, days: int) -> list[date]:
    """The ``days`` consecutive days from ``start``."""
    if days < 1:
        raise ValueError(f"the ATP horizon must be at least one day: got {days}")
    return [start + timedelta(days=i) for i in range(days)]


def _by_day(frame: pd.DataFrame, qty: str, days: list[date]) -> pd.DataFrame:
    """Sum ``qty`` per SKU × warehouse × day, days before the horizon on its first day, after it dropped."""
    if frame.empty:
        return pd.DataFrame(columns=[*KEYS, "date", qty])
    out = frame[[*KEYS, "date", qty]].copy()
    out["date"] = pd.to_datetime(out["date"]).dt.date.clip(lower=days[0])
    out = out[out["date"] <= days[-1]]
    return out.groupby([*KEYS, "date"], as_index=False)[qty].sum()


def time_phased_atp(
    on_hand: pd.DataFrame, open_demand: pd.DataFrame, receipts: pd.DataFrame, days: list[date]
) -> pd.DataFrame:
    """ATP per SKU × warehouse × day (module docstring), one row per position and day of ``days``.

    ``on_hand``: sku, warehouse_id, on_hand; ``open_demand``: sku, warehouse_id, date, qty;
    ``receipts``: sku, warehouse_id, date, qty. A position appears when any of the three names it.
    """
    stock = on_hand[[*KEYS, "on_hand"]].assign(on_hand=lambda f: f["on_hand"].clip(lower=0))
    demand = _by_day(open_demand.rename(columns={"qty": "open_demand"}), "open_demand", days)
    inbound = _by_day(receipts.rename(columns={"qty": "scheduled_receipts"}), "scheduled_receipts", days)
    positions = pd.concat([stock[KEYS], demand[KEYS], inbound[KEYS]]).drop_duplicates()
    grid = positions.merge(pd.DataFrame({"date": days}), how="cross")
    grid = (
        grid.merge(stock, on=KEYS, how="left")
        .merge(demand, on=[*KEYS, "date"], how="left")
        .merge(inbound, on=[*KEYS, "date"], how="left")
    )
    grid[["on_hand", "open_demand", "scheduled_receipts"]] = (
        grid[["on_hand", "open_demand", "scheduled_receipts"]].astype(float).fillna(0.0)
    )
    grid = grid.sort_values([*KEYS, "date"], ignore_index=True)
    net = (grid["scheduled_receipts"] - grid["open_demand"]).groupby([grid[k] for k in KEYS]).cumsum()
    grid["atp"] = grid["on_hand"] + net
    return grid[ATP_COLUMNS]


def sync_gap(wms_reserved: pd.DataFrame, open_demand: pd.DataFrame) -> pd.DataFrame:
    """Per SKU × warehouse with anything reserved or demanded: WMS reserved, open order demand and
    gap = reserved − demand (0 where they agree).

    ``wms_reserved``: sku, warehouse_id, reserved; ``open_demand``: sku, warehouse_id, qty.
    """
    reserved = wms_reserved.groupby(KEYS, as_index=False)["reserved"].sum()
    demand = open_demand.groupby(KEYS, as_index=False)["qty"].sum()
    gap = reserved.merge(demand, on=KEYS, how="outer").fillna({"reserved": 0.0, "qty": 0.0})
    gap = gap.rename(columns={"reserved": "wms_reserved", "qty": "open_order_demand"})
    gap["gap"] = gap["wms_reserved"] - gap["open_order_demand"]
    gap = gap[(gap["wms_reserved"] != 0) | (gap["open_order_demand"] != 0)].sort_values(
        KEYS, ignore_index=True
    )
    return gap[[*KEYS, "wms_reserved", "open_order_demand", "gap"]].astype(
        {"wms_reserved": float, "open_order_demand": float, "gap": float}
    )


def sellable_pool(atp: pd.DataFrame) -> pd.DataFrame:
    """Per SKU: Σ_w max(0, min_d ATP(s, w, d)), whole units — what can be sold now without making any
    later day of the horizon short (stock due later is not offered before it arrives)."""
    lowest = atp.groupby(KEYS, as_index=False)["atp"].min()
    lowest["pool"] = lowest["atp"].clip(lower=0).astype(float).map(int)
    return lowest.groupby("sku", as_index=False)["pool"].sum()


def input_warnings(
    snapshot: pd.DataFrame, open_lines: pd.DataFrame, receipts: pd.DataFrame, catalogue: set[str]
) -> list[str]:
    """Rows the ATP cannot use as they are, one message each naming the row.

    ``snapshot``: the newest WMS rows (snapshot_date, sku, warehouse_id, on_hand); ``open_lines``: channel,
    channel_order_id, line_number, sku, warehouse_id, qty (sku null when no catalogue knows the channel's
    SKU; channel_sku then names it); ``receipts``: source, reference, sku, warehouse_id.
    """
    found = []
    for r in snapshot[snapshot["on_hand"] < 0].itertuples():
        found.append(
            f"WMS snapshot {r.snapshot_date} {r.warehouse_id} {r.sku}: negative on-hand {r.on_hand:g} "
            "counted as 0"
        )
    for r in open_lines[open_lines["sku"].isna() | ~open_lines["sku"].isin(catalogue)].itertuples():
        name = r.sku if isinstance(r.sku, str) else getattr(r, "channel_sku", None)
        found.append(
            f"order {r.channel} {r.channel_order_id} line {r.line_number}: SKU {name!r} is in no "
            "catalogue; its open units are left out of the ATP"
        )
    with_stock = set(snapshot["warehouse_id"])
    for kind, frame in (("open order demand", open_lines), ("scheduled receipts", receipts)):
        for wh in sorted(set(frame["warehouse_id"].dropna()) - with_stock):
            found.append(f"warehouse {wh} has {kind} but no WMS snapshot: its on-hand is taken as 0")
    return found
