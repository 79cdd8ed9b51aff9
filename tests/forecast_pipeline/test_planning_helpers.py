"""The pure planning helpers on hand-worked numbers."""

from datetime import date

import pandas as pd
import pytest

from planning import accuracy, demand_series
from planning import inventory_plan as planning


def test_daily_series_fills_gaps_from_first_sale_and_clips_returns():
    demand = pd.DataFrame(
        {
            "demand_date": ["2026-03-02", "2026-03-04", "2026-03-05"],
            "sku": ["A", "A", "A"],
            "channel": ["shop", "shop", "shop"],
            "net_quantity": [3, -1, 2],
        }
    )
    out = demand_series.daily_series(demand, date(2026, 3, 7))
    assert out["unique_id"].unique().tolist() == ["A|shop"]
    assert out["ds"].dt.day.tolist() == [2, 3, 4, 5, 6, 7]
    assert out["y"].tolist() == [3, 0, 0, 2, 0, 0]


def test_weeks_and_months_keep_only_complete_periods():
    days = pd.date_range("2026-02-25", "2026-04-08", freq="D")  # Wed .. Wed
    daily = pd.DataFrame({"unique_id": "s", "ds": days, "y": 1.0})
    weekly = demand_series.aggregate(daily, "W", date(2026, 2, 25), date(2026, 4, 8))
    assert weekly["ds"].min() == pd.Timestamp("2026-03-02")  # first Monday on or after the start
    assert weekly["ds"].max() == pd.Timestamp("2026-03-30")  # week of Apr 6 is incomplete on Apr 8
    assert (weekly["y"] == 7).all()
    monthly = demand_series.aggregate(daily, "MS", date(2026, 2, 25), date(2026, 4, 8))
    assert monthly["ds"].tolist() == [pd.Timestamp("2026-03-01")]
    assert monthly["y"].tolist() == [31]


def test_fallback_mean_replaces_a_series_with_missing_forecasts():
    fc = pd.DataFrame(
        {"unique_id": ["s", "s"], "ds": ["2026-05-01", "2026-06-01"], "yhat": [float("nan"), 4.0],
         "yhat_lower": [float("nan"), 4.0], "yhat_upper": [float("nan"), 4.0], "model": "SeasonalNaive"}
    )  # fmt: skip
    hist = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2026-01-01", periods=4, freq="MS"),
                         "y": [2.0, 4.0, 6.0, 8.0]})  # fmt: skip
    out = demand_series.fill_missing_forecasts(fc, hist, "MS")
    assert out["yhat"].tolist() == [6.0, 6.0]  # mean of the last 3 months
    assert (out["model"] == "FallbackMean").all()
    sigma = pd.Series([2.0, 4.0, 6.0, 8.0]).std(ddof=0)
    assert out["yhat_upper"].iloc[0] == pytest.approx(6 + 1.2816 * sigma)


def test_rollup_keeps_whole_periods_inside_the_backtest():
    days = pd.date_range("2026-03-04", "2026-03-22", freq="D")  # Wed .. Sun
    cv = pd.DataFrame({"unique_id": "s", "ds": days, "model": "M", "y": 2.0, "yhat": 1.0})
    rolled = accuracy.rollup_backtest(cv, "W")
    assert rolled["ds"].tolist() == [pd.Timestamp("2026-03-09"), pd.Timestamp("2026-03-16")]
    assert rolled["y"].tolist() == [14.0, 14.0] and rolled["yhat"].tolist() == [7.0, 7.0]


def test_sales_team_missing_month_counts_as_zero():
    periods = pd.DataFrame({"unique_id": ["s", "s"], "ds": pd.to_datetime(["2026-09-01", "2026-10-01"]),
                            "y": [10.0, 10.0]})  # fmt: skip
    team = pd.DataFrame({"unique_id": ["s"], "ds": pd.to_datetime(["2026-09-01"]), "yhat": [12.0]})
    out = accuracy.sales_team_scores(periods, team)
    assert out["wape"].iloc[0] == pytest.approx((2 + 10) / 20)
    assert out["bias"].iloc[0] == pytest.approx((12 - 20) / 20)


def test_value_weights_make_the_weighted_wape_money_error_over_revenue():
    demand = pd.DataFrame({"unique_id": ["a", "a", "b", "c"], "net_quantity": [3, 1, 5, 0],
                           "net_revenue_reporting": [30.0, 10.0, 50.0, 0.0]})  # fmt: skip
    prices = accuracy.unit_prices(demand)
    assert prices.to_dict() == {"a": 10.0, "b": 10.0, "c": 0.0}
    periods = pd.DataFrame({"unique_id": ["a", "a", "b", "c"], "y": [1.0, 3.0, 12.0, 7.0]})
    w = accuracy.value_weights(prices * pd.Series({"a": 1, "b": 0.5, "c": 1}), periods)
    # revenue in the scored periods: a 10·4 = 40, b 5·12 = 60, c 0 → weights 0.4, 0.6, 0.
    assert w.to_dict() == pytest.approx({"a": 0.4, "b": 0.6, "c": 0.0})


def test_weighted_wape_and_fva_by_hand():
    series = pd.DataFrame(
        {
            "freq": "MS", "unique_id": ["a|x", "b|x", "a|x", "b|x", "a|x", "b|x"],
            "channel": "x", "product_category": "C",
            "model": ["SeasonalNaive", "SeasonalNaive", "WindowAverage", "WindowAverage", "TSB", "TSB"],
            "is_champion": [True, False, False, False, False, True],
            "wape": [0.2, 0.9, 0.3, 0.8, 0.5, 0.4], "bias": 0.0, "coverage": 0.8,
            "revenue_weight": [0.75, 0.25] * 3,
        }
    )  # fmt: skip
    team = pd.DataFrame({"freq": "MS", "unique_id": ["a|x", "b|x"], "channel": "x", "product_category": "C",
                         "model": "sales_team", "is_champion": False, "wape": [0.5, 0.5], "bias": 0.0,
                         "coverage": None, "revenue_weight": [0.75, 0.25]})  # fmt: skip
    out = accuracy.summarize(series, team).set_index(["scope", "forecaster"])
    champion = 0.75 * 0.2 + 0.25 * 0.4
    assert out.loc[("all", "champion"), "revenue_weighted_wape"] == pytest.approx(champion)
    assert out.loc[("all", "sales_team"), "revenue_weighted_wape"] == pytest.approx(0.5)
    assert out.loc[("all", "champion"), "fva_vs_sales_team"] == pytest.approx(0.5 - champion)
    assert pd.isna(out.loc[("all", "SeasonalNaive"), "fva_vs_sales_team"])
    assert out.loc[("category", "champion"), "series"] == 2


def test_plan_by_hand():
    # ATP 100 − 10 + 20 = 110; 5 a day; σ 2, L 9 days, 95 %: SS = 1.6449 × 2 × 3 = 9.869, ROP = 45 + 9.869
    row = planning.plan(100, 10, 20, [5.0] * 28, 2.0, 9, "purchase", date(2026, 11, 22),
                        planning.Policy(0.95, 120, 14))  # fmt: skip
    assert row["atp"] == 110
    assert row["safety_stock"] == pytest.approx(1.644854 * 2 * 3, rel=1e-5)
    rop = 45 + 1.644854 * 6
    assert row["reorder_point"] == pytest.approx(rop, rel=1e-6)
    assert row["days_of_cover"] == pytest.approx(22)
    assert row["stockout_date"] == date(2026, 12, 15)  # 110 / 5 = 22 days last; day 23 runs out
    # projected ATP after k days = 110 − 5k < 54.87 first at k = 12 → order on 2026-12-04
    assert row["proposal_date"] == date(2026, 12, 4)
    assert row["proposal_qty"] == pytest.approx(float(int(rop + 5 * 14 - 50) + 1))
    assert row["proposal_type"] == "purchase"
    assert not row["is_overstock"]


def test_plan_without_demand_is_overstock_with_no_cover():
    row = planning.plan(50, 0, 0, [0.0] * 28, 0.0, 10, "production", date(2026, 11, 22))
    assert row["days_of_cover"] is None and row["is_overstock"] and row["proposal_qty"] == 0


def test_warehouse_shares_follow_outbound_then_stock():
    outbound = pd.DataFrame({"sku": ["A", "A"], "warehouse_code": ["W1", "W2"], "quantity": [30.0, 10.0]})
    stock = pd.DataFrame({"sku": ["A", "A", "B", "B"], "warehouse_code": ["W1", "W2", "W1", "W2"],
                          "on_hand": [1.0, 1.0, 3.0, 1.0]})  # fmt: skip
    shares = planning.warehouse_shares(outbound, stock).set_index(["sku", "warehouse_code"])["share"]
    assert shares[("A", "W1")] == pytest.approx(0.75)
    assert shares[("B", "W1")] == pytest.approx(0.75)  # never shipped: by stock
    assert planning.combined_error_std([3.0, 4.0]) == pytest.approx(5.0)


def test_overstock_is_stock_beyond_safety_stock_and_never_meets_a_proposal():
    # 1 a day, σ 4, L 9, 95 %: SS = 1.6449 × 4 × 3 = 19.74; limit 120 days → overstocked above 139.74
    args = ([1.0] * 28, 4.0, 9, "purchase", date(2026, 11, 22), planning.Policy(0.95, 120, 14))
    assert not planning.plan(139, 0, 0, *args)["is_overstock"]
    assert planning.plan(140, 0, 0, *args)["is_overstock"]
    low = planning.plan(20, 0, 0, *args)  # below ROP 28.74: a proposal, not overstocked
    assert low["proposal_qty"] > 0 and not low["is_overstock"] and low["note"] is None


def test_plan_without_demand_proposes_nothing_and_says_why():
    # σ from the past but no forecast demand: no proposal, whatever the safety stock says
    args = ([0.0] * 28, 3.0, 10, "purchase", date(2026, 11, 22))
    quiet = planning.plan(5, 0, 0, *args)
    assert quiet["proposal_qty"] == 0 and quiet["is_overstock"] and quiet["note"] == "no demand expected"
    selling = planning.plan(5, 0, 0, *args, sold_recently=True)
    assert selling["proposal_qty"] == 0 and not selling["is_overstock"]
    assert "check the forecast" in selling["note"]


def test_negative_atp_is_a_shortage():
    row = planning.plan(10, 290, 0, [2.0] * 28, 1.0, 9, "purchase", date(2026, 11, 22))
    assert row["atp"] == -280 and row["shortage"] == 280 and row["days_of_cover"] == 0
