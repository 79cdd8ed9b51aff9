"""Daily close sign-off on the page: a day cannot be signed while a variance lacks a reason, a signed day
is locked, a supervisor acts on their own work centres only, the manager's view, the store down."""

from __future__ import annotations

import pytest

from decisions import close_loop
from decisions.errors import Refused
from tests.dashboards.loopkit import CLOSE_ID, actor, dead_server_url, texts

PAGE = "daily_close"


def record(loops) -> dict:
    (day,) = close_loop.show(loops.store, work_center="SEW")
    return day


def explain_first(app, comment: str) -> None:
    app.selectbox(key="close_code").set_value("QUALITY_SCRAP")
    app.text_area(key="close_comment").set_value(comment)
    app.text_area(key="close_action").set_value("retrain on seam setting")
    app.button(key="close_explain_submit").click().run()


def test_the_owner_cannot_sign_until_every_variance_has_a_reason_then_the_day_is_locked(loops):
    app = loops.open("wu.min", PAGE)  # owns SEW; sees only their own work centres
    assert app.selectbox(key="dc_pick").value == CLOSE_ID
    app.button(key="close_sign_submit").click().run()
    (refusal,) = texts(app, "error")
    assert f"daily close {CLOSE_ID} cannot be signed: 2 variance(s) without a reason" in refusal
    assert record(loops)["state"] == "open"

    explain_first(app, "<b>bold</b> & <script>x</script>")
    first = record(loops)["variances"][0]
    assert first["comment"] == "<b>bold</b> & <script>x</script>"  # stored as given
    app.button(key="close_sign_submit").click().run()
    assert "1 variance(s) without a reason" in texts(app, "error")[0]

    app.selectbox(key="close_var").set_value(record(loops)["variances"][1]["id"])
    explain_first(app, "second")
    app.button(key="close_sign_submit").click().run()
    assert texts(app, "success") == [f"Daily close {CLOSE_ID} signed."]
    day = record(loops)
    assert (day["state"], day["signed_by"]) == ("signed", "wu.min")
    # Locked: no form to explain or sign any more; the reopen, and the follow-up of corrective actions.
    assert any("locked" in text for text in texts(app, "info"))
    buttons = {b.key for b in app.get("form_submit_button")}
    assert buttons == {"close_reopen_submit", "close_done_submit"}
    app.button(key="close_done_submit").click().run()
    done = [v for v in record(loops)["variances"] if v["action_done_at"] is not None]
    assert [v["action_done_by"] for v in done] == ["wu.min"]
    assert record(loops)["state"] == "signed"


def test_another_supervisor_has_no_buttons_and_the_store_refuses_them(loops):
    app = loops.open("zhao.lei", PAGE)  # owns CUT, not SEW
    app.toggle(key="dc_mine").set_value(False).run()
    assert app.selectbox(key="dc_pick").value == CLOSE_ID
    assert not app.get("form_submit_button")
    with pytest.raises(Refused, match="does not own work centre SEW"):
        close_loop.sign(loops.store, actor("zhao.lei"), CLOSE_ID)


@pytest.mark.parametrize("username", ["ana", "pete", "pam"])
def test_roles_without_the_right_read_only(loops, username):
    app = loops.open(username, PAGE)
    assert app.selectbox(key="dc_pick").options
    assert not app.get("form_submit_button")
    with pytest.raises(Refused, match="may not sign a daily close"):
        close_loop.sign(loops.store, actor(username), CLOSE_ID)


def test_the_manager_sees_unsigned_days_and_overdue_corrective_actions(loops):
    variance = record(loops)["variances"][0]["id"]
    close_loop.explain(
        loops.store,
        actor("mia"),
        variance,
        reason_code="LABOUR",
        comment="two absent",
        corrective_action="cover plan",
        action_due="2026-11-25",
    )
    app = loops.open("mia", PAGE)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Unsigned days"] == "1" and shown["Overdue corrective actions"] == "1"


def test_with_the_store_down_the_page_shows_the_last_run_and_no_action(loops, built_instance, monkeypatch):
    monkeypatch.setenv("OMNIOPS_DB_URL", dead_server_url())
    app = loops.open("mia", PAGE)
    assert texts(app, "warning")[0].startswith("Actions are unavailable")
    (days,) = built_instance.query("select count(*) from ops.close_days")[0]
    assert len(app.selectbox(key="dc_pick").options) == days > 0  # the warehouse's copy
    assert not app.get("form_submit_button")
