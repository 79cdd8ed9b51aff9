"""The production tables of the built demo company (tests/conftest.py): every stored plan checked against
the model's rules, the numbers recomputed by hand from the stored plans and the warehouse inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from planning import production_tables as T
from scheduling.check import check_plan
from scheduling.frames import plan_from_frame, problem_from_frames

SQL_TYPE = {"date": "DATE", "varchar": "VARCHAR", "double": "DOUBLE", "boolean": "BOOLEAN",
            "integer": "INTEGER", "bigint": "BIGINT", "timestamp": "TIMESTAMP"}  # fmt: skip
CONTRACT = T.CONTRACTS


@pytest.fixture(scope="module")
def stored(built_instance):
    problem = problem_from_frames(
        built_instance.df("select * from production.plan_problem"),
        built_instance.df("select * from production.plan_blocked"),
    )
    return problem, built_instance.df("select * from production.schedule")


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_tables_have_the_contract_columns(built_instance, table):
    got = built_instance.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'production' and table_name = ? order by ordinal_position",
        [table],
    )
    assert got == [(c, SQL_TYPE[t]) for c, t in CONTRACT[table].items()]


def test_every_open_operation_is_planned_once_per_method(built_instance, stored):
    _, sched = stored
    open_ops = set(
        built_instance.query(
            "select production_order_id, operation_seq from marts.fct_production_operations "
            "where production_order_state in ('confirmed', 'progress') "
            "and operation_status in ('not_started', 'in_progress')"
        )
    )
    assert open_ops, "the demo company has open operations to plan"
    for method, g in sched.groupby("method"):
        keys = list(zip(g["production_order_id"], g["operation_seq"], strict=True))
        assert len(keys) == len(set(keys)), method
        assert set(keys) == open_ops, method
    assert set(sched["method"]) == {"cpsat", "edd", "atc"}


def test_every_stored_plan_obeys_every_rule(stored):
    problem, sched = stored
    for method, g in sched.groupby("method"):
        assert check_plan(problem, plan_from_frame(g).assignments) == [], method


def test_machines_are_eligible_and_in_the_work_center(built_instance, stored):
    _, sched = stored
    machines = dict(built_instance.query("select machine_id, work_center from staging.stg_erp__machines"))
    routed = built_instance.df(
        "select production_order_id, operation_seq, eligible_machines from marts.fct_production_operations"
    ).set_index(["production_order_id", "operation_seq"])["eligible_machines"]
    for r in sched.itertuples():
        assert machines[r.machine_id] == r.work_center
        listed = routed.loc[(r.production_order_id, r.operation_seq)]
        if isinstance(listed, str) and listed:
            assert r.machine_id in listed.split(";")


def test_run_figures_recomputed_from_the_plans(built_instance, stored):
    problem, sched = stored
    runs = built_instance.df("select * from production.schedule_runs").set_index("method")
    orders = built_instance.df("select * from production.schedule_orders")
    for method, g in sched.groupby("method"):
        end = g.groupby("production_order_id")["end_minute"].max()
        wt = sum(o.weight * max(0, int(end[o.order]) - o.due) for o in problem.orders)
        assert runs.loc[method, "weighted_tardiness"] == wt
        assert runs.loc[method, "makespan_minutes"] == g["end_minute"].max()
        assert runs.loc[method, "late_orders"] == sum(int(end[o.order]) > o.due for o in problem.orders)
        mine = orders.loc[orders["method"] == method].set_index("production_order_id")
        for o in problem.orders:
            assert mine.loc[o.order, "tardiness_minutes"] == max(0, int(end[o.order]) - o.due)
    assert runs.loc["cpsat", "weighted_tardiness"] <= runs.loc[["edd", "atc"], "weighted_tardiness"].min()
    assert runs.loc["cpsat", "status"] in ("OPTIMAL", "FEASIBLE")
    assert 0 <= runs.loc["cpsat", "bound"] <= runs.loc["cpsat", "weighted_tardiness"]
    assert runs["is_chosen"].sum() == 1 and runs.loc["cpsat", "is_chosen"]


def test_work_center_load_by_hand(built_instance):
    problem_ops = built_instance.df("select work_center, minutes from production.plan_problem")
    load = built_instance.df("select * from production.work_center_load").set_index("work_center")
    by_hand = problem_ops.groupby("work_center")["minutes"].sum()
    for wc, minutes in by_hand.items():
        assert load.loc[wc, "load_minutes"] == minutes
    assert (load["load_ratio"] - load["load_minutes"] / load["capacity_minutes"]).abs().max() < 1e-9
    assert load.sort_values("rank")["load_ratio"].is_monotonic_decreasing


def test_t3_register_matches_the_rule(built_instance):
    as_of = pd.Timestamp(built_instance.query("select max(as_of) from production.schedule_runs")[0][0])
    ops = built_instance.df(
        "select production_order_id, due_at, operation_status from marts.fct_production_operations "
        "where production_order_state in ('confirmed', 'progress')"
    )
    unfinished = ops.loc[ops["operation_status"] != "done"]
    due_soon = unfinished.loc[pd.to_datetime(unfinished["due_at"]) <= as_of + pd.Timedelta(days=3)]
    reg = built_instance.df("select * from production.t3_warnings")
    open_w = reg.loc[reg["status"] == "open"]
    assert set(open_w["production_order_id"]) == set(due_soon["production_order_id"])
    assert open_w["owner"].notna().all() and open_w["blocking_operation_seq"].notna().all()
    assert reg["warning_id"].is_unique


def test_daily_close_reconciles_with_the_mes(built_instance):
    plan_total, plan_keys = built_instance.query(
        "select sum(planned_qty), count(distinct (shift_date, production_order_id, operation_seq)) "
        "from staging.stg_mes__dispatch_plan"
    )[0]
    good_total = built_instance.query("select sum(good_count) from staging.stg_mes__production_counts")[0][0]
    close = built_instance.df("select * from production.daily_close")
    assert close["planned_qty"].sum() == plan_total
    assert close["good_count"].sum() == good_total
    assert (close["variance"] == close["good_count"] - close["planned_qty"]).all()
    keys = built_instance.query(
        "select count(*) from (select shift_date, production_order_id, operation_seq from "
        "staging.stg_mes__dispatch_plan union select shift_date, production_order_id, operation_seq from "
        "staging.stg_mes__production_counts)"
    )[0][0]
    assert len(close) == keys >= plan_keys
    off = close.loc[~close["within_tolerance"]]
    assert off["reason"].notna().all()


def test_material_standard_is_bom_times_good(built_instance):
    mat = built_instance.df("select * from production.daily_close_materials")
    assert (
        len(mat)
        == built_instance.query(
            "select count(*) from (select distinct shift_date, production_order_id, operation_seq, component "
            "from staging.stg_mes__material_consumption)"
        )[0][0]
    )
    row = mat.loc[mat["good_count"] > 0].iloc[0]
    per_unit = built_instance.query(
        "select quantity_per_unit from staging.stg_erp__bom where sku = ? and component_sku = ?",
        [row.sku, row.component],
    )[0][0]
    assert row.standard_qty == pytest.approx(float(per_unit) * row.good_count)
    assert row.variance == pytest.approx(row.actual_qty - row.standard_qty)


def test_rush_what_if_on_the_published_plan(built_instance, stored):
    from scheduling.whatif import RUSH_WEIGHT_FACTOR, rush_what_if

    tables = {
        t: built_instance.df(f"select * from production.{t}")
        for t in ("plan_problem", "plan_blocked", "plan_calendar", "schedule")
    }
    sku = built_instance.query(
        "select sku from staging.stg_erp__routings group by sku order by count(*) desc, sku limit 1"
    )[0][0]
    routing = built_instance.df(f"select * from staging.stg_erp__routings where sku = '{sku}'")
    as_of = pd.Timestamp(tables["plan_calendar"]["origin"].iloc[0])
    result = rush_what_if(tables, routing, quantity=40, due_at=as_of + pd.Timedelta(days=2), time_limit=2)
    assert result.violations == []
    problem, sched = stored
    current = plan_from_frame(sched.loc[sched["method"] == "cpsat"]).assignments
    for key, a in result.frozen.items():
        assert result.plan.assignments[key] == a == current[key]
    rush = result.problem.order("RUSH")
    assert len(rush.ops) == len(routing)
    assert rush.weight == RUSH_WEIGHT_FACTOR * max(o.weight for o in problem.orders)
    moves = result.moves.set_index("production_order_id")
    assert set(moves.index) == {o.order for o in problem.orders} | {"RUSH"}
    for oid in moves.index.drop("RUSH"):
        last = max(k for k in current if k[0] == oid)
        assert moves.loc[oid, "delay_minutes"] == result.plan.assignments[last].end - current[last].end
