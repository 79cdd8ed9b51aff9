"""Rush-order proposals on the store: propose → approve/reject → acknowledge, roles × actions, and the
what-if result saved with the proposal — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from decisions import rush_loop
from decisions.errors import BadInput, Conflict, Refused
from decisions.roles import MAY
from tests.decisions.conftest import PEOPLE, T0

PETE, PAM, SUE, MIA = PEOPLE["pete"], PEOPLE["pam"], PEOPLE["sue"], PEOPLE["mia"]
EVALUATION = {
    "plan_as_of": T0,
    "planned_completion": datetime(2026, 12, 4, 9, 30),
    "on_time": False,
    "earliest_completion": datetime(2026, 12, 3, 16, 0),
    "late_because": "waits 420 plant minutes at SMT (operation 10) even when it goes first",
    "delayed_orders": [
        {
            "production_order_id": "PO-7",
            "customer_tier": "B",
            "sku": "SKU-7",
            "delay_minutes": 95,
            "made_late": True,
        }
    ],
}


def proposed(store, actor=PETE, **kw) -> dict:
    args = dict(sku="SKU-1", quantity=200, due_at=datetime(2026, 12, 3, 10), tier="A", frozen_minutes=480)
    return rush_loop.propose(store, actor, evaluation=EVALUATION, **{**args, **kw})


def test_a_proposal_is_saved_with_its_result_and_numbered(store):
    first, second = proposed(store), proposed(store, customer="ACME", customer_order="SO-9")
    assert (first["id"], second["id"], first["state"]) == ("RUSH-00001", "RUSH-00002", "proposed")
    (saved, _) = rush_loop.list_proposals(store)
    assert saved["earliest_completion"] == datetime(2026, 12, 3, 16, 0) and saved["on_time"] is False
    assert saved["delayed_orders"] == EVALUATION["delayed_orders"]
    assert saved["late_because"].startswith("waits 420 plant minutes at SMT")


def test_proposed_approved_acknowledged(store):
    proposed(store)
    approved = rush_loop.approve(store, PAM, "RUSH-00001", comment="customer A, worth it")
    assert (approved["state"], approved["pmc_by"]) == ("approved", "pam")
    done = rush_loop.acknowledge(store, SUE, "RUSH-00001", comment="SMT night shift")
    assert (done["state"], done["production_by"], done["version"]) == ("acknowledged", "sue", 3)


def test_rejected_is_final(store):
    proposed(store)
    assert rush_loop.reject(store, PAM, "RUSH-00001", comment="delays two A orders")["state"] == "rejected"
    with pytest.raises(Refused, match="RUSH-00001 is rejected .*only a proposed proposal can be approved"):
        rush_loop.approve(store, MIA, "RUSH-00001", comment="overrule")
    with pytest.raises(Refused, match="only a approved proposal can be acknowledged"):
        rush_loop.acknowledge(store, SUE, "RUSH-00001")


def test_production_cannot_acknowledge_before_pmc_approved(store):
    proposed(store)
    with pytest.raises(Refused, match="is proposed"):
        rush_loop.acknowledge(store, SUE, "RUSH-00001")


def test_two_pmc_deciding_at_once_the_second_reloads(store):
    seen = proposed(store)["version"]
    rush_loop.approve(store, PAM, "RUSH-00001", comment="ok", version=seen)
    with pytest.raises(Conflict, match="changed by pam"):
        rush_loop.reject(store, MIA, "RUSH-00001", comment="no", version=seen)


def test_a_customer_service_agent_proposes_only_for_a_customers_order(store):
    with pytest.raises(Refused, match="name the order"):
        proposed(store, actor=PEOPLE["cas"])
    assert proposed(store, actor=PEOPLE["cas"], customer_order="SO-1")["requested_by"] == "cas"


def test_bad_input(store):
    with pytest.raises(BadInput, match="quantity 0"):
        proposed(store, quantity=0)
    proposed(store)
    with pytest.raises(BadInput, match="a comment is required"):
        rush_loop.approve(store, PAM, "RUSH-00001", comment=" ")


ACTIONS = {
    "rush.propose": lambda store, actor: proposed(store, actor=actor, customer_order="SO-1"),
    "rush.approve": lambda store, actor: rush_loop.approve(store, actor, "RUSH-00001", comment="ok"),
    "rush.reject": lambda store, actor: rush_loop.reject(store, actor, "RUSH-00001", comment="no"),
    "rush.acknowledge": lambda store, actor: rush_loop.acknowledge(store, actor, "RUSH-00001"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("name", list(PEOPLE))
def test_each_role_against_each_action(store, action, name):
    actor = PEOPLE[name]
    proposed(store, actor=MIA)
    if action == "rush.acknowledge":
        rush_loop.approve(store, MIA, "RUSH-00001", comment="ok")
    if actor.role in MAY[action]:
        ACTIONS[action](store, actor)
    else:
        with pytest.raises(Refused, match=f"{actor.username} \\({actor.role}\\) may not"):
            ACTIONS[action](store, actor)
        assert len(rush_loop.list_proposals(store)) == 1


def test_acknowledged_proposals_are_the_next_plans_demand_until_a_week_after_due(store):
    import pandas as pd

    for _ in range(3):
        proposed(store)
    for proposal_id in ("RUSH-00001", "RUSH-00002"):
        rush_loop.approve(store, PAM, proposal_id, comment="ok")
    rush_loop.acknowledge(store, SUE, "RUSH-00001")
    due = datetime(2026, 12, 3, 10)
    assert [p["id"] for p in rush_loop.plan_demand(store, due)] == ["RUSH-00001"]
    assert rush_loop.plan_demand(store, due + pd.Timedelta(days=7, seconds=1)) == []
    routings = pd.DataFrame(
        {
            "sku": ["SKU-1", "SKU-1", "SKU-2"],
            "operation_seq": [20, 10, 10],
            "operation_name": ["Sew", "Cut", "x"],
            "work_center": ["SEW", "CUT", "X"],
            "eligible_machines": [None, "CUT-01", None],
            "setup_minutes": [30.0, 20.0, 1.0],
            "run_minutes_per_unit": [1.5, 0.5, 1.0],
        }
    )
    ops = rush_loop.rush_operations(rush_loop.plan_demand(store, due), routings, T0)
    assert ops[
        ["production_order_id", "operation_seq", "work_center", "remaining_quantity"]
    ].values.tolist() == [
        ["RUSH-00001", 10, "CUT", 200],
        ["RUSH-00001", 20, "SEW", 200],
    ]
    done = datetime(2026, 12, 2, 15)
    assert rush_loop.mark_planned(store, {"RUSH-00001": done, "RUSH-00002": done}, now=T0) == 1
    states = {p["id"]: (p["state"], p["plan_completion"]) for p in rush_loop.list_proposals(store)}
    assert states == {
        "RUSH-00001": ("planned", done),
        "RUSH-00002": ("approved", None),
        "RUSH-00003": ("proposed", None),
    }
    assert rush_loop.mark_planned(store, {"RUSH-00001": done}, now=T0) == 0  # same completion: no write
