"""The forecast & inventory page on a real published warehouse.

The page reads the ``forecasting`` tables and ``marts.fct_demand_daily`` the pipeline writes (issue 4
contract). The built warehouse must have them: a pipeline that stopped writing one fails these tests
instead of skipping them. The empty-state tests drop tables from a copy.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.formatting import fmt_percent, model_name
from dashboards.queries.forecast import FORECAST_TABLES
from tests.dashboards.appkit import freshness, open_app

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "views/forecast.py"
NEWEST = "as_of = (select max(as_of) from forecasting.{table})"


def open_page(home: Path, monkeypatch) -> AppTest:
    return open_app(home, monkeypatch, role="planner", page=PAGE, timeout=60)


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def captions(app: AppTest) -> str:
    return " ".join(caption.value for caption in app.caption)


@pytest.fixture()
def home_copy(built_instance, tmp_path) -> Path:
    """A copy of the published warehouse the test may change."""
    (tmp_path / "warehouse").mkdir()
    shutil.copyfile(built_instance.published_db, tmp_path / "warehouse" / "omniops.duckdb")
    return tmp_path


@pytest.fixture()
def forecast_instance(built_instance):
    """The built instance, which the pipeline's forecasting stage has filled."""
    (present,) = built_instance.query(
        "select list(table_name order by table_name) from information_schema.tables "
        "where table_schema = 'forecasting'"
    )[0]
    assert set(FORECAST_TABLES) <= set(present or []), f"the pipeline wrote only forecasting.{present}"
    return built_instance


def test_without_forecasting_tables_the_page_says_to_run_the_pipeline(home_copy, monkeypatch):
    with duckdb.connect(str(home_copy / "warehouse" / "omniops.duckdb")) as conn:
        conn.execute("drop schema if exists forecasting cascade")
    app = open_page(home_copy, monkeypatch)
    assert app.title[0].value == "Forecast & inventory"
    assert len(app.info) == 1 and "omniops run" in app.info[0].value
    assert not app.metric and not app.get("plotly_chart") and not app.dataframe


def test_a_missing_table_empties_only_its_own_section(forecast_instance, home_copy, monkeypatch):
    with duckdb.connect(str(home_copy / "warehouse" / "omniops.duckdb")) as conn:
        conn.execute("drop table forecasting.inventory_turnover")
        conn.execute("drop table forecasting.inventory_plan")
    app = open_page(home_copy, monkeypatch)
    infos = " ".join(info.value for info in app.info)
    assert "forecasting.inventory_plan" in infos and "forecasting.inventory_turnover" in infos
    assert "omniops run" in infos
    assert any(label.startswith("Forecast, next") for label in metrics(app))
    assert "Stock-out risk" not in metrics(app)


def test_all_series_weekly_forecast_and_actuals_match_the_tables(forecast_instance, monkeypatch):
    app = open_page(forecast_instance.home, monkeypatch)
    assert app.radio(key="fc_freq").value == "W"
    as_of, periods, total, series = forecast_instance.query(
        "select max(as_of), count(distinct ds), sum(yhat), count(distinct unique_id) "
        f"from forecasting.demand_forecast where {NEWEST.format(table='demand_forecast')} and freq = 'W'"
    )[0]
    shown = metrics(app)
    assert shown[f"Forecast, next {periods} weeks"] == f"{total:,.0f} units"
    assert shown["Series (SKU × channel)"] == f"{series:,}"
    assert f"Forecast as of **{as_of:%Y-%m-%d}**" in captions(app)
    if series > 1:
        assert "approximation" in captions(app)

    # Actuals: net demand (clipped at zero per SKU × channel and day, as the forecast is) over the last
    # `periods` complete Monday-to-Sunday weeks up to the as-of date.
    monday = as_of - timedelta(days=as_of.weekday())
    end = as_of if as_of.weekday() == 6 else monday - timedelta(days=1)
    start = end - timedelta(days=7 * periods - 1)
    (actual,) = forecast_instance.query(
        "select coalesce(sum(greatest(net_quantity, 0)), 0) from marts.fct_demand_daily "
        "where demand_date between ? and ?",
        [start, end],
    )[0]
    assert shown[f"Actuals, last {periods} weeks"] == f"{actual:,.0f} units"
    assert len(app.get("plotly_chart")) >= 1


def test_one_series_monthly_forecast_total_equals_the_table(forecast_instance, monkeypatch):
    unique_id, category, sku, channel = forecast_instance.query(
        "select unique_id, product_category, sku, channel from forecasting.demand_forecast "
        f"where {NEWEST.format(table='demand_forecast')} and freq = 'MS' "
        "group by all order by sum(yhat) desc, unique_id limit 1"
    )[0]
    periods, total, lower, upper, model = forecast_instance.query(
        "select count(*), sum(yhat), sum(yhat_lower), sum(yhat_upper), any_value(model) "
        f"from forecasting.demand_forecast where {NEWEST.format(table='demand_forecast')} "
        "and freq = 'MS' and unique_id = ?",
        [unique_id],
    )[0]
    app = open_page(forecast_instance.home, monkeypatch)
    app.radio(key="fc_freq").set_value("MS").run()
    app.selectbox(key="fc_category").select(category).run()
    app.selectbox(key="fc_sku").select(sku).run()
    app.selectbox(key="fc_channel").select(channel).run()
    assert not app.exception, app.exception

    shown = metrics(app)
    assert shown[f"Forecast, next {periods} months"] == f"{total:,.0f} units"
    assert shown["Prediction interval"] == f"{lower:,.0f} – {upper:,.0f}"
    assert shown["Series (SKU × channel)"] == "1"
    assert f"Model: {model_name(model)} ({model})." in captions(app)
    assert "approximation" not in captions(app)


def test_accuracy_wape_and_fva_equal_the_summary(forecast_instance, monkeypatch):
    app = open_page(forecast_instance.home, monkeypatch)
    app.radio(key="fc_freq").set_value("MS").run()
    rows = dict(
        (forecaster, (wape, fva))
        for forecaster, wape, fva in forecast_instance.query(
            "select forecaster, revenue_weighted_wape, fva_vs_sales_team "
            "from forecasting.forecast_accuracy_summary "
            f"where {NEWEST.format(table='forecast_accuracy_summary')} and freq = 'MS' and scope = 'all'"
        )
    )
    shown = metrics(app)
    assert shown["Model WAPE"] == fmt_percent(rows["champion"][0])
    baseline = min(
        rows[b][0]
        for b in ("SeasonalNaive", "Naive", "WindowAverage")
        if b in rows and rows[b][0] is not None
    )
    assert shown["Best baseline WAPE"] == fmt_percent(baseline)
    fva = rows["champion"][1]
    assert shown["FVA vs sales team"] == ("–" if fva is None else f"{100 * fva:+.1f} pts")

    table = app.dataframe[0].value
    wape_by_label = dict(zip(table["forecaster_label"], table["wape_pct"], strict=True))
    assert wape_by_label["Model (champion)"] == pytest.approx(100 * rows["champion"][0])

    app.radio(key="acc_scope").set_value("By channel").run()
    assert not app.exception
    (channels,) = forecast_instance.query(
        "select list(distinct scope_value order by scope_value) from forecasting.forecast_accuracy_summary "
        f"where {NEWEST.format(table='forecast_accuracy_summary')} and freq = 'MS' and scope = 'channel'"
    )[0]
    assert sorted(app.dataframe[0].value["scope_value"]) == channels

    (winners,) = forecast_instance.query(
        "select count(distinct unique_id) from forecasting.forecast_accuracy_series "
        f"where {NEWEST.format(table='forecast_accuracy_series')} and freq = 'MS' and is_champion"
    )[0]
    mix = next(chart for chart in app.get("plotly_chart") if "Champion mix" in chart.proto.spec)
    assert sum(json.loads(mix.proto.spec)["data"][0]["x"]) == winners


def test_stock_out_and_overstock_lists_follow_the_plan_and_its_filters(forecast_instance, monkeypatch):
    app = open_page(forecast_instance.home, monkeypatch)
    plan = f"from forecasting.inventory_plan where {NEWEST.format(table='inventory_plan')}"
    at_risk, overstocked, proposals = forecast_instance.query(
        "select count(*) filter (where is_stockout_risk), count(*) filter (where is_overstock), "
        f"count(*) filter (where proposal_qty > 0) {plan}"
    )[0]
    shown = metrics(app)
    assert (shown["Stock-out risk"], shown["Overstocked"], shown["Proposals"]) == (
        f"{at_risk:,}",
        f"{overstocked:,}",
        f"{proposals:,}",
    )
    lists = [frame.value for frame in app.dataframe if "warehouse_code" in frame.value.columns]
    if at_risk:
        risk = lists.pop(0)
        assert len(risk) == min(at_risk, 500)
        dates = risk["stockout_date"].dropna().tolist()
        assert dates == sorted(dates)
    if overstocked:
        cover = lists.pop(0)["days_of_cover"].tolist()
        # "no demand" (stock nothing sells) first, then the most days of cover; never "None" or blank
        days = [float(c.replace(",", "")) for c in cover if c != "no demand"]
        assert cover[: len(cover) - len(days)] == ["no demand"] * (len(cover) - len(days))
        assert days == sorted(days, reverse=True)
    for frame in app.dataframe:
        if "atp" in frame.value.columns:
            assert (frame.value["atp"] >= 0).all()  # a negative ATP shows as 0 with its shortage

    (warehouse,) = forecast_instance.query(f"select min(warehouse_code) {plan}")[0]
    (at_risk_here,) = forecast_instance.query(
        f"select count(*) {plan} and is_stockout_risk and warehouse_code = ?", [warehouse]
    )[0]
    app.selectbox(key="inv_warehouse").select(warehouse).run()
    assert not app.exception
    assert metrics(app)["Stock-out risk"] == f"{at_risk_here:,}"
    for frame in app.dataframe:
        if "warehouse_code" in frame.value.columns:
            assert set(frame.value["warehouse_code"]) <= {warehouse}


def test_turnover_chart_shows_every_category(forecast_instance, monkeypatch):
    app = open_page(forecast_instance.home, monkeypatch)
    categories = [
        row[0]
        for row in forecast_instance.query(
            "select product_category from forecasting.inventory_turnover "
            f"where {NEWEST.format(table='inventory_turnover')} and level = 'category'"
        )
    ]
    assert categories, "the built warehouse has no category turnover rows"
    chart = next(chart for chart in app.get("plotly_chart") if "benchmark and band" in chart.proto.spec)
    traces = json.loads(chart.proto.spec)["data"]
    bars = [category for trace in traces if trace["type"] == "bar" for category in trace["y"]]
    assert sorted(bars) == sorted(categories)
    band = next(trace for trace in traces if trace["name"] == "benchmark and band")
    assert sorted(band["y"]) == sorted(categories)


def numbers(text: str) -> list[str]:
    """The figures in a shown value ("23,345 units" and "23,345 件" both give ["23,345"])."""
    return re.findall(r"\d[\d,.]*", text)


def landed_sources(instance) -> list[str]:
    return [row[0] for row in instance.query("select distinct source from landing.file_ledger order by 1")]


def test_the_freshness_line_names_every_landed_source(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    line = freshness(app)
    sources = landed_sources(built_instance)
    assert {"erp", "shopify"} <= set(sources)
    assert all(f"{source} " in line for source in sources)


def test_the_stair_step_shows_each_layer_and_says_per_channel_who_was_more_accurate(
    forecast_instance, monkeypatch
):
    app = open_page(forecast_instance.home, monkeypatch)
    rows = forecast_instance.df(
        "select scope, scope_value, layer, wape, team_weight from forecasting.forecast_fva "
        f"where {NEWEST.format(table='forecast_fva')}"
    )
    overall = rows[rows["scope"] == "all"].set_index("layer")["wape"]
    table = next(frame.value for frame in app.dataframe if "layer_label" in frame.value.columns)
    shown = dict(zip(table["layer_label"], table["wape_pct"], strict=True))
    assert list(shown) == [
        "Naive (last value)", "Model (champion)", "Sales team", "Consensus (model + sales team)",
        "With planner overrides",
    ]  # fmt: skip
    assert shown["Consensus (model + sales team)"] == pytest.approx(100 * overall["consensus"])
    assert shown["Sales team"] == pytest.approx(100 * overall["sales_team"])
    text = " ".join(m.value for m in app.markdown)
    channels = rows[(rows["scope"] == "channel") & (rows["layer"] == "consensus")]
    for channel, weight in zip(channels["scope_value"], channels["team_weight"], strict=True):
        assert f"For {channel} the " in text
        assert (
            f"the consensus takes {fmt_percent(weight, 0)}" in text
            or f"takes only {fmt_percent(weight, 0)}" in text
        )


def test_in_chinese_the_page_shows_the_same_figures_under_chinese_labels(forecast_instance, monkeypatch):
    english = open_page(forecast_instance.home, monkeypatch)
    chinese = open_app(forecast_instance.home, monkeypatch, role="planner", page=PAGE, language="zh")
    assert chinese.title[0].value == "预测与库存"
    assert [s.value for s in chinese.subheader] == [
        "需求：实际与预测",
        "预测准确率",
        "谁在增加价值：模型、销售团队、共识预测",
        "计划员调整",
        "库存：缺货风险与积压",
        "各品类库存周转天数",
    ]
    assert next(c.value for c in chinese.caption if c.value.startswith("最近落地时间"))

    def figures(app: AppTest) -> list[tuple[str, list[str]]]:
        return [(metric.label, numbers(metric.value)) for metric in app.metric]

    shown_en, shown_zh = figures(english), figures(chinese)
    assert [n for _, n in shown_zh] == [n for _, n in shown_en] and len(shown_en) >= 12
    assert all(zh != en for (zh, _), (en, _) in zip(shown_zh, shown_en, strict=True))
    (periods,) = forecast_instance.query(
        "select count(distinct ds) from forecasting.demand_forecast "
        f"where {NEWEST.format(table='demand_forecast')} and freq = 'W'"
    )[0]
    assert metrics(chinese)[f"未来 {periods} 周预测"] == metrics(english)[
        f"Forecast, next {periods} weeks"
    ].replace("units", "件")
    assert "缺货风险" in metrics(chinese)

    # Options are selected by value in either language; only their labels are translated.
    for app in (english, chinese):
        app.radio(key="fc_freq").set_value("MS").run()
        app.radio(key="acc_scope").set_value("By channel").run()
        assert not app.exception, app.exception
    assert chinese.radio(key="fc_freq").options == ["日", "周", "月"]
    assert [n for _, n in figures(chinese)] == [n for _, n in figures(english)]
    assert chinese.dataframe[0].value.equals(english.dataframe[0].value)
