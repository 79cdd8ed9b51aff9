"""The daily close sign-off on the store: records and variances from the run, reasons, signing, the
lock and its revisions, the supervisor's scope, the manager's view — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from decisions import close_loop
from decisions.errors import BadInput, Conflict, Refused
from decisions.people import Actor
from decisions.roles import MAY
from tests.decisions.conftest import PEOPLE, T0

DAY = date(2026, 11, 21)
WU = Actor("wu.min", "supervisor")  # owns SEW in decision_owners.csv
MIA = PEOPLE["mia"]


def output_row(day=DAY, wc="SEW", order="PO-1", seq=20, within=False, variance=-12) -> dict:
    return {
        "shift_date": day,
        "work_center": wc,
        "production_order_id": order,
        "operation_seq": seq,
        "planned_qty": 100,
        "good_count": 100 + variance,
        "variance": variance,
        "within_tolerance": within,
        "reason": "breakdown",
        "reason_detail": "55 min of breakdowns on SEW-02",
    }


def material_row(day=DAY, wc="SEW", flagged=True) -> dict:
    return {
        "shift_date": day,
        "work_center": wc,
        "production_order_id": "PO-1",
        "operation_seq": 20,
        "component": "FAB-01",
        "standard_qty": 50.0,
        "actual_qty": 58.0,
        "unexplained": 6.5,
        "flagged": flagged,
        "reason": "over-consumption",
    }


def synced(store, output=None, material=None, now=T0) -> dict:
    output = output if output is not None else [output_row(), output_row(order="PO-2", within=True)]
    material = material if material is not None else [material_row()]
    return close_loop.sync_close(store, output, material, now=now)


def explain(store, variance_id, actor=WU, **kw):
    args = {"reason_code": "MACHINE_BREAKDOWN", "comment": "spindle", "corrective_action": "PM moved up"}
    return close_loop.explain(store, actor, variance_id, **{**args, **kw})


CID = "2026-11-21/SEW"
V_OUT, V_MAT = f"{CID}/PO-1/20", f"{CID}/PO-1/20/FAB-01"


def test_the_run_opens_one_record_per_day_and_work_centre_with_its_variances(store):
    counts = synced(store, output=[output_row(), output_row(wc="CUT", within=True), output_row(within=True)])
    assert counts == {"days": 2, "variances": 2, "reopened": 0}
    days = {d["id"]: d for d in close_loop.show(store, DAY)}
    assert set(days) == {CID, "2026-11-21/CUT"}
    assert (days[CID]["owner"], days[CID]["state"], days["2026-11-21/CUT"]["owner"]) == (
        "wu.min",
        "open",
        "zhao.lei",
    )
    assert [v["id"] for v in days[CID]["variances"]] == [V_OUT, V_MAT]
    assert days[CID]["variances"][0]["system_reason"] == "breakdown: 55 min of breakdowns on SEW-02"
    assert days["2026-11-21/CUT"]["variances"] == []
    assert synced(store, output=[output_row()]) == {"days": 0, "variances": 0, "reopened": 0}


def test_only_the_last_fourteen_days_are_opened(store):
    old, recent = DAY - timedelta(days=14), DAY - timedelta(days=13)
    synced(store, output=[output_row(), output_row(day=old), output_row(day=recent)], material=[])
    assert {d["day"] for d in close_loop.show(store)} == {DAY, recent}


def test_a_day_cannot_be_signed_while_a_variance_has_no_reason(store):
    synced(store)
    explain(store, V_OUT)
    with pytest.raises(Refused, match=f"cannot be signed: 1 variance\\(s\\) without a reason: {V_MAT}"):
        close_loop.sign(store, WU, CID)
    explain(store, V_MAT, reason_code="BOM_ERROR", action_due="2026-11-25")
    signed = close_loop.sign(store, WU, CID, now=T0 + timedelta(hours=1))
    assert (signed["state"], signed["signed_by"], signed["revision"]) == ("signed", "wu.min", 1)


def test_a_signed_day_is_locked_and_a_change_is_a_new_revision(store):
    synced(store, material=[])
    explain(store, V_OUT)
    close_loop.sign(store, WU, CID, now=T0)
    with pytest.raises(
        Refused, match="signed by wu.min at 2026-12-01 08:00:00 UTC .*locked: reopen it first"
    ):
        explain(store, V_OUT, comment="changed my mind")
    reopened = close_loop.reopen(store, MIA, CID, reason="wrong reason code")
    assert (reopened["state"], reopened["revision"], reopened["reopen_reason"]) == (
        "open",
        2,
        "wrong reason code",
    )
    explain(store, V_OUT, reason_code="LABOUR")
    assert close_loop.sign(store, WU, CID)["revision"] == 2


def test_a_new_variance_from_a_later_run_reopens_a_signed_day(store):
    synced(store, material=[])
    explain(store, V_OUT)
    close_loop.sign(store, WU, CID)
    assert synced(store) == {"days": 0, "variances": 1, "reopened": 1}  # the material variance arrived
    day = close_loop.show(store, DAY, "SEW")[0]
    assert (day["state"], day["revision"]) == ("open", 2)
    with pytest.raises(Refused, match="without a reason"):
        close_loop.sign(store, WU, CID)


def test_a_sign_on_a_day_someone_changed_since_is_told_to_reload(store):
    synced(store, material=[])
    seen = close_loop.show(store, DAY, "SEW")[0]["version"]
    explain(store, V_OUT, now=T0 + timedelta(minutes=2))
    with pytest.raises(Conflict, match="changed by wu.min at 2026-12-01 08:02:00 UTC.*reload"):
        close_loop.sign(store, MIA, CID, version=seen)


def test_a_supervisor_acts_only_on_their_own_work_centres(store):
    synced(store)
    with pytest.raises(Refused, match="zhao.lei does not own work centre SEW \\(its owner is wu.min\\)"):
        explain(store, V_OUT, actor=Actor("zhao.lei", "supervisor"))
    explain(store, V_OUT, actor=MIA)  # the manager may


@pytest.mark.parametrize("name", list(PEOPLE))
def test_each_role_against_explain_and_sign(store, name):
    actor = PEOPLE[name]
    synced(store, material=[])
    if actor.role == "supervisor":
        actor = WU  # the owning supervisor
    if actor.role in MAY["close.explain"]:
        explain(store, V_OUT, actor=actor)
        assert close_loop.sign(store, actor, CID)["state"] == "signed"
    else:
        with pytest.raises(Refused, match="may not explain a daily-close variance"):
            explain(store, V_OUT, actor=actor)
        explain(store, V_OUT, actor=MIA)
        with pytest.raises(Refused, match="may not sign a daily close"):
            close_loop.sign(store, actor, CID)


def test_bad_reasons_are_refused(store):
    synced(store)
    with pytest.raises(BadInput, match="reason code 'LAZY' is not in daily_close_reasons.csv"):
        explain(store, V_OUT, reason_code="LAZY")
    with pytest.raises(BadInput, match="a corrective action is required"):
        explain(store, V_OUT, corrective_action=" ")
    assert close_loop.show(store, DAY, "SEW")[0]["variances"][0]["reason_code"] is None


def test_the_manager_view_lists_unsigned_days_and_overdue_corrective_actions(store):
    synced(store, output=[output_row(), output_row(wc="CUT", within=True)])
    explain(store, V_OUT, action_due=date(2026, 11, 23))
    explain(store, V_MAT, reason_code="BOM_ERROR", action_due=date(2026, 11, 30))
    close_loop.sign(store, WU, CID)
    view = close_loop.pending(store, today=date(2026, 11, 26))
    assert [d["id"] for d in view["unsigned"]] == ["2026-11-21/CUT"]
    assert [(v["id"], v["owner"]) for v in view["overdue_actions"]] == [(V_OUT, "wu.min")]
    close_loop.action_done(store, WU, V_OUT, now=datetime(2026, 11, 26, 9))  # allowed on a signed day
    assert close_loop.pending(store, today=date(2026, 11, 26))["overdue_actions"] == []
