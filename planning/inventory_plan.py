"""The inventory plan of one SKU in one warehouse: ATP, safety stock, reorder point, cover, proposal.

Formulas (the arithmetic is in ``forecasting.inventory``):

- ATP = on hand − reserved + inbound (the newest WMS snapshot; everything in transit is counted as
  confirmed inbound arriving within the horizon).
- d̄ = forecast demand per day = Σ daily forecast over the next 28 days ÷ 28.
- Safety stock SS = z(service level) × σ × √L, σ = standard deviation of the daily forecast error
  (per day), L = lead time in days.
- Reorder point ROP = d̄ × L + SS.
- Days of cover = max(ATP, 0) ÷ d̄ (none when nothing is expected to sell: the page says "no demand").
- Shortage = max(−ATP, 0): open orders already need more than is on hand and inbound; a negative ATP is
  units owed, not stock.
- Projected ATP at the end of day k = ATP − Σ_{j≤k} forecast(j) (k = 0 is as_of itself).
- Stock-out date = first day projected ATP falls below 0 within the 28 forecast days.
- Proposal (only when something is expected to sell, d̄ > 0): when projected ATP falls below ROP on
  some day k within the horizon, order on that day
  (at the earliest the run day, as_of + 1) — the textbook reorder trigger: ROP already holds the lead-time
  demand, so goods ordered that day arrive as stock reaches the safety stock. Quantity = order-up-to
  level − projected ATP on that day, order-up-to level = ROP + d̄ × review period, rounded up to a whole
  unit. Production for SKUs made in house, purchase otherwise.
- Overstock: the stock above the safety stock lasts longer than the policy's limit, ATP − SS > d̄ × max
  cover days (the safety stock is wanted, whatever its cover), or stock that nothing is expected to sell
  (d̄ = 0) and that sold nothing in the last ``RECENT_DAYS`` days. A proposal for an overstocked position
  can then only come from a lead time + horizon longer than the limit; the row's ``note`` says so. A
  position without forecast demand that did sell lately is neither: its note asks for a forecast check.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from forecasting import inventory
from forecasting.horizons import HORIZONS
from planning.tables import INVENTORY_PLAN

HORIZON_DAYS = HORIZONS["D"]
RECENT_DAYS = 90  # a position that sold within these days is not "stock nothing sells"


@dataclass(frozen=True)
class Policy:
    service_level: float = inventory.DEFAULT_SERVICE_LEVEL
    max_cover_days: float = 120.0
    review_period_days: float = 14.0


def plan(
    on_hand: float,
    reserved: float,
    inbound: float,
    daily_forecast: list[float],
    error_std_daily: float,
    lead_time_days: int,
    replenishment: str,
    as_of: date,
    policy: Policy = Policy(),
    sold_recently: bool = False,
) -> dict:
    """The plan numbers of one SKU × warehouse (see the module docstring); ``sold_recently``: it left
    this warehouse to a customer within ``RECENT_DAYS``."""
    atp = inventory.available_to_promise(on_hand, reserved, inbound)
    horizon = len(daily_forecast) or HORIZON_DAYS
    total = float(sum(daily_forecast))
    per_day = total / horizon
    ss = inventory.safety_stock(error_std_daily, lead_time_days, policy.service_level)
    rop = inventory.reorder_point(per_day, error_std_daily, lead_time_days, policy.service_level)
    cover = inventory.days_of_cover(atp, per_day)
    stockout = inventory.projected_stockout_date(atp, list(daily_forecast), as_of + timedelta(days=1))
    projected = [atp]
    for demand in daily_forecast:
        projected.append(projected[-1] - demand)
    trigger = next((k for k, level in enumerate(projected) if level < rop), None) if per_day > 0 else None
    qty, when, kind = 0.0, None, None
    if trigger is not None:
        order_up_to = rop + per_day * policy.review_period_days
        qty = float(max(math.ceil(order_up_to - projected[trigger] - 1e-9), 0))
        if qty > 0:
            when, kind = as_of + timedelta(days=max(trigger, 1)), replenishment
        else:
            qty = 0.0
    if per_day > 0:
        overstock = atp - ss > per_day * policy.max_cover_days
    else:
        overstock = atp > 0 and not sold_recently
    note = None
    if overstock and qty > 0:
        note = (
            f"lead time {int(lead_time_days)} d + {horizon} d horizon exceed the "
            f"{policy.max_cover_days:.0f}-day overstock limit: stock falls below the reorder point "
            "before a later order could arrive"
        )
    elif per_day == 0 and sold_recently:
        note = f"no forecast demand although it sold in the last {RECENT_DAYS} days: check the forecast"
    elif per_day == 0:
        note = "no demand expected"
    return {
        "on_hand": float(on_hand),
        "reserved": float(reserved),
        "inbound": float(inbound),
        "atp": float(atp),
        "forecast_daily_demand": per_day,
        "forecast_28d": total,
        "error_std_daily": float(error_std_daily),
        "lead_time_days": int(lead_time_days),
        "replenishment": replenishment,
        "service_level": float(policy.service_level),
        "safety_stock": ss,
        "reorder_point": rop,
        "days_of_cover": None if math.isinf(cover) else cover,
        "stockout_date": stockout,
        "is_stockout_risk": stockout is not None,
        "is_overstock": bool(overstock),
        "proposal_qty": qty,
        "proposal_date": when,
        "proposal_type": kind,
        "shortage": max(0.0, -float(atp)),
        "note": note,
    }


def policy_for(policies: dict[str, Policy], category: str | None) -> Policy:
    """The category's own policy row, else the ``default`` row, else the built-in defaults."""
    return policies.get(category or "", policies.get("default", Policy()))


def policy_dict(policy: Policy) -> dict:
    return asdict(policy)


def warehouse_shares(outbound, stock):
    """Share of each warehouse in a SKU's demand.

    ``outbound``: sku, warehouse_code, quantity — units that left each warehouse to customers (shipments and
    till sales) over the history. ``stock``: sku, warehouse_code, on_hand — the newest snapshot (every
    warehouse that stocks the SKU). Share = the warehouse's outbound units ÷ the SKU's outbound units;
    a SKU that never left any warehouse is split by its stock on hand, and equally when it has none.
    """
    import pandas as pd

    keys = stock[["sku", "warehouse_code"]].drop_duplicates()
    out = keys.merge(
        outbound.groupby(["sku", "warehouse_code"], as_index=False)["quantity"].sum(),
        on=["sku", "warehouse_code"],
        how="left",
    ).merge(
        stock.groupby(["sku", "warehouse_code"], as_index=False)["on_hand"].sum(),
        on=["sku", "warehouse_code"],
    )
    out["quantity"] = out["quantity"].fillna(0.0).clip(lower=0.0)
    out["on_hand"] = out["on_hand"].fillna(0.0).clip(lower=0.0)
    by_out = out.groupby("sku")["quantity"].transform("sum")
    by_stock = out.groupby("sku")["on_hand"].transform("sum")
    n = out.groupby("sku")["sku"].transform("size")
    out["share"] = (out["quantity"] / by_out).where(by_out > 0)
    out["share"] = out["share"].fillna((out["on_hand"] / by_stock).where(by_stock > 0))
    out["share"] = out["share"].fillna(1.0 / n)
    return pd.DataFrame(out[["sku", "warehouse_code", "share"]])


def combined_error_std(stds) -> float:
    """σ of a sum of independent series' errors: √(Σ σᵢ²) (a SKU's channels)."""
    return math.sqrt(sum(float(s) ** 2 for s in stds))


def build_plan(
    snapshot: pd.DataFrame,
    products: pd.DataFrame,
    outbound: pd.DataFrame,
    daily_forecast: pd.DataFrame,
    error: pd.DataFrame,
    policies: pd.DataFrame,
    as_of: date,
) -> pd.DataFrame:
    """One plan row per active SKU × warehouse of the newest snapshot (docs/forecasting.md).

    SKU demand per day = Σ channels' daily forecast; a warehouse gets its share
    (``warehouse_shares``) of the demand and of the error σ; σ of a SKU = √(Σ channel σ²). ``outbound``
    may carry ``recent_quantity`` (units out in the last ``RECENT_DAYS``; absent: none).
    """
    active = products[products["is_active"].astype(bool)].set_index("sku")
    stock = snapshot[snapshot["sku"].isin(active.index)]
    shares = warehouse_shares(outbound, stock.rename(columns={"on_hand_qty": "on_hand"}))
    share = shares.set_index(["sku", "warehouse_code"])["share"]
    recent = (
        outbound.groupby(["sku", "warehouse_code"])["recent_quantity"].sum()
        if "recent_quantity" in outbound
        else pd.Series(dtype=float)
    )
    days = pd.date_range(pd.Timestamp(as_of) + pd.Timedelta(days=1), periods=HORIZON_DAYS, freq="D")
    per_sku = (
        daily_forecast.assign(ds=pd.to_datetime(daily_forecast["ds"]))
        .groupby(["sku", "ds"])["yhat"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(columns=days, fill_value=0.0)
    )
    sigma = error.groupby("sku")["error_std_daily"].apply(combined_error_std)
    policy_rows = {
        r.product_category: Policy(
            float(r.service_level), float(r.max_cover_days), float(r.review_period_days)
        )
        for r in policies.itertuples(index=False)
    }
    rows = []
    for r in stock.itertuples(index=False):
        product = active.loc[r.sku]
        w = float(share.get((r.sku, r.warehouse_code), 0.0))
        demand = per_sku.loc[r.sku].to_numpy() * w if r.sku in per_sku.index else np.zeros(len(days))
        made = bool(product["is_made_in_house"])
        lead = product["manufacturing_lead_time_days"] if made else product["vendor_lead_time_days"]
        row = plan(
            on_hand=float(r.on_hand_qty),
            reserved=float(r.reserved_qty),
            inbound=float(r.in_transit_qty),
            daily_forecast=[float(x) for x in demand],
            error_std_daily=w * float(sigma.get(r.sku, 0.0)),
            lead_time_days=int(lead or 0),
            replenishment="production" if made else "purchase",
            as_of=as_of,
            policy=policy_for(policy_rows, product["product_category"]),
            sold_recently=float(recent.get((r.sku, r.warehouse_code), 0.0)) > 0,
        )
        rows.append(
            {
                "as_of": as_of,
                "warehouse_code": r.warehouse_code,
                "sku": r.sku,
                "product_name": product["product_name"],
                "product_category": product["product_category"],
                **row,
            }
        )
    return pd.DataFrame(rows, columns=list(INVENTORY_PLAN))
