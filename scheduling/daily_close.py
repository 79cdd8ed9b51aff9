"""Daily close (日清日结): each day, planned against actual output, and standard against actual material.

Output, per day × production order × operation:

    variance      = good − planned                      (units; negative = behind plan)
    variance_pct  = variance / planned                  (empty when nothing was planned)
    within tolerance when |variance| ≤ max(tolerance × planned, min_units)   (5 %, 1 unit by default)

Every variance outside tolerance gets a reason, the first that applies, from the day's records of the
machines that ran (or were to run) the operation, and a detail with the numbers:

1. ``not started``: planned, nothing counted;
2. ``unplanned output``: counted, nothing planned;
3. ``scrap``: enough was made (total ≥ planned) but ``total − good`` units were rejected;
4. ``breakdown``: the machines stood still for a breakdown (minutes in the detail);
5. ``waiting for material`` (minutes in the detail);
6. ``ahead of plan`` for a positive variance, else ``slow running`` (no stop explains it).

Material, per day × production order × operation × component:

    standard          = BOM quantity per unit × good count        (what the good output should have used)
    scrap allowance   = BOM quantity per unit × (total − good)     (material in rejected units)
    variance          = actual − standard
    unexplained       = variance − scrap allowance
    flagged when |unexplained| > tolerance × standard

so a variance that the day's scrap accounts for is listed but not flagged, and one it does not explain
is flagged as over- or under-consumption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["output_variances", "material_variances", "TOLERANCE"]

TOLERANCE = 0.05
KEY = ["shift_date", "production_order_id", "operation_seq"]


def _reason(r) -> tuple[str, str]:
    if r.planned_qty > 0 and r.total_count == 0:
        return "not started", f"{int(r.planned_qty)} planned on {r.planned_machines}, nothing counted"
    if r.planned_qty == 0:
        return "unplanned output", f"{int(r.good_count)} good on {r.actual_machines} without a plan"
    if r.variance < 0 and r.total_count >= r.planned_qty and r.scrap > 0:
        return "scrap", f"{int(r.scrap)} of {int(r.total_count)} units rejected"
    if r.variance < 0 and r.breakdown_minutes > 0:
        return "breakdown", f"{r.breakdown_minutes:.0f} min of breakdowns on {r.planned_machines}"
    if r.variance < 0 and r.material_wait_minutes > 0:
        return "waiting for material", f"{r.material_wait_minutes:.0f} min waiting on {r.planned_machines}"
    if r.variance > 0:
        return "ahead of plan", f"{int(r.variance)} units more than planned"
    return "slow running", f"{-int(r.variance)} units short with no stop recorded"


def _machine_lists(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per day, order and operation: its distinct machines, sorted, joined with ``;``. One sort and
    a join per group over plain lists (a Python function per pandas group took seconds)."""
    m = frame.dropna(subset=KEY)[[*KEY, "machine_id"]].drop_duplicates().sort_values([*KEY, "machine_id"])
    first = m[KEY].ne(m[KEY].shift()).any(axis=1).to_numpy()
    starts = np.flatnonzero(first).tolist()
    ids = m["machine_id"].tolist()
    out = m.loc[first, KEY].reset_index(drop=True)
    out[name] = [";".join(ids[a:b]) for a, b in zip(starts, [*starts[1:], len(ids)], strict=True)]
    return out


def output_variances(
    plan: pd.DataFrame,
    actual: pd.DataFrame,
    stops: pd.DataFrame | None = None,
    tolerance: float = TOLERANCE,
    min_units: int = 1,
) -> pd.DataFrame:
    """Planned vs actual output (see the module docstring).

    ``plan``: ``shift_date, production_order_id, operation_seq, machine_id, planned_qty``;
    ``actual``: ``shift_date, production_order_id, operation_seq, machine_id, total_count, good_count``;
    ``stops``: ``shift_date, machine_id, breakdown_minutes, material_wait_minutes`` per machine and day."""
    p = plan.groupby(KEY, as_index=False).agg(planned_qty=("planned_qty", "sum"))
    p = p.merge(_machine_lists(plan, "planned_machines"), on=KEY, how="left")
    a = actual.groupby(KEY, as_index=False).agg(
        total_count=("total_count", "sum"), good_count=("good_count", "sum")
    )
    a = a.merge(_machine_lists(actual, "actual_machines"), on=KEY, how="left")
    out = p.merge(a, on=KEY, how="outer")
    for c in ("planned_qty", "total_count", "good_count"):
        out[c] = out[c].fillna(0).astype("int64")
    out["scrap"] = out["total_count"] - out["good_count"]
    out["variance"] = out["good_count"] - out["planned_qty"]
    out["variance_pct"] = np.where(
        out["planned_qty"] > 0, out["variance"] / out["planned_qty"].clip(lower=1), np.nan
    )

    # Stops on any machine that was to run or ran the operation that day (each machine counted once).
    machines = pd.concat(
        [plan[[*KEY, "machine_id"]], actual[[*KEY, "machine_id"]]], ignore_index=True
    ).drop_duplicates()
    if stops is not None and len(stops):
        s = stops.groupby(["shift_date", "machine_id"], as_index=False)[
            ["breakdown_minutes", "material_wait_minutes"]
        ].sum()
        hit = (
            machines.merge(s, on=["shift_date", "machine_id"])
            .groupby(KEY, as_index=False)[["breakdown_minutes", "material_wait_minutes"]]
            .sum()
        )
        out = out.merge(hit, on=KEY, how="left")
    for c in ("breakdown_minutes", "material_wait_minutes"):
        out[c] = out[c].fillna(0.0) if c in out else 0.0
    allowed = np.maximum(tolerance * out["planned_qty"], min_units)
    out["within_tolerance"] = (out["planned_qty"] > 0) & (out["variance"].abs() <= allowed)
    flags = zip(out["within_tolerance"], out.itertuples(), strict=True)
    reasons = [(None, None) if ok else _reason(r) for ok, r in flags]
    out["reason"] = [r[0] for r in reasons]
    out["reason_detail"] = [r[1] for r in reasons]
    return out.sort_values(KEY).reset_index(drop=True)


def material_variances(
    consumption: pd.DataFrame,
    bom: pd.DataFrame,
    output: pd.DataFrame,
    order_sku: pd.DataFrame,
    tolerance: float = TOLERANCE,
) -> pd.DataFrame:
    """Standard vs actual material (see the module docstring).

    ``consumption``: ``shift_date, production_order_id, operation_seq, component, quantity``;
    ``bom``: ``sku, component, quantity_per_unit``; ``output``: ``shift_date, production_order_id,
    operation_seq, total_count, good_count``; ``order_sku``: ``production_order_id, sku``."""
    key = [*KEY, "component"]
    act = (
        consumption.groupby(key, as_index=False)["quantity"].sum().rename(columns={"quantity": "actual_qty"})
    )
    out_day = output.groupby(KEY, as_index=False)[["total_count", "good_count"]].sum()
    m = act.merge(out_day, on=KEY, how="left").merge(order_sku, on="production_order_id", how="left")
    m = m.merge(bom, on=["sku", "component"], how="left")
    m[["total_count", "good_count"]] = m[["total_count", "good_count"]].fillna(0)
    per_unit = m["quantity_per_unit"].fillna(0.0)
    m["standard_qty"] = per_unit * m["good_count"]
    m["scrap_allowance"] = per_unit * (m["total_count"] - m["good_count"])
    m["variance"] = m["actual_qty"] - m["standard_qty"]
    m["unexplained"] = m["variance"] - m["scrap_allowance"]
    m["variance_pct"] = np.where(
        m["standard_qty"] > 0, m["variance"] / m["standard_qty"].where(m["standard_qty"] > 0), np.nan
    )
    in_bom = m["quantity_per_unit"].notna()
    flagged = ~in_bom | (m["unexplained"].abs() > tolerance * m["standard_qty"])
    m["flagged"] = flagged
    m["reason"] = np.select(
        [
            ~in_bom,
            flagged & (m["unexplained"] > 0),
            flagged & (m["unexplained"] < 0),
            m["scrap_allowance"] > 0,
        ],
        ["component not in the BOM", "over-consumption", "under-booked consumption", "scrap"],
        default="",
    )
    m["reason"] = m["reason"].replace("", None)
    return m.drop(columns=["quantity_per_unit"]).sort_values(key).reset_index(drop=True)
