"""Capable-to-promise (CTP): the earliest date a quantity of a SKU can ship, from stock or from production.

The rule (docs/inventory.md, "The promise rule"):

1. **Stock.** Per warehouse and day d of the ATP horizon (``planning.promise_atp``), q units can ship on
   d when ATP(d′) ≥ q for every d′ ≥ d of the horizon: promising them then takes nothing that a later
   day needs. The answer is the earliest such day over the allowed warehouses (a tie: the warehouse with
   the most ATP that day, then by name).
2. **Production**, when no warehouse covers q within the horizon and the SKU has a routing: a
   make-to-order job of the shortfall q − s (s = the most any warehouse can give for good, ATP's minimum
   over the horizon, at least 0) is inserted into the current plan with the rush what-if's machinery in
   fast mode: the plan as it stands, the frozen window kept (the job is released after it), and the job
   fitted into the first free gaps of its machines (``scheduling.rush.fit_in``), no CP-SAT re-solve, so
   no order already planned moves and every promise already made holds. Ship date = the day (company
   time) of the job's planned completion.
3. Otherwise nothing can be promised, and the answer says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from scheduling.rush import fit_in
from scheduling.whatif import rush_inputs

PLAN_TABLES = ("plan_problem", "plan_blocked", "plan_calendar", "schedule")
FROZEN_MINUTES = 480  # one shift's net plant time, as the rush what-if keeps


@dataclass
class Promise:
    """The answer: ``source`` is 'stock', 'production' or 'none'."""

    sku: str
    quantity: int
    source: str
    ship_date: date | None
    warehouse: str | None
    reason: str
    channel: str | None = None
    as_of: date | None = None
    from_stock: int = 0
    to_make: int = 0
    planned_completion: datetime | None = None
    atp_on_ship_date: float | None = None
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def earliest_from_stock(atp: pd.DataFrame, quantity: float) -> tuple[str, date, float] | None:
    """(warehouse, day, ATP that day) of the earliest day from which ATP stays ≥ ``quantity`` to the end
    of the horizon; ``atp``: warehouse_id, date, atp. None when no warehouse covers it."""
    best = None
    for warehouse, rows in atp.sort_values(["warehouse_id", "date"]).groupby("warehouse_id", sort=True):
        levels = rows["atp"].to_numpy(dtype=float)
        dates = rows["date"].tolist()
        ok = None
        lowest_after = float("inf")
        for i in range(len(levels) - 1, -1, -1):
            lowest_after = min(lowest_after, levels[i])
            if lowest_after >= quantity:
                ok = i
            else:
                break
        if ok is None:
            continue
        candidate = (dates[ok], -levels[ok], str(warehouse))
        if best is None or candidate < best:
            best = candidate
    if best is None:
        return None
    day, minus_atp, warehouse = best
    return warehouse, day, -minus_atp


def stock_for_good(atp: pd.DataFrame) -> tuple[str | None, float]:
    """(warehouse, units) the most any one warehouse can give without taking from a later day:
    max over warehouses of min(ATP over the horizon), at least 0."""
    if atp.empty:
        return None, 0.0
    lows = atp.groupby("warehouse_id")["atp"].min().clip(lower=0.0)
    warehouse = lows.sort_index().idxmax()
    return str(warehouse), float(lows[warehouse])


def earliest_from_production(
    tables: dict[str, pd.DataFrame],
    routing: pd.DataFrame,
    quantity: int,
    efficiency: dict[str, float] | None = None,
    frozen_minutes: int = FROZEN_MINUTES,
    method: str = "cpsat",
) -> tuple[pd.Timestamp, dict]:
    """Planned completion (UTC, naive) of a make-to-order job of ``quantity`` units fitted into the stored
    ``method`` plan (rule 2 of the module docstring), and what it used (plant minutes, operations)."""
    problem, current, job, calendar = rush_inputs(
        tables, routing, quantity, calendar_origin(tables), efficiency=efficiency, method=method,
        order_id="PROMISE",
    )  # fmt: skip
    job = replace(job, release=max(job.release, int(frozen_minutes)))
    placed = fit_in(problem.with_orders((*problem.orders, job)), current.assignments, job)
    ops = [placed[op.key] for op in job.ops]
    finish = max(a.end for a in ops)
    completion = calendar.to_clock(int(finish), end=True)
    detail = {
        "completion_minute": int(finish),
        "operations": [
            {"seq": op.seq, "machine": a.machine, "start_minute": a.start, "end_minute": a.end}
            for op, a in zip(job.ops, ops, strict=True)
        ],
    }
    return pd.Timestamp(completion), detail


def calendar_origin(tables: dict[str, pd.DataFrame]) -> pd.Timestamp:
    return pd.Timestamp(tables["plan_calendar"]["origin"].iloc[0])


def to_company_date(moment: pd.Timestamp, zone: str) -> date:
    """The company-time day of a naive UTC moment."""
    return pd.Timestamp(moment).tz_localize("UTC").tz_convert(zone).date()


def decide(
    sku: str,
    quantity: int,
    atp: pd.DataFrame,
    production=None,
    channel: str | None = None,
) -> Promise:
    """The promise (module docstring). ``production``: None when the SKU is not made in house, else a
    callable ``units → (ship date, planned completion, detail)`` that runs rule 2 for that many units."""
    if quantity <= 0:
        raise ValueError(f"quantity {quantity}: must be at least 1")
    as_of = min(atp["date"]) if len(atp) else None
    base = {"sku": sku, "quantity": int(quantity), "channel": channel, "as_of": as_of}
    found = earliest_from_stock(atp, quantity)
    if found is not None:
        warehouse, day, level = found
        return Promise(
            **base,
            source="stock",
            ship_date=day,
            warehouse=warehouse,
            from_stock=int(quantity),
            atp_on_ship_date=level,
            reason=f"ATP in {warehouse} stays at or above {quantity} from {day:%Y-%m-%d} to the end of "
            f"the {atp['date'].nunique()}-day horizon",
        )
    warehouse, good = stock_for_good(atp)
    from_stock = int(min(good, quantity))
    if production is None:
        return Promise(
            **base,
            source="none",
            ship_date=None,
            warehouse=warehouse,
            reason=f"no warehouse covers {quantity} units within the horizon (at most {from_stock} for "
            "good) and the SKU is not made in house",
        )
    to_make = int(quantity) - from_stock
    ship_date, completion, detail = production(to_make)
    stock_part = f"{from_stock} from stock in {warehouse} and " if from_stock else ""
    return Promise(
        **base,
        source="production",
        ship_date=ship_date,
        warehouse=warehouse if from_stock else None,
        from_stock=from_stock,
        to_make=to_make,
        planned_completion=completion.to_pydatetime(),
        detail=detail,
        reason=f"stock does not cover {quantity} units within the horizon: {stock_part}{to_make} made to "
        f"order, fitted into the current plan's free capacity (no planned order moves), complete "
        f"{completion:%Y-%m-%d %H:%M} UTC",
    )


def line_ship_date(
    atp: pd.DataFrame, need: float, completion_date: date | None = None
) -> tuple[date | None, str, str | None]:
    """Expected ship date of one open order line (docs/inventory.md, "Expected ship date"): (date,
    source, warehouse). A line its production order makes ships on that order's planned completion day
    (``completion_date``); any other from stock on the first day from which ATP stays ≥ ``need`` (0 for
    a confirmed line, whose demand ATP already holds; its quantity for a pending one). No such day in the
    horizon: (None, 'stock', None), a shortage beyond the horizon."""
    if completion_date is not None:
        return completion_date, "production", None
    found = earliest_from_stock(atp, need)
    if found is None:
        return None, "stock", None
    warehouse, day, _ = found
    return day, "stock", warehouse
