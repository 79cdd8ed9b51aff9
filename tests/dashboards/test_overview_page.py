"""The overview page renders on a real published warehouse and shows the warehouse's KPI values."""

from __future__ import annotations

import os

import pytest

from tests.dashboards.appkit import open_app


@pytest.fixture()
def app(built_instance, monkeypatch):
    return open_app(built_instance.home, monkeypatch, role="manager")


def test_overview_renders_the_three_kpis_of_the_latest_complete_month(app, built_instance):
    app.run()
    assert not app.exception, app.exception
    period, otd, oee, days = built_instance.query(
        "select period, "
        "max(case when kpi = 'otd_rate' then value end), max(case when kpi = 'oee' then value end), "
        "max(case when kpi = 'inventory_days' then value end) "
        "from marts.kpi_monthly where period_type = 'month' and is_complete "
        "group by period order by period desc limit 1"
    )[0]
    assert app.selectbox[0].value == period
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["On-time delivery"] == f"{100 * otd:.1f} %"
    assert metrics["OEE"] == f"{100 * oee:.1f} %"
    assert metrics["Inventory days"] == f"{days:.0f} days"
    assert len(app.get("plotly_chart")) == 4


def test_choosing_the_whole_history_shows_the_history_values(app, built_instance):
    app.run()
    app.selectbox[0].select("Whole history").run()
    assert not app.exception
    (otd,) = built_instance.query(
        "select value from marts.kpi_monthly where kpi = 'otd_rate' and period_type = 'history'"
    )[0]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["On-time delivery"] == f"{100 * otd:.1f} %"


def test_without_a_published_warehouse_the_app_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    app = open_app(tmp_path, monkeypatch, role="manager")
    assert not app.exception
    assert "omniops run" in app.warning[0].value
    assert os.environ["OMNIOPS_HOME"] == str(tmp_path)
