"""The T-3 closed loop on the store: every transition, the reopen rule, the escalation clock (with an
injected "now"), roles × actions and bad input — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from decisions import t3_loop
from decisions.errors import BadInput, Conflict, Refused
from decisions.notify import inbox
from decisions.roles import MAY
from decisions.tables import audit_log
from tests.decisions.conftest import PEOPLE, T0

PETE, MIA = PEOPLE["pete"], PEOPLE["mia"]


def register_row(warning_id="T3-00001", level="T-3", status="open", projected_late=True, **more) -> dict:
    """One row of the warehouse's T-3 register (scheduling.t3.WARNING_COLUMNS, the ones the store reads)."""
    return {
        "warning_id": warning_id,
        "production_order_id": f"PO-{warning_id[-2:]}",
        "sku": "SKU-1",
        "customer_tier": "A",
        "work_center": "SEW",
        "blocking_operation": "Sew body",
        "due_at": T0 + timedelta(days=2),
        "planned_completion": T0 + timedelta(days=3) if projected_late else T0 + timedelta(days=1),
        "projected_late": projected_late,
        "level": level,
        "status": status,
        "close_reason": "order done" if status == "closed" else None,
        **more,
    }


def opened(store, *rows) -> dict:
    t3_loop.sync_register(store, rows or [register_row()], now=T0)
    return t3_loop.get_warning(store, (rows[0] if rows else register_row())["warning_id"])


def ack(store, actor=PETE, warning_id="T3-00001", **kw):
    args = {"countermeasure": "overtime on SEW-02", "expected_recovery": date(2026, 12, 3), **kw}
    return t3_loop.acknowledge(store, actor, warning_id, **args)


def test_a_new_register_row_opens_a_warning_owned_by_the_work_centre_owner_and_notifies_them(store):
    counts = t3_loop.sync_register(store, [register_row()], now=T0)
    warning = t3_loop.get_warning(store, "T3-00001")
    assert counts["new"] == 1
    assert (warning["state"], warning["level"], warning["owner"], warning["version"]) == (
        "open",
        "T-3",
        "wu.min",
        1,
    )
    (note,) = inbox(store, "wu.min")
    assert note["kind"] == "new" and "T3-00001" in note["message"] and "PO-01" in note["message"]
    assert t3_loop.sync_register(store, [register_row()], now=T0)["new"] == 0  # the same run again: no change


def test_open_acknowledged_resolved(store):
    opened(store)
    warning = ack(store, action_owner="wu.min", version=1)
    assert (warning["state"], warning["acknowledged_by"], warning["action_owner"]) == (
        "acknowledged",
        "pete",
        "wu.min",
    )
    assert warning["expected_recovery"] == date(2026, 12, 3)
    warning = t3_loop.resolve(store, PETE, "T3-00001", action_taken="moved to SEW-03", root_cause="CAPACITY")
    stored = t3_loop.get_warning(store, "T3-00001")
    assert (stored["state"], stored["root_cause"], stored["closed_by"], stored["version"]) == (
        "resolved",
        "CAPACITY",
        "pete",
        3,
    )
    assert stored["expected_recovery"] == date(2026, 12, 3)


@pytest.mark.parametrize("first", ["open", "acknowledged"])
def test_cancel_from_open_or_acknowledged_with_a_reason(store, first):
    opened(store)
    if first == "acknowledged":
        ack(store)
    warning = t3_loop.cancel(store, MIA, "T3-00001", reason="customer moved the due date")
    assert (warning["state"], warning["close_reason"]) == ("cancelled", "customer moved the due date")


@pytest.mark.parametrize(
    "setup, action, message",
    [
        ([], "resolve", r"is open \(last changed by omniops .*only a warning that is acknowledged can be"),
        (["ack"], "ack", r"is acknowledged \(last changed by pete .*only a warning that is open can be"),
        (["ack", "resolve"], "cancel", r"is resolved \(.*only a warning that is open or acknowledged"),
        (["cancel"], "ack", r"is cancelled \(last changed by mia .*only a warning that is open"),
    ],
)
def test_a_transition_the_state_does_not_allow_is_refused_and_nothing_is_written(
    store, setup, action, message
):
    opened(store)
    steps = {
        "ack": lambda: ack(store),
        "resolve": lambda: t3_loop.resolve(store, PETE, "T3-00001", action_taken="x", root_cause="OTHER"),
        "cancel": lambda: t3_loop.cancel(store, MIA, "T3-00001", reason="x"),
    }
    for step in setup:
        steps[step]()
    before = t3_loop.get_warning(store, "T3-00001")
    with pytest.raises(Refused, match=message):
        steps[action]()
    assert t3_loop.get_warning(store, "T3-00001") == before


def test_acting_on_a_version_someone_else_changed_says_who_and_saves_nothing(store):
    opened(store)
    ack(store, actor=MIA, version=1, now=T0 + timedelta(minutes=3))
    with pytest.raises(Conflict, match="changed by mia at 2026-12-01 08:03:00 UTC.*reload"):
        ack(store, actor=PETE, version=1, countermeasure="subcontract")
    assert t3_loop.get_warning(store, "T3-00001")["countermeasure"] == "overtime on SEW-02"


def test_a_resolved_warning_reopens_when_the_next_plan_still_finishes_the_order_late(store):
    opened(store, register_row(), register_row("T3-00002"))
    for warning_id in ("T3-00001", "T3-00002"):
        ack(store, warning_id=warning_id)
        t3_loop.resolve(store, PETE, warning_id, action_taken="overtime", root_cause="CAPACITY")
    later = T0 + timedelta(hours=20)
    rows = [register_row(projected_late=True), register_row("T3-00002", projected_late=False)]
    counts = t3_loop.sync_register(store, rows, now=later)
    late, saved = t3_loop.get_warning(store, "T3-00001"), t3_loop.get_warning(store, "T3-00002")
    assert counts["reopened"] == 1
    assert (late["state"], late["reopened"], late["level_since"], late["countermeasure"]) == (
        "open",
        1,
        later,
        None,
    )
    assert saved["state"] == "resolved"
    assert [n["kind"] for n in inbox(store, "wu.min")] == ["reopened", "new", "new"]


def test_a_warning_whose_order_ended_is_closed_by_the_pipeline(store):
    opened(store, register_row(), register_row("T3-00002"))
    ack(store, warning_id="T3-00002")
    t3_loop.resolve(store, PETE, "T3-00002", action_taken="done", root_cause="OTHER")
    rows = [register_row(status="closed"), register_row("T3-00002", status="closed")]
    assert t3_loop.sync_register(store, rows, now=T0 + timedelta(days=1))["closed"] == 1
    closed = t3_loop.get_warning(store, "T3-00001")
    assert (closed["state"], closed["closed_by"], closed["close_reason"]) == (
        "closed",
        "omniops",
        "order done",
    )
    assert t3_loop.get_warning(store, "T3-00002")["state"] == "resolved"


def test_the_days_left_rule_raises_the_level_and_hands_the_warning_to_the_next_owner(store):
    opened(store)
    t3_loop.sync_register(store, [register_row(level="T-1")], now=T0 + timedelta(days=1))
    warning = t3_loop.get_warning(store, "T3-00001")
    assert (warning["level"], warning["owner"]) == ("T-1", "manager")
    assert [n["kind"] for n in inbox(store, "manager")] == ["climbed"]
    t3_loop.sync_register(store, [register_row(level="T-3")], now=T0 + timedelta(days=2))
    assert t3_loop.get_warning(store, "T3-00001")["level"] == "T-1"  # the level never goes down


def test_the_escalation_clock_climbs_an_unacknowledged_warning_one_level_per_period(store):
    opened(store, register_row(), register_row("T3-00002"))
    ack(store, warning_id="T3-00002")
    hour = timedelta(hours=1)
    assert t3_loop.escalate(store, now=T0 + 8 * hour - timedelta(seconds=1)) == []
    climbs = t3_loop.escalate(store, now=T0 + 8 * hour)  # seed: T-3 has 8 h to acknowledge
    assert [(c["warning_id"], c["from"], c["to"], c["owner"]) for c in climbs] == [
        ("T3-00001", "T-3", "T-2", "wu.min")
    ]
    # Left alone for a day: T-2 (4 h) → T-1 (2 h) → overdue, each period counted from the last climb.
    climbs = t3_loop.escalate(store, now=T0 + 32 * hour)
    assert [(c["to"], c["at"], c["owner"]) for c in climbs] == [
        ("T-1", T0 + 12 * hour, "manager"),
        ("overdue", T0 + 14 * hour, "manager"),
    ]
    assert t3_loop.escalate(store, now=T0 + 100 * hour) == []  # the top rung does not climb
    assert t3_loop.get_warning(store, "T3-00002")["level"] == "T-3"  # acknowledged: the clock stopped
    kinds = [(n["kind"], n["recipient"]) for n in inbox(store, "manager")]
    assert kinds == [("climbed", "manager"), ("climbed", "manager")]


ACTIONS = {
    "warning.acknowledge": lambda store, actor: ack(store, actor=actor),
    "warning.resolve": lambda store, actor: t3_loop.resolve(
        store, actor, "T3-00001", action_taken="x", root_cause="OTHER"
    ),
    "warning.cancel": lambda store, actor: t3_loop.cancel(store, actor, "T3-00001", reason="x"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("name", list(PEOPLE))
def test_each_role_against_each_action(store, action, name):
    actor = PEOPLE[name]
    opened(store)
    if action == "warning.resolve":
        ack(store, actor=MIA)
    with store.read() as conn:
        audits = conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar()
    if actor.role in MAY[action]:
        ACTIONS[action](store, actor)
        assert t3_loop.get_warning(store, "T3-00001")["updated_by"] == actor.username
    else:
        with pytest.raises(Refused, match=f"{actor.username} \\({actor.role}\\) may not"):
            ACTIONS[action](store, actor)
        with store.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar() == audits


def test_the_analyst_reads_only_and_the_manager_may_do_everything():
    assert not any("analyst" in roles for roles in MAY.values())
    assert all("manager" in roles for roles in MAY.values())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countermeasure": "  "}, "a countermeasure is required"),
        ({"expected_recovery": "3 Dec"}, "expected recovery date '3 Dec': use YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_with_the_reason(store, kwargs, message):
    opened(store)
    with pytest.raises(BadInput, match=message):
        ack(store, **kwargs)
    ack(store)
    with pytest.raises(
        BadInput, match="root cause 'BAD LUCK' is not in t3_root_causes.csv: MATERIAL_SHORTAGE"
    ):
        t3_loop.resolve(store, PETE, "T3-00001", action_taken="x", root_cause="BAD LUCK")
    assert t3_loop.get_warning(store, "T3-00001")["state"] == "acknowledged"


def test_free_text_is_stored_exactly_as_given(store):
    opened(store)
    text = "<b>加班</b> & 'quotes' \"double\"; drop table t3_warnings; --"
    assert ack(store, countermeasure=text)["countermeasure"] == text
    assert t3_loop.get_warning(store, "T3-00001")["countermeasure"] == text
