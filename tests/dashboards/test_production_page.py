"""The production page on the built demo company's published warehouse: KPIs, Gantt, bottlenecks, T-3,
daily close, and the rush-order what-if re-solving the stored problem."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from tests.dashboards.appkit import freshness, open_app

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
    assert got["Late orders (optimised plan)"] == str(runs["cpsat"])
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
    """A late rush order said "done 01-07, late" with no reason; the delayed orders lacked due date, tier
    and SKU and showed 10 rows."""
    app = open_page(built_instance.home, monkeypatch)
    sku = built_instance.query(
        "select sku from staging.stg_erp__routings group by sku order by count(*) desc, sku limit 1"
    )[0][0]
    (as_of,) = built_instance.query("select max(as_of) from production.schedule_runs")[0]
    app.selectbox(key="rush_sku").set_value(sku)
    app.number_input(key="rush_qty").set_value(5000)
    app.date_input(key="rush_due").set_value(as_of.date())
    app.get("form_submit_button")[0].click().run()
    assert not app.exception, app.exception
    got = metrics(app)
    assert "Orders delayed" in got and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", got["Rush order done"])
    assert not [e.value for e in app.error]
    (late,) = [w.value for w in app.warning if w.value.startswith("Late: the earliest")]
    assert re.search(
        r"is \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(plant time\); even then it waits [\d,]+ plant minutes", late
    )
    delayed = next(f for f in app.dataframe if "delay_hours" in f.value.columns)
    assert {"due_at_utc", "customer_tier", "sku", "completion_after"} <= set(delayed.value.columns)
    assert len(delayed.value) == int(got["Orders delayed"])


def test_the_what_if_is_limited_per_user_with_a_clear_message(built_instance, monkeypatch):
    from dashboards.sections.production_rush import WHAT_IFS, WHAT_IFS_PER_WINDOW

    app = open_page(built_instance.home, monkeypatch)
    for _ in range(WHAT_IFS_PER_WINDOW):
        WHAT_IFS.fail("user:test-planner")
    try:
        app.get("form_submit_button")[0].click().run()
    finally:
        WHAT_IFS.clear("user:test-planner")
    assert not app.exception, app.exception
    (warning,) = [w.value for w in app.warning if "rush orders in the last" in w.value]
    assert f"You have tried {WHAT_IFS_PER_WINDOW} rush orders in the last 10 minutes" in warning
    assert "Rush order done" not in metrics(app)


def test_page_without_production_tables_says_what_to_do(built_instance, tmp_path, monkeypatch):
    (tmp_path / "warehouse").mkdir()
    db = tmp_path / "warehouse" / "omniops.duckdb"
    shutil.copyfile(built_instance.published_db, db)
    with duckdb.connect(str(db)) as conn:
        conn.execute("drop schema production cascade")
    app = open_page(tmp_path, monkeypatch)
    assert any("omniops run" in i.value for i in app.info)


def numbers(text: str) -> list[str]:
    """The figures in a shown value, whatever the language around them."""
    return re.findall(r"\d[\d,.:-]*", text)


def spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def test_the_freshness_line_names_every_landed_source(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    line = freshness(app)
    sources = [row[0] for row in built_instance.query("select distinct source from landing.file_ledger")]
    assert {"erp", "mes"} <= set(sources)
    assert all(f"{source} " in line for source in sources)


def test_in_chinese_the_page_shows_the_same_figures_under_chinese_labels(built_instance, monkeypatch):
    english = open_page(built_instance.home, monkeypatch)
    chinese = open_app(built_instance.home, monkeypatch, role="planner", page=PAGE, language="zh", timeout=90)
    assert chinese.title[0].value == "生产"
    assert [tab.label for tab in chinese.tabs] == ["甘特图", "瓶颈", "T-3 预警", "日清日结", "插单模拟"]
    assert next(c.value for c in chinese.caption if c.value.startswith("最近落地时间"))
    en = [(m.label, numbers(m.value)) for m in english.metric]
    zh = [(m.label, numbers(m.value)) for m in chinese.metric]
    assert [n for _, n in zh] == [n for _, n in en] and len(en) >= 10
    got = metrics(chinese)
    assert got["延期订单（优化计划）"] == metrics(english)["Late orders (optimised plan)"]
    assert got["未关闭预警"] == metrics(english)["Open warnings"]
    assert got["瓶颈"] == metrics(english)["Bottleneck"]
    # The tables keep their data (and column names); only the headers and the pipeline's words change.
    assert [len(frame.value) for frame in chinese.dataframe] == [
        len(frame.value) for frame in english.dataframe
    ]

    chinese.radio(key="pr_by").set_value("order").run()
    chinese.selectbox(key="pr_method").set_value("edd").run()
    assert not chinese.exception, chinese.exception
    assert chinese.radio(key="pr_by").options == ["设备", "订单"]
    assert any(
        spec(chart)["layout"].get("title", {}).get("text") == "最早交期优先 EDD（派工规则）"
        for chart in chinese.get("plotly_chart")
    )


def test_gantt_draws_every_operation_in_the_window_and_outlines_the_late_orders(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    days = app.slider(key="pr_days").value
    operations, late = built_instance.query(
        "select count(*), count(*) filter (where o.is_late) from production.schedule s "
        "join production.schedule_orders o using (method, production_order_id) "
        "where s.method = 'cpsat' and s.planned_start_utc < s.as_of + to_days(?)",
        [days],
    )[0]
    gantt = next(chart for chart in app.get("plotly_chart") if "CP-SAT (optimised)" in chart.proto.spec)
    bars = [trace for trace in spec(gantt)["data"] if trace["type"] == "bar"]
    outlined = [trace for trace in bars if trace.get("marker", {}).get("line", {}).get("color") == "#cf222e"]
    assert [trace["name"] for trace in outlined] == ["planned late"]
    assert sum(len(trace["y"]) for trace in bars if trace not in outlined) == operations > 0
    assert len(outlined[0]["y"]) == late


def signals(app: AppTest) -> list[tuple[str, int, int]]:
    """Each metric's delta as the reader sees it: its sign, Streamlit's arrow direction and its colour."""
    return [
        (m.proto.delta[:1] if m.proto.delta[:1] in "+-" else "", m.proto.direction, m.proto.color)
        for m in app.metric
        if m.proto.delta
    ]


def test_a_change_points_and_colours_the_same_way_in_english_and_chinese(built_instance, monkeypatch):
    """Words put before the number by a translation ("较 ATC -3%") turned a fall into a red rise."""
    english = open_page(built_instance.home, monkeypatch)
    chinese = open_app(built_instance.home, monkeypatch, role="planner", page=PAGE, language="zh", timeout=90)
    assert signals(chinese) == signals(english) and signals(english)
    late = next(m for m in english.metric if m.label == "Late orders (optimised plan)")
    runs = dict(built_instance.query("select method, late_orders from production.schedule_runs"))
    rule = min((method for method in runs if method != "cpsat"), key=lambda m: runs[m])
    # More late orders than the rule is bad: red; fewer is good: green (the colour says which).
    assert late.proto.delta_description.startswith("vs ")
    assert late.proto.color == (late.proto.GREEN if runs["cpsat"] < runs[rule] else late.proto.RED) or (
        runs["cpsat"] == runs[rule]
    )


def test_solver_states_are_plain_words_with_the_code_in_a_tooltip(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    (status,) = built_instance.query("select status from production.schedule_runs where method = 'cpsat'")[0]
    solver = next(m for m in app.metric if m.label == "Solver")
    assert solver.value not in {"OPTIMAL", "FEASIBLE", "HINT", "UNKNOWN"}
    assert solver.proto.help.startswith(f"Technical name: {status} · optimality gap ")


def test_shares_show_as_percentages_with_one_precision_days_left_in_words_and_dates_with_year(
    built_instance, monkeypatch
):
    app = open_page(built_instance.home, monkeypatch)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", metrics(app)["Plan ends"])
    percent_columns = 0
    for frame in app.dataframe:
        config = json.loads(frame.proto.columns)
        for column in ("variance_pct", "load_ratio", "gap"):
            if column in frame.value.columns:
                assert config[column]["type_config"]["format"] == "%.1f %%", (column, config[column])
                percent_columns += 1
    assert percent_columns >= 3
    load = next(frame.value for frame in app.dataframe if "load_ratio" in frame.value.columns)
    (top,) = built_instance.query("select load_ratio from production.work_center_load where rank = 1")[0]
    assert abs(load["load_ratio"].iloc[0] - 100 * top) < 1e-9  # percent points, not a fraction
    warnings = [frame.value for frame in app.dataframe if "days_left" in frame.value.columns]
    for value in (v for frame in warnings for v in frame["days_left"]):
        assert re.fullmatch(r"in \d+\.\d days|\d+\.\d days overdue", value), value


def test_choices_survive_a_language_switch_and_show_in_the_new_language(built_instance, monkeypatch):
    """Streamlit keeps a choice as its shown label; the old-language label used to match no option."""
    app = open_page(built_instance.home, monkeypatch)
    app.radio(key="pr_by").set_value("order").run()
    app.selectbox(key="pr_method").set_value("cpsat").run()
    app.radio(key="language").set_value("zh").run()
    assert not app.exception, app.exception
    assert app.radio(key="pr_by").value == "order"
    assert app.selectbox(key="pr_method").value == "cpsat"
    assert app.selectbox(key="pr_method").proto.raw_value == "CP-SAT（优化求解）" or (
        "CP-SAT（优化求解）" in app.selectbox(key="pr_method").options
    )
    assert not [w for w in app.warning if "Session State" in w.value]
