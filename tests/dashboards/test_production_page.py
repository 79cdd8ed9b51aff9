"""The production page on the built demo company's published warehouse: KPIs, Gantt, bottlenecks, T-3,
daily close, and the rush-order what-if re-solving the stored problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from tests.dashboards.appkit import open_app

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "views/production.py"


def open_page(home: Path, monkeypatch) -> AppTest:
    return open_app(home, monkeypatch, role="planner", page=PAGE, timeout=90)


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_page_shows_the_plan_and_its_figures(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    runs = dict(built_instance.query("select method, late_orders from production.schedule_runs"))
    got = metrics(app)
    assert got["Late orders (CP-SAT)"] == str(runs["cpsat"])
    top = built_instance.query("select work_center from production.work_center_load where rank = 1")[0][0]
    assert got["Bottleneck"] == top
    open_w = built_instance.query("select count(*) from production.t3_warnings where status = 'open'")[0][0]
    assert got["Open warnings"] == str(open_w)
    charts = [c for c in app.get("plotly_chart")]
    assert len(charts) >= 3  # Gantt, load, daily-close trend


def test_gantt_by_order_and_other_methods(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    app.radio(key="pr_by").set_value("order").run()
    app.selectbox(key="pr_method").set_value("edd").run()
    assert not app.exception, app.exception


def test_rush_order_what_if(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    sku = built_instance.query(
        "select sku from staging.stg_erp__routings group by sku order by count(*) desc, sku limit 1"
    )[0][0]
    app.selectbox(key="rush_sku").set_value(sku)
    app.number_input(key="rush_qty").set_value(50)
    app.number_input(key="rush_limit").set_value(2)
    form_button = [b for b in app.get("form_submit_button")]
    form_button[0].click().run()
    assert not app.exception, app.exception
    got = metrics(app)
    assert "Orders delayed" in got and "Rush order done" in got
    assert int(got["Orders delayed"]) >= 0
    assert not [e.value for e in app.error]


def test_page_without_production_tables_says_what_to_do(built_instance, tmp_path, monkeypatch):
    (tmp_path / "warehouse").mkdir()
    db = tmp_path / "warehouse" / "omniops.duckdb"
    shutil.copyfile(built_instance.published_db, db)
    with duckdb.connect(str(db)) as conn:
        conn.execute("drop schema production cascade")
    app = open_page(tmp_path, monkeypatch)
    assert any("omniops run" in i.value for i in app.info)
