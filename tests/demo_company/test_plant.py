"""The plant the demo company writes for a production scheduler, checked from the files it writes
(docs/data_sources.md): routings and eligible machines, the shift calendar ahead of the snapshot, planned
downtime, the MES events around it, the dispatch plan, material consumption and the open orders.

Most checks run on the test company (tests/conftest.py's scale and seed); one generates the default
company at scale 1 (a few seconds) and checks what a scheduler needs there.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo_company.generate import DEFAULT_AS_OF
from tests.conftest import TEST_SCALE, TEST_SEED

PLAN_AHEAD_DAYS = 42
BREAK = (pd.Timedelta(hours=4), pd.Timedelta(hours=4, minutes=30))
# component kind → work centers that may consume it (the first one in the product's route does)
CONSUMED_AT = {
    "FAB": ("CUT",),
    "THR": ("SEW",),
    "BTN": ("SEW",),
    "ZIP": ("SEW",),
    "LABEL": ("SEW",),
    "POLYBAG": ("PKG",),
    "PCBA": ("SMT", "ASM"),
    "HSG": ("ASM",),
    "BAT": ("ASM",),
    "BOX": ("PKG",),
    "MANUAL": ("PKG",),
}


def read(landing: Path, pattern: str) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(landing.glob(pattern))]
    assert frames, f"no file matches {pattern}"
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def landing(demo_company_files) -> Path:
    return demo_company_files(TEST_SCALE, TEST_SEED)


@pytest.fixture(scope="module")
def operations(landing) -> pd.DataFrame:
    """Production order x routing operation: Reference, Product, Sequence, Work Center, Eligible Machines."""
    orders = read(landing, "erp/production_orders.csv")
    routings = read(landing, "erp/routings.csv")
    return orders.merge(routings, on="Product")


def with_operation(frame: pd.DataFrame, operations: pd.DataFrame) -> pd.DataFrame:
    """Rows referencing (production_order, operation_seq), with the operation's routing columns."""
    out = frame.merge(
        operations,
        left_on=["production_order", "operation_seq"],
        right_on=["Reference", "Sequence"],
        how="left",
        validate="many_to_one",
    )
    assert out["Reference"].notna().all(), "rows referencing an unknown production order or operation"
    return out


def test_routings_have_four_to_eight_operations_on_machines_of_their_work_center(landing):
    routings = read(landing, "erp/routings.csv")
    machines = read(landing, "erp/machines.csv")
    centers = read(landing, "erp/work_centers.csv")
    products = read(landing, "erp/products.csv")

    made = set(products.loc[products["Route"] == "Manufacture", "Internal Reference"])
    assert set(routings["Product"]) == made
    sequences = routings.assign(seq=routings["Sequence"].astype(int)).groupby("Product")["seq"]
    assert sequences.size().between(4, 8).all()
    assert sequences.apply(lambda s: s.is_monotonic_increasing and s.is_unique).all()
    assert 10 <= len(machines) <= 20 and machines["Machine"].is_unique
    assert set(machines["Work Center"]) == set(centers["Code"]) == set(routings["Work Center"])
    assert (centers["Owner"].str.len() > 0).all()
    setup = routings["Setup Time (min)"].astype(float)
    per_unit = routings["Time per Unit (min)"].astype(float)
    assert setup.between(5, 90).all() and per_unit.between(0.5, 90).all()

    center_of = dict(zip(machines["Machine"], machines["Work Center"], strict=True))
    restricted = routings[routings["Eligible Machines"] != ""]
    assert 0 < len(restricted) < 0.25 * len(routings)
    for wc, eligible in zip(restricted["Work Center"], restricted["Eligible Machines"], strict=True):
        ids = eligible.split(";")
        assert ids and all(center_of.get(m) == wc for m in ids), (wc, eligible)
        assert len(ids) < sum(1 for c in center_of.values() if c == wc)


def test_the_mes_and_the_dispatch_plan_use_only_eligible_machines(landing, operations):
    machines = read(landing, "erp/machines.csv")
    center_of = dict(zip(machines["Machine"], machines["Work Center"], strict=True))
    for pattern in ("mes/production_counts_*.csv", "mes/dispatch_plan_*.csv"):
        rows = with_operation(read(landing, pattern), operations)
        assert (rows["machine_id"].map(center_of) == rows["Work Center"]).all(), pattern
        allowed = [
            e == "" or m in e.split(";")
            for m, e in zip(rows["machine_id"], rows["Eligible Machines"], strict=True)
        ]
        assert all(allowed), pattern
        assert (rows["Eligible Machines"] != "").any(), pattern


def test_shift_calendar_reaches_42_days_past_the_snapshot_per_machine(landing):
    calendar = read(landing, "erp/shift_calendar.csv")
    machines = read(landing, "erp/machines.csv")
    day = pd.to_datetime(calendar["Date"])
    snapshot = pd.Timestamp(DEFAULT_AS_OF)
    assert day.max() == snapshot + pd.Timedelta(days=PLAN_AHEAD_DAYS)
    assert (day.dt.weekday != 6).all()  # no Sunday shifts
    ahead = calendar[day >= snapshot]
    assert set(ahead["Machine"]) == set(machines["Machine"])
    assert (
        pd.to_datetime(calendar["End"]) - pd.to_datetime(calendar["Start"]) == pd.Timedelta(hours=8)
    ).all()
    shifts = calendar.groupby("Machine")["Shift"].agg(set)
    assert shifts["SEW-05"] == {"A"} and shifts["SEW-01"] == {"A", "B"}
    saturday = calendar[day.dt.weekday == 5].groupby("Machine")["Shift"].agg(set)
    assert saturday["PRT-01"] == saturday["TST-01"] == {"A"} and saturday["CUT-01"] == {"A", "B"}
    assert calendar.duplicated(["Date", "Machine", "Shift"]).sum() == 0


def test_planned_downtime_is_about_monthly_inside_the_machines_shifts(landing):
    downtime = read(landing, "erp/machine_downtime.csv")
    calendar = read(landing, "erp/shift_calendar.csv")
    assert list(downtime.columns) == ["Machine", "Start", "End", "Reason"]
    start, end = pd.to_datetime(downtime["Start"]), pd.to_datetime(downtime["End"])
    hours = (end - start) / pd.Timedelta(hours=1)
    assert hours.between(2, 8).all()
    assert set(downtime["Reason"]) == {"Preventive maintenance", "Calibration"}
    per_machine = downtime.groupby("Machine").size()
    assert set(per_machine.index) == set(calendar["Machine"])
    assert per_machine.between(11, 16).all(), per_machine.to_dict()  # 13 months and 6 weeks
    snapshot = pd.Timestamp(DEFAULT_AS_OF)
    assert (start >= snapshot).sum() >= len(per_machine) * 0.8  # planned ahead too
    # Every window lies inside the machine's own shifts of one day (shifts A and B touch at 14:00).
    cal_start, cal_end = pd.to_datetime(calendar["Start"]), pd.to_datetime(calendar["End"])
    for machine, s, e in zip(downtime["Machine"], start, end, strict=True):
        own = (calendar["Machine"] == machine) & (cal_start < e) & (cal_end > s)
        covered = (cal_end[own].clip(upper=e) - cal_start[own].clip(lower=s)).sum()
        assert covered == e - s, (machine, s, e)


def test_past_shifts_are_tiled_and_planned_downtime_shows_as_pm(landing):
    calendar = read(landing, "erp/shift_calendar.csv")
    events = read(landing, "mes/machine_events_*.csv")
    downtime = read(landing, "erp/machine_downtime.csv")
    snapshot = pd.Timestamp(DEFAULT_AS_OF)
    calendar = calendar[pd.to_datetime(calendar["Date"]) < snapshot]
    events["start"], events["end"] = pd.to_datetime(events["started_at"]), pd.to_datetime(events["ended_at"])
    assert events["end"].max() <= snapshot

    # Per machine, the events cover exactly its past calendar shifts (8 h each), in no other shift.
    seconds = (events["end"] - events["start"]).dt.total_seconds()
    assert (seconds > 0).all()
    shift_of = events["started_at"].str[:10] + "|" + events["machine_id"]
    shift_of += "|" + np.where(events["start"].dt.hour < 14, "A", "B")
    planned = calendar["Date"] + "|" + calendar["Machine"] + "|" + calendar["Shift"]
    assert set(shift_of) == set(planned)
    assert (seconds.groupby(shift_of).sum() == 8 * 3600).all()

    # Past downtime inside the shifts is planned_stop PM (or the break it spans), and PM is nothing else.
    past = downtime[pd.to_datetime(downtime["Start"]) < snapshot]
    stops = events[events["state"] == "planned_stop"]
    pm = events[events["reason_code"] == "PM"]
    assert len(pm) > 0 and (pm["state"] == "planned_stop").all()
    expected_pm = 0.0
    for machine, a, b in zip(
        past["Machine"], pd.to_datetime(past["Start"]), pd.to_datetime(past["End"]), strict=True
    ):
        mine = stops[(stops["machine_id"] == machine) & (stops["start"] < b) & (stops["end"] > a)]
        inside = (mine["end"].clip(upper=b) - mine["start"].clip(lower=a)).dt.total_seconds()
        assert inside.sum() == (b - a).total_seconds(), (machine, a)
        assert set(mine["reason_code"]) <= {"PM", "BREAK"}
        expected_pm += inside[mine["reason_code"] == "PM"].sum()
    assert ((pm["end"] - pm["start"]).dt.total_seconds().sum()) == expected_pm
    breaks = events[events["reason_code"] == "BREAK"]
    assert len(breaks) == len(calendar)
    assert ((breaks["end"] - breaks["start"]) == pd.Timedelta(minutes=30)).all()


def test_dispatch_plan_covers_the_history_and_references_real_work(landing, operations):
    plan = read(landing, "mes/dispatch_plan_*.csv")
    calendar = read(landing, "erp/shift_calendar.csv")
    assert list(plan.columns) == [
        "shift_date",
        "shift",
        "machine_id",
        "production_order",
        "operation_seq",
        "planned_qty",
    ]
    rows = with_operation(plan, operations)
    assert (rows["planned_qty"].astype(int) > 0).all()
    assert not plan.duplicated(
        ["shift_date", "shift", "machine_id", "production_order", "operation_seq"]
    ).any()
    keys = set(zip(calendar["Date"], calendar["Shift"], calendar["Machine"], strict=True))
    assert all(k in keys for k in zip(plan["shift_date"], plan["shift"], plan["machine_id"], strict=True))
    last_worked = calendar.loc[pd.to_datetime(calendar["Date"]) < pd.Timestamp(DEFAULT_AS_OF), "Date"].max()
    assert plan["shift_date"].max() == last_worked
    assert plan["shift_date"].min() < "2026-01-01"


def test_actual_falls_short_of_the_plan_for_reasons_the_events_show(landing):
    plan = read(landing, "mes/dispatch_plan_*.csv")
    counts = read(landing, "mes/production_counts_*.csv")
    events = read(landing, "mes/machine_events_*.csv")
    key = ["shift_date", "shift", "machine_id"]
    events["shift_date"] = events["started_at"].str[:10]
    events["shift"] = np.where(pd.to_datetime(events["started_at"]).dt.hour < 14, "A", "B")
    lost = events["state"].eq("breakdown") | events["reason_code"].eq("WAIT-MATERIAL")
    disturbed = lost.groupby([events[k] for k in key]).any().rename("disturbed")
    planned = plan.assign(q=plan["planned_qty"].astype(int)).groupby(key)["q"].sum().rename("planned")
    actual = counts.assign(q=counts["total_count"].astype(int)).groupby(key)["q"].sum().rename("actual")
    shifts = pd.concat([planned, actual], axis=1).fillna(0).join(disturbed)
    shifts = shifts[shifts["planned"] > 0]
    ratio = shifts["actual"] / shifts["planned"]
    calm, hit = ratio[~shifts["disturbed"]], ratio[shifts["disturbed"]]
    assert len(calm) > 20 and len(hit) > 20
    assert 0.95 <= calm.median() <= 1.05
    assert hit.mean() < calm.mean() - 0.05
    # Planned operations that did not run at all in their shift exist, and scrap shows as good < total.
    op_key = [*key, "production_order", "operation_seq"]
    ran = plan.merge(counts, on=op_key, how="left")
    assert ran["total_count"].isna().any()
    assert (counts["good_count"].astype(int) < counts["total_count"].astype(int)).any()


def test_material_consumption_is_bom_times_total_at_the_consuming_operation(landing, operations):
    used = read(landing, "mes/material_consumption_*.csv")
    counts = read(landing, "mes/production_counts_*.csv")
    bom = read(landing, "erp/bom.csv")
    assert list(used.columns) == [
        "shift_date",
        "shift",
        "machine_id",
        "production_order",
        "operation_seq",
        "component",
        "quantity",
        "unit_of_measure",
    ]
    rows = with_operation(used, operations)
    per_unit = dict(
        zip(zip(bom["Product"], bom["Component"], strict=True), bom["Quantity"].astype(float), strict=True)
    )
    uom = dict(zip(zip(bom["Product"], bom["Component"], strict=True), bom["Unit of Measure"], strict=True))
    pairs = list(zip(rows["Product"], rows["component"], strict=True))
    assert all(p in per_unit for p in pairs), "a component not in the product's BOM"
    assert [uom[p] for p in pairs] == rows["unit_of_measure"].tolist()

    # Booked at the first operation of the route whose work center consumes that kind of component.
    route = operations.drop_duplicates(["Product", "Sequence"]).groupby("Product")["Work Center"].agg(list)
    kind = rows["component"].str.split("-").str[1]
    expected = [
        next(wc for wc in CONSUMED_AT[k] if wc in route[p])
        for k, p in zip(kind, rows["Product"], strict=True)
    ]
    assert rows["Work Center"].tolist() == expected
    # Every BOM line of every counted operation that consumes it is booked once.
    key = ["shift_date", "shift", "machine_id", "production_order", "operation_seq"]
    assert not used.duplicated([*key, "component"]).any()
    total = rows.merge(counts, on=key, how="left", validate="many_to_one")["total_count"].astype(float)
    standard = np.array([per_unit[p] for p in pairs]) * total.to_numpy()
    quantity = rows["quantity"].astype(float).to_numpy()
    slack = np.where(rows["unit_of_measure"] == "m", 0.005, 0.5)  # rounding to cents / whole units
    assert (quantity >= 0.8 * standard - slack).all() and (quantity <= 1.25 * standard + slack).all()
    ratio = quantity / standard
    assert ((ratio >= 0.999) & (quantity <= 1.04 * standard + slack)).mean() > 0.9  # 0–4 % waste
    assert (ratio > 1.09).any()  # clear over-consumption events
    fabric_ops = set(
        zip(
            rows.loc[kind == "FAB", "production_order"], rows.loc[kind == "FAB", "operation_seq"], strict=True
        )
    )
    cut = operations[operations["Work Center"] == "CUT"]
    counted_cuts = counts.merge(
        cut, left_on=["production_order", "operation_seq"], right_on=["Reference", "Sequence"]
    )
    assert (
        set(zip(counted_cuts["production_order"], counted_cuts["operation_seq"], strict=True)) == fabric_ops
    )


def test_open_orders_at_the_snapshot(landing):
    figures = plant_figures(landing, DEFAULT_AS_OF)
    assert figures["open_orders"] >= 5
    assert set(figures["ops_per_open_order"]) <= set(range(4, 9))
    assert figures["latest_due_days"] <= 36


@pytest.fixture(scope="module")
def full_scale(demo_company_files) -> Path:
    return demo_company_files()  # scale 1, the default seed


def test_at_scale_one_the_plant_is_loaded_for_a_scheduler(full_scale):
    figures = plant_figures(full_scale, DEFAULT_AS_OF)
    assert figures["open_orders"] >= 100
    assert set(figures["ops_per_open_order"]) <= set(range(4, 9))
    assert 10 <= figures["machines"] <= 20
    assert figures["due_within_3_days_unfinished"] >= 5 and figures["past_due"] > 0
    assert {"A", "B", "C"} <= set(figures["tiers"])
    assert figures["latest_due_days"] <= 36 and figures["due_in_weeks_2_to_5"] >= 30
    busiest = max(figures["load_vs_capacity_21_days"].values())
    assert 0.85 <= busiest <= 1.1, figures["load_vs_capacity_21_days"]


def plant_figures(landing: Path, as_of: date) -> dict:
    """What a scheduler sees at the snapshot, from the files: open orders (confirmed / progress), their
    operations, and the standard minutes still to do per work center against the calendar's available
    minutes (shift minus break minus planned downtime) over the next 14 and 21 days."""
    orders = read(landing, "erp/production_orders.csv")
    routings = read(landing, "erp/routings.csv")
    machines = read(landing, "erp/machines.csv")
    calendar = read(landing, "erp/shift_calendar.csv")
    downtime = read(landing, "erp/machine_downtime.csv")
    counts = read(landing, "mes/production_counts_*.csv")
    snapshot = pd.Timestamp(as_of)

    open_ = orders[orders["State"].isin(["confirmed", "progress"])]
    due_days = (pd.to_datetime(open_["Deadline"]) - snapshot) / pd.Timedelta(days=1)
    ops = open_.merge(routings, on="Product")
    done = counts.assign(good=counts["good_count"].astype(int), total=counts["total_count"].astype(int))
    done = done.groupby(["production_order", "operation_seq"])[["good", "total"]].sum()
    done = done.reindex(list(zip(ops["Reference"], ops["Sequence"], strict=True))).fillna(0)
    remaining = (ops["Quantity To Produce"].astype(int).to_numpy() - done["good"].to_numpy()).clip(0)
    setup = np.where(done["total"].to_numpy() > 0, 0.0, ops["Setup Time (min)"].astype(float))
    ops["minutes"] = setup + remaining * ops["Time per Unit (min)"].astype(float)
    unfinished = set(ops.loc[remaining > 0, "Reference"])

    center_of = dict(zip(machines["Machine"], machines["Work Center"], strict=True))
    start, end = pd.to_datetime(calendar["Start"]), pd.to_datetime(calendar["End"])
    available = (end - start).dt.total_seconds() / 60 - calendar["Planned Break (min)"].astype(float)
    for machine, a, b in zip(
        downtime["Machine"], pd.to_datetime(downtime["Start"]), pd.to_datetime(downtime["End"]), strict=True
    ):
        hit = (calendar["Machine"] == machine) & (start < b) & (end > a)
        overlap = (end[hit].clip(upper=b) - start[hit].clip(lower=a)).dt.total_seconds() / 60
        brk_a, brk_b = start[hit] + BREAK[0], start[hit] + BREAK[1]
        in_break = (brk_b.clip(upper=b) - brk_a.clip(lower=a)).dt.total_seconds().clip(lower=0) / 60
        available[hit] -= overlap - in_break
    load = ops.groupby("Work Center")["minutes"].sum()
    ratios = {}
    for days in (14, 21):
        ahead = (start >= snapshot) & (start < snapshot + pd.Timedelta(days=days))
        capacity = available[ahead].groupby(calendar.loc[ahead, "Machine"].map(center_of)).sum()
        ratios[days] = {wc: round(float(load.get(wc, 0.0) / capacity[wc]), 2) for wc in capacity.index}
    due_soon = open_[(due_days <= 3) & open_["Reference"].isin(unfinished)]
    return {
        "open_orders": len(open_),
        "states": orders["State"].value_counts().to_dict(),
        "ops_per_open_order": dict(sorted(Counter(ops.groupby("Reference").size()).items())),
        "machines": len(machines),
        "work_centers": machines["Work Center"].nunique(),
        "due_within_3_days_unfinished": len(due_soon),
        "past_due": int((due_days < 0).sum()),
        "due_in_weeks_2_to_5": int(due_days.between(7, 35).sum()),
        "latest_due_days": float(due_days.max()),
        "tiers": open_["Customer Tier"].value_counts().to_dict(),
        "load_vs_capacity_14_days": ratios[14],
        "load_vs_capacity_21_days": ratios[21],
    }


def test_the_plant_takes_make_to_order_work_up_to_a_company_mto_scale_cap_times_the_demo():
    """Above MTO_SCALE_CAP x the demo the plant keeps its size: only a share cap / scale of the bulk
    orders of plant-made SKUs is made to order (picked by order, not by a random draw); below it, all."""
    from demo_company.catalog import build_catalog
    from demo_company.demand import MTO_MIN_QTY, MTO_SCALE_CAP, made_to_order

    catalog = build_catalog(TEST_SEED)
    make = int(np.flatnonzero(catalog.products["make"].to_numpy())[0])
    n = 100_000
    sku, qty, b2b = np.full(n, make), np.full(n, MTO_MIN_QTY), np.ones(n, bool)
    order = np.arange(n) // 2  # two lines per order
    assert made_to_order(catalog, sku, qty, b2b, order, scale=MTO_SCALE_CAP).all()
    capped = made_to_order(catalog, sku, qty, b2b, order, scale=10 * MTO_SCALE_CAP)
    assert capped.mean() == pytest.approx(0.1, abs=0.01)
    assert (capped[0::2] == capped[1::2]).all()  # an order's lines go to the plant together
    assert not made_to_order(catalog, sku, qty - 1, b2b, order, scale=10 * MTO_SCALE_CAP).any()
