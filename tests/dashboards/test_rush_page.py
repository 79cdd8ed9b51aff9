"""Rush orders on the page: proposed with its what-if result saved, approved by PMC, acknowledged by
production; each role's buttons, the store's refusals, every delayed order listed, the Gantt's frame."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards.charts.production import gantt
from decisions import rush_loop
from decisions.errors import Refused
from tests.dashboards.loopkit import actor, dead_server_url, texts

PAGE = "rush"


def busiest_sku(built_instance) -> str:
    return built_instance.query(
        "select sku from staging.stg_erp__routings group by sku order by count(*) desc, sku limit 1"
    )[0][0]


def saved(loops, username="pete", **more) -> dict:
    """A proposal saved without the solver (its result as the what-if would give it)."""
    evaluation = {
        "plan_as_of": pd.Timestamp("2026-11-21 08:00").to_pydatetime(),
        "planned_completion": pd.Timestamp("2026-11-26 10:00").to_pydatetime(),
        "on_time": False,
        "earliest_completion": pd.Timestamp("2026-11-25 16:00").to_pydatetime(),
        "late_because": "waits 300 plant minutes at SEW (operation 20) even when it goes first",
        "delayed_orders": [
            {
                "production_order_id": f"PO-{n:03d}",
                "customer_tier": "B",
                "sku": "SKU-1",
                "due_at": "2026-11-27T10:00:00",
                "completion_before": "2026-11-24T10:00:00",
                "completion_after": "2026-11-24T14:00:00",
                "delay_minutes": 240,
                "made_late": False,
            }
            for n in range(14)  # more than ten: all of them are listed
        ],
    }
    args = dict(sku="SKU-1", quantity=50, due_at=pd.Timestamp("2026-11-25 10:00").to_pydatetime())
    return rush_loop.propose(
        loops.store,
        actor(username),
        **args,
        tier="A",
        frozen_minutes=480,
        evaluation=evaluation,
        **more,
    )


def test_a_planner_proposes_and_the_result_is_saved_with_every_delayed_order(loops, built_instance):
    app = loops.open("pete", PAGE)
    app.selectbox(key="rp_sku").set_value(busiest_sku(built_instance))
    app.number_input(key="rp_qty").set_value(50)
    app.number_input(key="rp_limit").set_value(1)
    app.text_input(key="rp_customer").set_value("<script>alert(1)</script> Ltd")
    app.button(key="rp_submit").click().run()
    assert not app.exception, app.exception
    assert texts(app, "success")[0].startswith("Rush order proposed")
    (proposal,) = rush_loop.list_proposals(loops.store)
    assert (proposal["state"], proposal["requested_by"]) == ("proposed", "pete")
    assert proposal["customer"] == "<script>alert(1)</script> Ltd"
    assert proposal["planned_completion"] is not None
    detail = "\n".join(texts(app, "markdown"))
    assert "\\<script\\>alert(1)\\</script\\> Ltd" in detail
    delayed = app.dataframe[-1].value
    assert len(delayed) == len(proposal["delayed_orders"])


def test_pmc_approves_production_acknowledges_and_the_states_show(loops):
    first = saved(loops)
    app = loops.open("pam", PAGE)
    assert app.selectbox(key="rp_pick").value == first["id"]
    assert len(app.dataframe[-1].value) == 14  # the full table of delayed orders
    assert "rp_submit" not in {b.key for b in app.get("form_submit_button")}  # pmc does not propose
    app.text_area(key="rp_pmc_comment").set_value("ok, B-tier orders move 4 h")
    app.button(key="rp_approve").click().run()
    assert rush_loop.list_proposals(loops.store)[0]["state"] == "approved"
    supervisor = loops.open("wu.min", PAGE)
    assert not {b.key for b in supervisor.get("form_submit_button")} - {"rp_ack"}
    supervisor.button(key="rp_ack").click().run()
    (done,) = rush_loop.list_proposals(loops.store)
    assert (done["state"], done["pmc_by"], done["production_by"]) == ("acknowledged", "pam", "wu.min")
    assert {m.label: m.value for m in supervisor.metric}["acknowledged"] == "1"


@pytest.mark.parametrize(
    ("username", "action", "message"),
    [
        ("ana", rush_loop.approve, "may not approve a rush order"),
        ("pete", rush_loop.approve, "may not approve a rush order"),
        ("wu.min", rush_loop.reject, "may not reject a rush order"),
    ],
)
def test_roles_without_the_right_have_no_buttons_and_the_store_refuses_them(loops, username, action, message):
    first = saved(loops)
    app = loops.open(username, PAGE)
    assert not {b.key for b in app.get("form_submit_button")} & {"rp_approve", "rp_reject", "rp_ack"}
    with pytest.raises(Refused, match=message):
        action(loops.store, actor(username), first["id"], comment="x")


def test_an_analyst_cannot_propose_and_customer_service_must_name_the_order(loops):
    assert not loops.open("ana", PAGE).get("form_submit_button")
    with pytest.raises(Refused, match="may not propose a rush order"):
        saved(loops, "ana")
    app = loops.open("cas", PAGE)
    assert "rp_submit" in {b.key for b in app.get("form_submit_button")}
    with pytest.raises(Refused, match="name the order"):
        saved(loops, "cas")
    assert saved(loops, "cas", customer_order="tmall:T1")["state"] == "proposed"


def test_the_gantt_frames_the_rush_orders_in_the_plan():
    start = pd.Timestamp("2026-11-21 08:00")
    frame = pd.DataFrame(
        {
            "production_order_id": ["PO-1", "RUSH-00001"],
            "operation_seq": [10, 10],
            "operation_name": ["cut", "cut"],
            "machine_id": ["CUT-01", "CUT-02"],
            "planned_start_utc": [start, start],
            "planned_end_utc": [start + pd.Timedelta(hours=2)] * 2,
            "due_at_utc": [start + pd.Timedelta(days=2)] * 2,
            "customer_tier": ["B", "A"],
        }
    )
    args = dict(late_orders=set(), tz="UTC", as_of_local=start)
    figure = gantt(frame, "machine", "plan", **args, rush_orders=frozenset({"RUSH-00001"}))
    (framed,) = [trace for trace in figure.data if trace.name == "rush order"]
    assert list(framed.y) == ["CUT-02"]
    assert not [trace for trace in gantt(frame, "machine", "plan", **args).data if trace.name == "rush order"]


def test_with_the_store_down_nobody_can_propose_and_the_page_says_why(loops, monkeypatch):
    monkeypatch.setenv("OMNIOPS_DB_URL", dead_server_url())
    app = loops.open("pete", PAGE)
    assert texts(app, "warning")[0].startswith("Actions are unavailable")
    assert not app.get("form_submit_button")
    assert "No rush proposal yet." in texts(app, "info")  # the last run's copy: none yet
