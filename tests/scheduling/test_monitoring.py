"""T-3 warnings on hand-made dates and the daily close on hand-made numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling.daily_close import material_variances, output_variances
from scheduling.t3 import escalation, t3_candidates, update_warnings

AS_OF = pd.Timestamp("2026-11-23 08:00")


def _ops(rows):
    cols = [
        "production_order_id",
        "sku",
        "customer_tier",
        "due_at",
        "operation_seq",
        "operation_name",
        "work_center",
        "owner",
        "operation_status",
        "machine_id",
        "planned_completion",
    ]
    return pd.DataFrame(rows, columns=cols)


OPS = _ops(
    [
        # due in 2 days 10 h, op 10 done, op 20 in progress -> T-3, blocking op 20 on SEW-02
        ("MO/1", "SKU1", "A", "2026-11-25 18:00", 10, "Cutting", "CUT", "Zhao", "done", "CUT-01", None),
        (
            "MO/1",
            "SKU1",
            "A",
            "2026-11-25 18:00",
            20,
            "Sewing",
            "SEW",
            "Wu",
            "in_progress",
            "SEW-02",
            "2026-11-26 10:00",
        ),
        (
            "MO/1",
            "SKU1",
            "A",
            "2026-11-25 18:00",
            30,
            "Packing",
            "PKG",
            "Ma",
            "not_started",
            "PKG-01",
            "2026-11-26 10:00",
        ),
        # due in exactly 3 days: inside the rule
        (
            "MO/2",
            "SKU2",
            "C",
            "2026-11-26 08:00",
            10,
            "Cutting",
            "CUT",
            "Zhao",
            "not_started",
            "CUT-02",
            "2026-11-25 12:00",
        ),
        # due in 3 days and 1 minute: outside
        ("MO/3", "SKU3", "B", "2026-11-26 08:01", 10, "Cutting", "CUT", "Zhao", "not_started", None, None),
        # overdue since yesterday
        ("MO/4", "SKU4", "B", "2026-11-22 18:00", 10, "Packing", "PKG", "Ma", "not_started", "PKG-02", None),
        # due tomorrow but every operation done: no warning
        ("MO/5", "SKU5", "A", "2026-11-24 08:00", 10, "Packing", "PKG", "Ma", "done", "PKG-01", None),
        # due in 20 hours: T-1
        ("MO/6", "SKU6", "A", "2026-11-24 04:00", 10, "Packing", "PKG", "Ma", "not_started", "PKG-01", None),
    ]
)


def test_escalation_levels():
    assert [escalation(x) for x in (2.5, 2.0, 1.5, 1.0, 0.1, -0.01)] == [
        "T-3",
        "T-2",
        "T-2",
        "T-1",
        "T-1",
        "overdue",
    ]


def test_t3_rule_on_hand_made_dates():
    c = t3_candidates(OPS, AS_OF).set_index("production_order_id")
    assert sorted(c.index) == ["MO/1", "MO/2", "MO/4", "MO/6"]
    mo1 = c.loc["MO/1"]
    assert (mo1.blocking_operation_seq, mo1.machine_id, mo1.owner, mo1.work_center) == (
        20,
        "SEW-02",
        "Wu",
        "SEW",
    )
    assert mo1.days_left == pytest.approx(2 + 10 / 24, abs=0.01)
    assert (mo1.level, mo1.unfinished_operations, bool(mo1.projected_late)) == ("T-3", 2, True)
    assert c.loc["MO/2", "level"] == "T-3" and not c.loc["MO/2", "projected_late"]
    assert (c.loc["MO/4", "level"], c.loc["MO/4", "escalated_to"]) == ("overdue", "plant manager")
    assert (c.loc["MO/6", "level"], c.loc["MO/6", "escalated_to"]) == ("T-1", "production manager")


def test_warnings_are_kept_until_closed():
    day1 = update_warnings(None, t3_candidates(OPS, AS_OF), AS_OF)
    assert set(day1["status"]) == {"open"} and len(day1) == 4
    ids = dict(zip(day1["production_order_id"], day1["warning_id"], strict=True))

    # Next day: MO/1 finished, MO/2's due date moved out of the window (still unfinished), MO/3 now due.
    as_of2 = AS_OF + pd.Timedelta(days=1)
    ops2 = OPS.copy()
    ops2.loc[ops2["production_order_id"] == "MO/1", "operation_status"] = "done"
    ops2.loc[ops2["production_order_id"] == "MO/2", "due_at"] = "2026-12-10 08:00"
    day2 = update_warnings(day1, t3_candidates(ops2, as_of2), as_of2, finished={"MO/1": "done"})
    by = day2.set_index("production_order_id")
    assert by.loc["MO/1", "status"] == "closed" and by.loc["MO/1", "close_reason"] == "order done"
    assert by.loc["MO/1", "closed_at"] == as_of2
    assert by.loc["MO/2", "status"] == "open"  # kept: not closed by anyone
    assert by.loc["MO/3", "status"] == "open" and by.loc["MO/3", "opened_at"] == as_of2
    assert by.loc["MO/6", "level"] == "overdue"  # escalated
    assert by.loc["MO/6", "warning_id"] == ids["MO/6"]  # same warning, refreshed
    assert by.loc["MO/6", "opened_at"] == AS_OF
    assert len(day2) == 5 and day2["warning_id"].is_unique


def test_level_never_goes_down():
    day1 = update_warnings(None, t3_candidates(OPS, AS_OF), AS_OF)
    ops2 = OPS.copy()
    ops2.loc[ops2["production_order_id"] == "MO/6", "due_at"] = "2026-11-25 20:00"  # renegotiated later
    day2 = update_warnings(day1, t3_candidates(ops2, AS_OF), AS_OF)
    assert day2.set_index("production_order_id").loc["MO/6", "level"] == "T-1"


def test_output_variances_by_hand():
    plan = pd.DataFrame(
        [
            ("2026-11-20", "MO/1", 10, "CUT-01", 100),  # made 100 good -> on plan
            ("2026-11-20", "MO/1", 20, "SEW-01", 80),  # made 85, 75 good -> scrap 10
            ("2026-11-20", "MO/2", 10, "CUT-02", 60),  # made 40 -> breakdown 55 min on CUT-02
            ("2026-11-20", "MO/3", 10, "CUT-01", 50),  # nothing counted
            ("2026-11-20", "MO/4", 30, "PKG-01", 40),  # 30 made, 20 min waiting for material
            ("2026-11-20", "MO/6", 10, "CUT-01", 10),  # 9 made: one unit short is within tolerance
            ("2026-11-20", "MO/7", 10, "CUT-01", 10),  # 8 made: two short, no stop -> slow running
        ],
        columns=["shift_date", "production_order_id", "operation_seq", "machine_id", "planned_qty"],
    )
    actual = pd.DataFrame(
        [
            ("2026-11-20", "MO/1", 10, "CUT-01", 60, 60),
            ("2026-11-20", "MO/1", 10, "CUT-01", 40, 40),
            ("2026-11-20", "MO/1", 20, "SEW-01", 85, 75),
            ("2026-11-20", "MO/2", 10, "CUT-02", 40, 40),
            ("2026-11-20", "MO/4", 30, "PKG-01", 30, 30),
            ("2026-11-20", "MO/5", 10, "CUT-02", 12, 12),  # not planned
            ("2026-11-20", "MO/6", 10, "CUT-01", 9, 9),
            ("2026-11-20", "MO/7", 10, "CUT-01", 8, 8),
        ],
        columns=[
            "shift_date",
            "production_order_id",
            "operation_seq",
            "machine_id",
            "total_count",
            "good_count",
        ],
    )
    stops = pd.DataFrame(
        [("2026-11-20", "CUT-02", 55.0, 0.0), ("2026-11-20", "PKG-01", 0.0, 20.0)],
        columns=["shift_date", "machine_id", "breakdown_minutes", "material_wait_minutes"],
    )
    v = output_variances(plan, actual, stops).set_index(["production_order_id", "operation_seq"])
    assert v.loc[("MO/1", 10), "variance"] == 0 and v.loc[("MO/1", 10), "within_tolerance"]
    assert v.loc[("MO/1", 20), ["variance", "scrap"]].tolist() == [-5, 10]
    assert v.loc[("MO/1", 20), "variance_pct"] == pytest.approx(-5 / 80)
    assert v.loc[("MO/1", 20), "reason"] == "scrap"
    assert v.loc[("MO/1", 20), "reason_detail"] == "10 of 85 units rejected"
    assert v.loc[("MO/2", 10), "variance"] == -20 and v.loc[("MO/2", 10), "reason"] == "breakdown"
    assert v.loc[("MO/2", 10), "reason_detail"] == "55 min of breakdowns on CUT-02"
    assert v.loc[("MO/3", 10), "reason"] == "not started"
    assert v.loc[("MO/4", 30), "reason"] == "waiting for material"
    assert v.loc[("MO/4", 30), "reason_detail"] == "20 min waiting on PKG-01"
    assert v.loc[("MO/5", 10), ["planned_qty", "good_count"]].tolist() == [0, 12]
    assert v.loc[("MO/5", 10), "reason"] == "unplanned output"
    assert v.loc[("MO/6", 10), "within_tolerance"] and v.loc[("MO/6", 10), "reason"] is None
    assert v.loc[("MO/7", 10), "reason"] == "slow running"
    assert len(v) == 8  # every planned or counted (order, operation) appears once


def test_material_variances_by_hand():
    bom = pd.DataFrame(
        [("SKU1", "FAB", 1.5), ("SKU1", "THR", 100.0)], columns=["sku", "component", "quantity_per_unit"]
    )
    output = pd.DataFrame(
        [("2026-11-20", "MO/1", 10, 110, 100)],
        columns=["shift_date", "production_order_id", "operation_seq", "total_count", "good_count"],
    )
    consumption = pd.DataFrame(
        [
            ("2026-11-20", "MO/1", 10, "FAB", 165.0),  # standard 150, scrap 10 x 1.5 = 15 -> explained
            ("2026-11-20", "MO/1", 10, "THR", 12500.0),  # standard 10000, scrap 1000 -> 1500 unexplained
            ("2026-11-20", "MO/1", 10, "GLUE", 3.0),  # not in the BOM
        ],
        columns=["shift_date", "production_order_id", "operation_seq", "component", "quantity"],
    )
    order_sku = pd.DataFrame({"production_order_id": ["MO/1"], "sku": ["SKU1"]})
    m = material_variances(consumption, bom, output, order_sku).set_index("component")
    assert m.loc["FAB", ["standard_qty", "scrap_allowance", "variance", "unexplained"]].tolist() == [
        150.0,
        15.0,
        15.0,
        0.0,
    ]
    assert not m.loc["FAB", "flagged"] and m.loc["FAB", "reason"] == "scrap"
    assert m.loc["THR", "variance"] == 2500.0 and m.loc["THR", "unexplained"] == 1500.0
    assert m.loc["THR", "flagged"] and m.loc["THR", "reason"] == "over-consumption"
    assert m.loc["THR", "variance_pct"] == pytest.approx(0.25)
    assert m.loc["GLUE", "flagged"] and m.loc["GLUE", "reason"] == "component not in the BOM"
