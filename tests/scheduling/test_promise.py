"""Capable-to-promise on hand-made data: the stock rule on a hand-written ATP table, and the production
rule on a two-machine plan whose free gaps are known by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from planning.promise import decide, earliest_from_production, earliest_from_stock, to_company_date
from scheduling.calendar import PlantCalendar
from scheduling.frames import calendar_to_frame, plan_to_frame, problem_to_frames
from scheduling.problem import Assignment, Operation, Order, Plan, Problem

DAY0 = date(2026, 11, 23)


def atp_table(levels: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"warehouse_id": w, "date": DAY0 + timedelta(days=i), "atp": level}
            for w, row in levels.items()
            for i, level in enumerate(row)
        ]
    )


def test_stock_ships_from_the_day_atp_stays_covered():
    # WH-A dips to 5 on day 3 (a later order takes it), then a receipt lifts it to 40 from day 4;
    # WH-B has 12 throughout.
    atp = atp_table({"WH-A": [30, 30, 30, 5, 40, 40], "WH-B": [12, 12, 12, 12, 12, 12]})
    assert earliest_from_stock(atp, 10) == ("WH-B", DAY0, 12.0)
    assert earliest_from_stock(atp, 20) == ("WH-A", DAY0 + timedelta(days=4), 40.0)
    assert earliest_from_stock(atp, 41) is None
    answer = decide("SKU-1", 20, atp)
    assert (answer.source, answer.ship_date, answer.warehouse) == ("stock", DAY0 + timedelta(days=4), "WH-A")
    # a tie on the day goes to the warehouse with more ATP
    assert earliest_from_stock(atp_table({"B": [15, 15], "A": [11, 11]}), 10) == ("B", DAY0, 15.0)


def test_negative_atp_is_a_shortage_nothing_ships_from_it():
    atp = atp_table({"WH-A": [-280, -280, -200]})
    answer = decide("SKU-1", 1, atp)
    assert answer.source == "none" and answer.ship_date is None
    assert "not made in house" in answer.reason


# ---- production: two machines, one shift pattern, one order already planned ---------------------------

ORIGIN = pd.Timestamp("2026-11-23 06:00")  # Monday, start of the day; 06:00-22:00 open, no breaks
MACHINES = {"M1": "A", "M2": "B"}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    shifts = pd.DataFrame(
        [
            (m, d + pd.Timedelta(hours=h), d + pd.Timedelta(hours=h + 8), 0)
            for d in pd.date_range("2026-11-23", periods=10)
            for m in MACHINES
            for h in (6, 14)
        ],
        columns=["machine_id", "shift_start", "shift_end", "break_minutes"],
    )
    calendar = PlantCalendar.from_frames(shifts, ORIGIN, None, list(MACHINES))
    # MO-1 holds M1 for minutes 0-600 and M2 for 600-900.
    ops = (Operation("MO-1", 10, "A", ("M1",), 600), Operation("MO-1", 20, "B", ("M2",), 300))
    problem = Problem((Order("MO-1", 2000, 0, 3, ops),), MACHINES, {m: () for m in MACHINES}, 9600)
    plan = Plan("cpsat", {("MO-1", 10): Assignment("M1", 0, 600), ("MO-1", 20): Assignment("M2", 600, 900)})
    plan_problem, plan_blocked = problem_to_frames(problem)
    return {
        "plan_problem": plan_problem,
        "plan_blocked": plan_blocked,
        "plan_calendar": calendar_to_frame(calendar),
        "schedule": plan_to_frame(plan).assign(method="cpsat"),
    }


ROUTING = pd.DataFrame(
    {
        "operation_seq": [10, 20],
        "work_center": ["A", "B"],
        "eligible_machines": [None, None],
        "setup_minutes": [10, 10],
        "run_minutes_per_unit": [1.0, 1.0],
    }
)


def test_production_job_goes_into_the_free_gaps_after_the_frozen_window(tables):
    # 40 units: op 10 = 10 + 40 = 50 min on M1, free from 600 -> 600-650; op 20 = 50 min on M2, free
    # from 900 -> 900-950. Minute 950 = Monday 06:00 + 950 min = 21:50 (UTC) = Tuesday in Shanghai.
    completion, detail = earliest_from_production(tables, ROUTING, 40)
    assert completion == pd.Timestamp("2026-11-23 21:50")
    assert [(o["machine"], o["start_minute"], o["end_minute"]) for o in detail["operations"]] == [
        ("M1", 600, 650),
        ("M2", 900, 950),
    ]
    assert to_company_date(completion, "Asia/Shanghai") == date(2026, 11, 24)
    # a longer frozen window releases the job later: M1 880-930, M2 930-980 = Tuesday 06:20
    later, _ = earliest_from_production(tables, ROUTING, 40, frozen_minutes=880)
    assert later == pd.Timestamp("2026-11-24 06:20")


def test_promise_from_production_makes_only_the_shortfall(tables):
    atp = atp_table({"WH-A": [15, 15, 15]})
    made = []

    def production(units):
        made.append(units)
        completion, detail = earliest_from_production(tables, ROUTING, units)
        return to_company_date(completion, "Asia/Shanghai"), completion, detail

    answer = decide("SKU-1", 40, atp, production)
    assert made == [25]
    assert (answer.source, answer.from_stock, answer.to_make) == ("production", 15, 25)
    assert answer.ship_date == date(2026, 11, 24)  # 600-635 on M1, 900-935 on M2: Monday 21:35 UTC
    assert answer.planned_completion == pd.Timestamp("2026-11-23 21:35")
