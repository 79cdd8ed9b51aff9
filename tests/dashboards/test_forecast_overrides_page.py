"""Planner overrides on the forecast page: saved with the reason through the store, refused without one,
replaced and removed, read only for other roles, scored once their month is over, and no actions when
the operational store is down. The built instance's warehouse, a fresh store per test (``loops``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboards.formatting import fmt_number
from dashboards.sections.forecast_overrides import override_gain
from decisions import forecast_overrides
from decisions.errors import Refused
from decisions.tables import audit_log
from tests.dashboards.loopkit import actor, dead_server_url, texts

PAGE = "forecast"
BUTTONS = {"fo_save", "fo_remove"}


def busiest_consensus_month(built_instance) -> tuple[str, str, str, date, float]:
    """(unique_id, sku, channel, month, published yhat) of the largest monthly consensus number."""
    return built_instance.query(
        "select unique_id, sku, channel, ds, yhat from forecasting.demand_forecast "
        "where as_of = (select max(as_of) from forecasting.demand_forecast) and freq = 'MS' "
        "and model = 'consensus' order by yhat desc, unique_id, ds limit 1"
    )[0]


def choose(app, sku: str, channel: str, month: date):
    app.selectbox(key="fo_sku").set_value(sku).run()
    app.selectbox(key="fo_channel").set_value(channel).run()
    app.selectbox(key="fo_month").set_value(f"{month:%Y-%m}").run()
    assert not app.exception, app.exception
    return app


def overrides_shown(app) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if "replaced" in frame.value.columns)


def test_a_planner_saves_an_override_only_with_a_reason_and_sees_what_it_replaced(loops, built_instance):
    uid, sku, channel, month, published = busiest_consensus_month(built_instance)
    app = choose(loops.open("pete", PAGE), sku, channel, month)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Published forecast"] == f"{fmt_number(published)} units"
    assert shown["Forecast by"] == "model blended with the sales team (consensus)"
    assert "No planner override yet." in texts(app, "info")

    app.number_input(key="fo_qty").set_value(250)
    app.button(key="fo_save").click().run()
    assert texts(app, "error") == ["Not saved: give a reason: the override is scored and read by others"]
    assert forecast_overrides.list_overrides(loops.store) == []

    app.text_input(key="fo_reason").set_value("key account promotion in <b>December</b>")
    app.button(key="fo_save").click().run()
    assert not app.exception, app.exception
    (saved,) = texts(app, "success")
    assert saved.startswith(f"Override saved: {sku} · {channel}") and "`omniops run`" in saved
    (row,) = forecast_overrides.list_overrides(loops.store)
    assert (row["unique_id"], row["ds"], row["quantity"], row["set_by"]) == (uid, month, 250.0, "pete")
    assert row["reason"] == "key account promotion in <b>December</b>"
    assert row["replaced"] == pytest.approx(published)  # kept with the override, not only in the vintages
    table = overrides_shown(app)
    assert table[["series", "month", "quantity", "set_by"]].values.tolist() == [
        [f"{sku} · {channel}", f"{month:%Y-%m}", 250.0, "pete"]
    ]
    assert table["replaced"].iloc[0] == pytest.approx(published)
    assert table["reason"].iloc[0] == row["reason"]  # a table cell shows the text as stored
    assert pd.isna(table["actual"].iloc[0])  # a month not over yet is not scored


def test_a_manager_replaces_and_removes_an_override_and_the_audit_log_keeps_both(loops, built_instance):
    uid, sku, channel, month, _ = busiest_consensus_month(built_instance)
    forecast_overrides.set_override(loops.store, actor("pete"), uid, "MS", month, 250, "promotion")
    app = choose(loops.open("mia", PAGE), sku, channel, month)
    assert any(
        text.startswith("This month already has an override: 250 units by pete")
        for text in texts(app, "info")
    )
    app.number_input(key="fo_qty").set_value(180)
    app.text_input(key="fo_reason").set_value("promotion moved to January")
    app.button(key="fo_save").click().run()
    (row,) = forecast_overrides.list_overrides(loops.store)
    assert (row["quantity"], row["set_by"], row["version"]) == (180.0, "mia", 2)
    assert len(overrides_shown(app)) == 1

    assert app.selectbox(key="fo_pick").value == row["id"]
    app.button(key="fo_remove").click().run()
    assert not app.exception, app.exception
    assert texts(app, "success")[0].startswith("Override removed:")
    assert forecast_overrides.list_overrides(loops.store) == []
    assert "No planner override yet." in texts(app, "info")
    with loops.store.read() as conn:
        actions = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.actor).where(audit_log.c.entity_id == row["id"])
        )
        assert actions.all() == [
            ("forecast.override", "pete"),
            ("forecast.override", "mia"),
            ("forecast.override.remove", "mia"),
        ]


def test_other_roles_see_the_overrides_read_only_and_the_store_refuses_them(loops, built_instance):
    uid, *_, month, _ = busiest_consensus_month(built_instance)
    forecast_overrides.set_override(loops.store, actor("pete"), uid, "MS", month, 250, "promotion")
    app = loops.open("ana", PAGE)
    assert "Read only: planners and managers override the forecast." in texts(app, "info")
    assert not {b.key for b in app.get("form_submit_button")} & BUTTONS
    assert overrides_shown(app)["set_by"].tolist() == ["pete"]
    with pytest.raises(Refused, match="may not override the forecast"):
        forecast_overrides.set_override(loops.store, actor("ana"), uid, "MS", month, 1, "mine")
    with pytest.raises(Refused, match="may not override the forecast"):
        forecast_overrides.remove_override(
            loops.store, actor("ana"), forecast_overrides.list_overrides(loops.store)[0]["id"]
        )


def test_a_month_that_is_over_is_scored_against_its_actuals(loops, built_instance):
    (as_of,) = built_instance.query("select max(as_of) from forecasting.demand_forecast")[0]
    month = (pd.Timestamp(as_of).replace(day=1) - pd.DateOffset(months=1)).date()
    sku, channel, actual = built_instance.query(
        "select sku, channel, sum(greatest(net_quantity, 0)) from marts.fct_demand_daily "
        "where date_trunc('month', demand_date) = ? group by all order by 3 desc, 1, 2 limit 1",
        [month],
    )[0]
    forecast_overrides.set_override(
        loops.store, actor("pete"), f"{sku}|{channel}", "MS", month, 10, "back-test"
    )
    table = overrides_shown(loops.open("pete", PAGE))
    assert table["actual"].iloc[0] == pytest.approx(float(actual))
    assert table["override_error"].iloc[0] == pytest.approx(abs(10 - float(actual)))


def test_the_gain_is_how_much_closer_the_override_came_than_the_number_it_replaced():
    gain = override_gain(
        pd.Series([120.0, 80.0, 100.0]), pd.Series([100.0, 100.0, 90.0]), pd.Series([120.0] * 3)
    )
    assert gain.tolist() == [20.0, -20.0, 10.0]


def test_with_the_store_down_the_overrides_say_actions_are_unavailable(loops, monkeypatch):
    monkeypatch.setenv("OMNIOPS_DB_URL", dead_server_url())
    app = loops.open("pete", PAGE)
    (warning,) = texts(app, "warning")
    assert warning.startswith("Actions are unavailable") and "“override”" in warning
    assert not {b.key for b in app.get("form_submit_button")} & BUTTONS
    assert "Planner overrides" in [s.value for s in app.subheader]
    assert "Stock-out risk" in {m.label for m in app.metric}  # the rest of the page reads the warehouse
