"""The plant scheduler on a small hand-built plant: calendar arithmetic, the constraint checker itself,
and the constraints of every plan each method produces (dispatch rules, CP-SAT, rush insertion)."""

from __future__ import annotations

import random
from dataclasses import replace

import pandas as pd
import pytest

from scheduling.bottleneck import work_center_load
from scheduling.calendar import PlantCalendar
from scheduling.check import check_plan
from scheduling.cpsat import solve
from scheduling.dispatch import dispatch
from scheduling.inputs import build_problem
from scheduling.problem import Assignment, Operation, Order, weighted_tardiness
from scheduling.rush import fit_in, freeze, insert_rush_order, push_in

ORIGIN = pd.Timestamp("2026-11-23 08:00")  # a Monday, two hours into shift A
MACHINES = pd.DataFrame(
    {"machine_id": ["A1", "A2", "B1", "B2", "C1"], "work_center": ["A", "A", "B", "B", "C"]}
)


def _shifts(days: int = 21) -> pd.DataFrame:
    rows = []
    for d in pd.date_range("2026-11-23", periods=days):
        if d.dayofweek == 6:
            continue
        for m in MACHINES["machine_id"]:
            for shift, hour in (("A", 6), ("B", 14)):
                if m == "C1" and shift == "B" and d.dayofweek == 5:
                    continue  # C1 is not staffed on Saturday afternoons
                rows.append((m, d + pd.Timedelta(hours=hour), d + pd.Timedelta(hours=hour + 8), 30))
    return pd.DataFrame(rows, columns=["machine_id", "shift_start", "shift_end", "break_minutes"])


DOWNTIME = pd.DataFrame(
    {
        "machine_id": ["B1"],
        "downtime_start": [pd.Timestamp("2026-11-24 06:00")],
        "downtime_end": [pd.Timestamp("2026-11-24 12:00")],
    }
)


@pytest.fixture(scope="module")
def calendar() -> PlantCalendar:
    return PlantCalendar.from_frames(_shifts(), ORIGIN, DOWNTIME, MACHINES["machine_id"])


def test_calendar_axis_by_hand(calendar):
    # Monday: shift A 06:00-13:30 net (from 08:00: 330 min), shift B 14:00-21:30 (450 min).
    assert calendar.to_axis("2026-11-23 08:00") == 0
    assert calendar.to_axis("2026-11-23 13:30") == 330
    assert calendar.to_axis("2026-11-23 13:45") == 330  # the gap maps to the next opening
    assert calendar.to_axis("2026-11-23 14:10") == 340
    assert calendar.to_axis("2026-11-24 06:00") == 780
    assert calendar.to_clock(340) == pd.Timestamp("2026-11-23 14:10")
    assert calendar.to_clock(330) == pd.Timestamp("2026-11-23 14:00")
    assert calendar.to_clock(330, end=True) == pd.Timestamp("2026-11-23 13:30")
    # B1's downtime Tuesday 06:00-12:00 = plant minutes 780..1140; C1 loses Saturday's shift B:
    # Mon 780 + Tue..Fri 4 x 900 + Sat A 450 = 4830 -> blocked 4830..5280.
    assert calendar.blocked["B1"] == ((780, 1140),)
    assert calendar.blocked["C1"][0] == (4830, 5280)
    assert calendar.blocked["A1"] == ()
    assert calendar.capacity("C1", 0, 5280) == 4830


def _operations(n_orders: int, seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n_orders):
        due = ORIGIN + pd.Timedelta(hours=rng.uniform(20, 24 * 9))
        route = ["A", "B", "C"] if i % 2 else ["A", "B", "B", "C"]
        for k, wc in enumerate(route):
            started = i < 3 and k == 0
            rows.append(
                {
                    "production_order_id": f"MO/{i:03d}",
                    "quantity_to_produce": 40,
                    "scheduled_at": ORIGIN + pd.Timedelta(hours=30)
                    if i == 5
                    else ORIGIN - pd.Timedelta(days=1),
                    "due_at": due,
                    "customer_tier": "ABC"[i % 3],
                    "margin": rng.uniform(0.1, 0.6),
                    "operation_seq": 10 * (k + 1),
                    "work_center": wc,
                    "eligible_machines": "B2" if (wc == "B" and i % 4 == 0) else None,
                    "setup_minutes": 20,
                    "run_minutes_per_unit": rng.uniform(0.8, 2.5),
                    "remaining_quantity": 15 if started else 40,
                    "operation_status": "in_progress" if started else "not_started",
                    "last_machine_id": "A1" if started else None,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def problem(calendar):
    prob, orders = build_problem(_operations(24), MACHINES, calendar)
    return prob, orders


def test_problem_inputs(problem, calendar):
    prob, orders = problem
    assert len(prob.orders) == 24 and len(orders) == 24
    op = prob.order("MO/000").ops[0]
    assert (op.fixed_machine, op.fixed_start) == ("A1", 0)  # started: on its machine, from now
    assert prob.order("MO/001").ops[0].fixed_start == prob.order("MO/000").ops[0].minutes  # queued behind
    assert prob.order("MO/004").ops[1].machines == ("B2",)  # eligibility from the routing
    assert prob.order("MO/005").release == calendar.to_axis(ORIGIN + pd.Timedelta(hours=30))
    assert orders["priority_rank"].tolist() == list(range(1, 25))


def test_checker_catches_each_kind_of_violation(problem):
    prob, _ = problem
    plan = dispatch(prob, "EDD").assignments
    assert check_plan(prob, plan) == []
    o = prob.order("MO/004")  # A -> B2 only -> B -> C
    bad = dict(plan)
    a = bad[o.ops[1].key]
    bad[o.ops[1].key] = Assignment("B1", a.start, a.end)
    assert any("not eligible" in e for e in check_plan(prob, bad))
    bad = dict(plan)
    first = bad[o.ops[0].key]
    bad[o.ops[1].key] = Assignment("B2", first.start, first.start + o.ops[1].minutes)
    assert any("before op 10 ends" in e for e in check_plan(prob, bad))
    bad = dict(plan)
    k1, k2 = prob.order("MO/006").ops[-1].key, prob.order("MO/007").ops[-1].key
    bad[k2] = Assignment("C1", bad[k1].start, bad[k1].start + (bad[k2].end - bad[k2].start))
    assert any("overlaps" in e for e in check_plan(prob, bad))
    bad = dict(plan)
    key = prob.order("MO/008").ops[-1].key
    bad[key] = Assignment("C1", 4830, 4830 + (bad[key].end - bad[key].start))
    assert any("blocked time" in e for e in check_plan(prob, bad))
    bad = dict(plan)
    bad[prob.order("MO/000").ops[0].key] = Assignment("A2", 0, prob.order("MO/000").ops[0].minutes)
    assert any("moved" in e for e in check_plan(prob, bad))
    bad = dict(plan)
    del bad[prob.order("MO/010").ops[0].key]
    assert any("not planned" in e for e in check_plan(prob, bad))
    assert any("frozen" in e for e in check_plan(prob, plan, frozen={o.ops[0].key: Assignment("A2", 0, 1)}))


@pytest.mark.parametrize("rule", ["EDD", "ATC"])
def test_dispatch_plans_are_valid(problem, rule):
    prob, _ = problem
    plan = dispatch(prob, rule)
    assert check_plan(prob, plan.assignments) == []
    assert plan.objective == weighted_tardiness(prob, plan.assignments)
    assert plan.status == "HEURISTIC"


def test_cpsat_plan_is_valid_and_no_worse_than_dispatch(problem):
    prob, _ = problem
    baselines = [dispatch(prob, r) for r in ("EDD", "ATC")]
    best = min(baselines, key=lambda p: p.objective)
    plan = solve(prob, time_limit=5, hint=best.assignments)
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert check_plan(prob, plan.assignments) == []
    assert plan.objective == weighted_tardiness(prob, plan.assignments)
    assert plan.objective <= best.objective
    assert 0 <= plan.bound <= plan.objective and 0 <= plan.gap <= 1


def test_cpsat_skips_the_tardiness_search_when_the_hint_is_on_time(problem):
    prob, _ = problem
    relaxed = prob.with_orders(tuple(replace(o, due=10**7) for o in prob.orders))
    hint = dispatch(relaxed, "EDD")
    assert hint.objective == 0
    plan = solve(relaxed, time_limit=5, hint=hint.assignments)
    assert (plan.status, plan.objective, plan.bound) == ("OPTIMAL", 0, 0)
    assert plan.notes["full_solve"].startswith("skipped")
    assert plan.seconds < 5 * 0.2 + 0.5  # only the makespan solve's share is spent
    assert check_plan(relaxed, plan.assignments) == []
    assert plan.makespan <= hint.makespan


def test_bottleneck_table(problem):
    prob, _ = problem
    load = work_center_load(prob)
    assert load["rank"].tolist() == [1, 2, 3]
    assert load["load_ratio"].is_monotonic_decreasing
    c = load.set_index("work_center").loc["C"]
    assert c.load_minutes == sum(op.minutes for op in prob.ops() if op.work_center == "C")
    h = int(c.horizon_minutes)
    assert c.capacity_minutes == h - sum(max(0, min(b, h) - a) for a, b in prob.blocked["C1"] if a < h)


def test_rush_insertion_keeps_frozen_work_and_reports_moves(problem):
    prob, _ = problem
    current = solve(prob, time_limit=3, hint=dispatch(prob, "EDD").assignments)
    rush = Order(
        "RUSH-1",
        due=900,
        release=0,
        weight=10,
        ops=tuple(
            Operation("RUSH-1", 10 * (k + 1), wc, m, 120)
            for k, (wc, m) in enumerate([("A", ("A1", "A2")), ("B", ("B1", "B2")), ("C", ("C1",))])
        ),
    )
    result = insert_rush_order(prob, current, rush, frozen_minutes=480, time_limit=3)
    assert result.violations == []
    assert check_plan(result.problem, result.plan.assignments, frozen=result.frozen) == []
    for key, a in result.frozen.items():
        assert result.plan.assignments[key] == a
        assert a.start < 480 or prob.order(key[0]).ops[0].fixed
    assert len(result.frozen) >= 3
    moves = result.moves.set_index("production_order_id")
    assert moves.loc["RUSH-1", "is_rush_order"] and pd.isna(moves.loc["RUSH-1", "completion_before"])
    old = {o.order for o in prob.orders}
    assert set(moves.index) == old | {"RUSH-1"}
    after = result.plan.assignments
    for oid in old:
        last = prob.order(oid).ops[-1].key
        assert moves.loc[oid, "delay_minutes"] == after[last].end - current.assignments[last].end
    assert (result.delayed["delay_minutes"] > 0).all()


def test_the_same_rush_insertion_gives_the_same_plan(problem):
    prob, _ = problem
    current = dispatch(prob, "ATC")
    rush = Order("RUSH-4", 700, 0, 30, (Operation("RUSH-4", 10, "A", ("A1", "A2"), 150),))
    first, second = (insert_rush_order(prob, current, rush, frozen_minutes=300, time_limit=1) for _ in "12")
    assert first.plan.assignments == second.plan.assignments
    pd.testing.assert_frame_equal(first.moves, second.moves)


def test_both_rush_hints_are_valid_plans(problem):
    prob, _ = problem
    current = dispatch(prob, "ATC").assignments
    fixed, frozen = freeze(prob, current, 600)
    rush = Order("RUSH-3", 500, 0, 20, (Operation("RUSH-3", 10, "C", ("C1",), 90),))
    new = fixed.with_orders((*fixed.orders, rush))
    pushed = push_in(new, current, frozen, rush)
    assert check_plan(new, pushed, frozen=frozen) == []
    fitted = fit_in(new, current, rush)
    # "It goes first": never later than where there happens to be room, and nothing else ahead of it
    # on C1 except frozen work.
    assert pushed[("RUSH-3", 10)].start <= fitted[("RUSH-3", 10)].start
    ahead = [k for k, a in pushed.items() if a.machine == "C1" and a.start < pushed[("RUSH-3", 10)].start]
    assert all(k in frozen for k in ahead)
    assert check_plan(new, fitted, frozen=frozen) == []


def test_rush_order_with_unknown_machine_is_refused(problem):
    prob, _ = problem
    current = dispatch(prob, "EDD")
    bad = Order("RUSH-2", 100, 0, 5, (Operation("RUSH-2", 10, "X", ("X9",), 30),))
    with pytest.raises(ValueError, match="RUSH-2 op 10"):
        insert_rush_order(prob, current, bad)
