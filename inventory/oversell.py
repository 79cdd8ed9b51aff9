"""Oversell detection: replay the accepted order lines in time order against the stock there was.

Per SKU, company-wide (all warehouses: the channels sell one stock), on company day d:

    available(t) = opening(d) + receipts of d up to t − units of the lines accepted on d before t
    opening(d)   = Σ_w (on_hand − reserved) of the WMS snapshot at the end of d − 1

A line accepted at t is **oversold** when available(t) ≤ 0: the channel took the order when the SKU's
ATP across channels was already gone (a channel selling from a stale stock feed). All its units count
as oversold. A line that finds some stock but less than its quantity is not oversold (it was accepted
against stock there was; the shortfall shows in fill rate). Lines of days without an opening snapshot
are not judged. Receipts at the same instant as an order come first.

Oversell rate (per channel and period) = oversold lines ÷ accepted lines judged.
"""

from __future__ import annotations

import pandas as pd

LINE_COLUMNS = ["order_line_key", "channel", "sku", "accepted_at", "day", "qty"]


def replay(lines: pd.DataFrame, opening: pd.DataFrame, receipts: pd.DataFrame) -> pd.DataFrame:
    """Every judged line with ``available_before`` and ``is_oversold`` (module docstring).

    ``lines``: order_line_key, channel, sku, accepted_at, day, qty (accepted lines, qty > 0);
    ``opening``: sku, day, opening; ``receipts``: sku, day, at, qty.
    """
    judged = lines[LINE_COLUMNS].merge(opening[["sku", "day", "opening"]], on=["sku", "day"], how="inner")
    if judged.empty:
        return judged.assign(available_before=pd.Series(dtype=float), is_oversold=pd.Series(dtype=bool))
    events = pd.concat(
        [
            judged.assign(at=judged["accepted_at"], delta=-judged["qty"].astype(float), order=1),
            receipts.assign(delta=receipts["qty"].astype(float), order=0, order_line_key=None).merge(
                judged[["sku", "day", "opening"]].drop_duplicates(["sku", "day"]), on=["sku", "day"]
            ),
        ],
        ignore_index=True,
    ).sort_values(["sku", "day", "at", "order", "order_line_key"], ignore_index=True, na_position="first")
    running = events.groupby(["sku", "day"])["delta"].cumsum()
    events["available_before"] = events["opening"] + running - events["delta"]
    out = events[events["order"] == 1].copy()
    out["is_oversold"] = out["available_before"] <= 0
    return out[[*LINE_COLUMNS, "available_before", "is_oversold"]].reset_index(drop=True)


def outcome(shipments: int, cancelled: bool, shipped_late: bool | None, shipped: bool) -> str:
    """What happened to an oversold line: cancelled, backordered (left in more than one shipment),
    shipped late (after the promised date), shipped on time, or still open."""
    if cancelled:
        return "cancelled"
    if shipments > 1:
        return "backordered"
    if shipped and shipped_late:
        return "shipped late"
    return "shipped on time" if shipped else "open"


def daily_rates(judged: pd.DataFrame) -> pd.DataFrame:
    """Per day × channel: accepted lines judged, oversold lines and units (the oversell-rate inputs)."""
    grouped = judged.assign(
        oversold_units=judged["qty"].where(judged["is_oversold"], 0),
        oversold=judged["is_oversold"].astype(int),
    ).groupby(["day", "channel"], as_index=False)
    out = grouped.agg(
        accepted_lines=("order_line_key", "size"),
        oversold_lines=("oversold", "sum"),
        oversold_units=("oversold_units", "sum"),
    )
    return out.sort_values(["day", "channel"], ignore_index=True)
