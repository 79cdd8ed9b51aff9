"""The overview's inventory-days card, its drill-down by category and the forecast page's turnover chart
show the same figures for the same dates, each equal to Σ stock value ÷ Σ COGS recomputed here from
``marts.kpi_inventory_daily``, and they agree on which categories are within the band."""

from __future__ import annotations

import base64
import json
import re
from datetime import date

import numpy as np
import pytest

from tests.dashboards.appkit import open_app


def hand_days(db, start: date, end: date) -> tuple[float, dict[str, float]]:
    total = db.query(
        "select sum(inventory_value) / sum(cogs) from marts.kpi_inventory_daily "
        "where kpi_date between ? and ?",
        [start, end],
    )[0][0]
    per_category = dict(
        db.query(
            "select product_category, sum(inventory_value) / sum(cogs) from marts.kpi_inventory_daily "
            "where kpi_date between ? and ? and product_category is not null "
            "group by 1 having sum(cogs) > 0",
            [start, end],
        )
    )
    return float(total), per_category


def values(encoded) -> list:
    """A trace's values: a plain list, or Plotly's typed array ({"dtype", "bdata"} in base64)."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"]).tolist()
    return list(encoded)


def test_card_drill_down_and_turnover_chart_agree(built_instance, monkeypatch):
    home = built_instance.home
    forecast = open_app(home, monkeypatch, role="planner", page="views/forecast.py", timeout=60)
    assert not forecast.exception, forecast.exception
    chart = next(c for c in forecast.get("plotly_chart") if "benchmark and band" in c.proto.spec)
    bars = {
        category: days
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "bar"
        for category, days in zip(values(trace["y"]), values(trace["x"]), strict=True)
    }
    in_band_chart = {
        category
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "bar" and trace["name"] == "within the band"
        for category in trace["y"]
    }
    caption = next(c.value for c in forecast.caption if "same query" in c.value)
    start, end = (date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", caption)[:2])

    total, per_category = hand_days(built_instance, start, end)
    assert bars == pytest.approx(per_category)

    overview = open_app(home, monkeypatch, role="manager", page="views/overview.py")
    overview.selectbox(key="overview_period").select("custom").run()
    overview.date_input(key="overview_dates").set_value((start, end)).run()
    assert not overview.exception, overview.exception
    shown = {metric.label: metric.value for metric in overview.metric}
    assert shown["Inventory days"] == f"{total:.0f} days"
    overview.selectbox(key="overview_drill").select("inventory_days").run()
    assert not overview.exception, overview.exception
    table = next(f.value for f in overview.dataframe if "inventory_days" in f.value.columns)
    drilled = dict(zip(table["product_category"], table["inventory_days"], strict=True))
    assert {k: v for k, v in drilled.items() if v == v} == pytest.approx(per_category)
    in_band_drill = set(table.loc[table["status"] == "On target", "product_category"])
    assert in_band_drill == in_band_chart
