"""My inbox: T-3 warnings acknowledged, resolved and cancelled on the page, per role, with the store's
role check, optimistic locking, escaped free text and the store down or locked."""

from __future__ import annotations

import sqlite3

import pytest

from decisions import t3_loop
from decisions.errors import Refused
from tests.dashboards.loopkit import WARNING, actor, dead_server_url, texts

PAGE = "inbox"
SCRIPT = "<script>alert('x')</script> overtime *now*"


def acknowledge_on(app, countermeasure: str = SCRIPT):
    app.text_area(key="t3_ack_measure").set_value(countermeasure)
    return app.button(key="t3_ack_submit").click().run()


def test_a_planner_acknowledges_and_another_session_sees_it_at_once(loops):
    manager = loops.open("mia", PAGE)
    assert "open" in manager.selectbox(key="ib_pick").options[0]
    planner = loops.open("pete", PAGE)
    before = loops.audit_rows()
    acknowledge_on(planner)
    assert not planner.exception, planner.exception
    assert texts(planner, "success") == [f"Warning {WARNING} acknowledged."]
    saved = t3_loop.get_warning(loops.store, WARNING)
    assert (saved["state"], saved["acknowledged_by"]) == ("acknowledged", "pete")
    assert saved["countermeasure"] == SCRIPT  # stored as given
    assert loops.audit_rows() == before + 1
    # Shown escaped: the Markdown detail holds the text with its specials escaped, never as HTML.
    detail = "\n".join(texts(planner, "markdown"))
    assert "\\<script\\>alert('x')\\</script\\> overtime \\*now\\*" in detail
    # The manager's session, without a run of the pipeline, reads the store on its next rerun.
    manager.run()
    assert "acknowledged" in manager.selectbox(key="ib_pick").options[0]
    assert "- **acknowledged by**: pete" in "\n".join(texts(manager, "markdown"))
    # Now the planner may resolve it, with a root cause from the seed list.
    planner.text_area(key="t3_res_action").set_value("moved to SEW-03")
    planner.selectbox(key="t3_res_cause").set_value("CAPACITY")
    planner.button(key="t3_res_submit").click().run()
    assert t3_loop.get_warning(loops.store, WARNING)["root_cause"] == "CAPACITY"


def test_a_stale_form_says_who_changed_it_and_saves_nothing(loops):
    planner = loops.open("pete", PAGE)
    t3_loop.acknowledge(  # the manager, in another session, first
        loops.store, actor("mia"), WARNING, countermeasure="mine", expected_recovery="2026-12-04"
    )
    acknowledge_on(planner, "theirs")
    (error,) = texts(planner, "error")
    assert "was changed by mia at" in error and "reload" in error
    assert t3_loop.get_warning(loops.store, WARNING)["countermeasure"] == "mine"


@pytest.mark.parametrize("username", ["ana", "pam"])
def test_a_role_without_the_right_has_no_buttons_and_the_store_refuses_it(loops, username):
    app = loops.open(username, PAGE)
    assert not app.get("form_submit_button")
    with pytest.raises(Refused, match="may not acknowledge a T-3 warning"):
        t3_loop.acknowledge(
            loops.store, actor(username), WARNING, countermeasure="x", expected_recovery="2026-12-04"
        )


def test_a_role_taken_away_after_sign_in_is_refused_by_the_store(loops):
    # The session still says planner (buttons shown); the users' configuration now says analyst.
    app = loops.open("ana", PAGE, role="planner")
    acknowledge_on(app)
    (error,) = texts(app, "error")
    assert "ana (analyst) may not acknowledge a T-3 warning" in error
    assert t3_loop.get_warning(loops.store, WARNING)["state"] == "open"


def test_a_supervisor_sees_the_warnings_they_own(loops):
    owner = loops.open("wu.min", PAGE)  # SEW's owner
    assert owner.toggle(key="ib_mine").value is True
    assert owner.selectbox(key="ib_pick").options
    other = loops.open("zhao.lei", PAGE)
    assert "No T-3 warning in these states." in texts(other, "info")


def test_with_the_store_down_the_page_reads_the_warehouse_and_offers_no_action(loops, monkeypatch):
    monkeypatch.setenv("OMNIOPS_DB_URL", dead_server_url())
    app = loops.open("pete", PAGE)
    (notice,) = texts(app, "warning")
    assert notice.startswith("Actions are unavailable")
    assert not app.get("form_submit_button")


def test_with_the_store_locked_an_action_says_so_and_writes_nothing(loops):
    app = loops.open("pete", PAGE)
    before = loops.audit_rows()
    holder = sqlite3.connect(loops.store.url.database, isolation_level=None)
    holder.execute("begin exclusive")
    try:
        acknowledge_on(app)
    finally:
        holder.execute("rollback")
        holder.close()
    (error,) = texts(app, "error")
    assert error.startswith("Actions are unavailable") and "Nothing was saved" in error
    assert t3_loop.get_warning(loops.store, WARNING)["state"] == "open"
    assert loops.audit_rows() == before


def test_in_chinese_the_page_and_its_buttons_are_in_chinese(loops):
    app = loops.open("pete", PAGE, language="zh")
    assert app.title[0].value == "我的收件箱"
    assert app.button(key="t3_ack_submit").label == "确认"
