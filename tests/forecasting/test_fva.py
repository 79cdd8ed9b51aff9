"""The FVA stair-step recomputed by hand, and the out-of-sample layers of a small backtest."""

import numpy as np
import pandas as pd
import pytest

from forecasting.fva import LAYERS, holdout_layers, stair_step


def test_stair_step_by_hand():
    ds = pd.to_datetime(["2025-01-01", "2025-02-01"] * 2)
    layers = pd.DataFrame(
        {
            "unique_id": ["A", "A", "B", "B"],
            "ds": ds,
            "y": [10.0, 20, 5, 5],
            "naive": [15.0, 15, 0, 0],
            "statistical": [12.0, 18, 4, 4],
            "sales_team": [10.0, 22, 6, 6],
            "consensus": [11.0, 20, 5, 4.5],
            "override": [11.0, 19, 5, 4.5],
            "team_weight": [0.7, 0.7, 0.2, 0.2],
        }
    )
    attributes = pd.DataFrame(
        {"unique_id": ["A", "B"], "channel": ["web", "store"], "product_category": ["Apparel", "Toys"]}
    )
    table = stair_step(layers, pd.Series({"A": 2.0, "B": 1.0}), attributes)
    overall = table[table["scope"] == "all"].set_index("layer")
    # money at stake: 2·(10 + 20) + 1·(5 + 5) = 70; errors in money per layer: 30, 10, 6, 2.5, 4.5
    assert overall["wape"].to_dict() == pytest.approx(
        {
            "naive": 30 / 70,
            "statistical": 10 / 70,
            "sales_team": 6 / 70,
            "consensus": 2.5 / 70,
            "override": 4.5 / 70,
        }
    )
    assert np.isnan(overall.at["naive", "fva_vs_below"])
    assert overall.at["statistical", "fva_vs_below"] == pytest.approx(20 / 70)
    assert overall.at["sales_team", "fva_vs_below"] == pytest.approx(4 / 70)
    assert overall.at["consensus", "fva_vs_below"] == pytest.approx(3.5 / 70)
    assert overall.at["override", "fva_vs_below"] == pytest.approx(-2 / 70)
    assert overall.at["statistical", "bias"] == pytest.approx(-2 / 70)  # A: +2 − 2 = 0; B: −1 − 1
    assert overall.at["consensus", "team_weight"] == pytest.approx((0.7 * 60 + 0.2 * 10) / 70)
    assert overall["series"].eq(2).all()
    web = table[(table["scope"] == "channel") & (table["scope_value"] == "web")].set_index("layer")
    assert web.at["statistical", "wape"] == pytest.approx(8 / 60)
    assert web.at["consensus", "team_weight"] == pytest.approx(0.7)
    assert set(table["scope_value"]) == {"all", "web", "store", "Apparel", "Toys"}


def test_holdout_layers_choose_and_learn_on_early_cutoffs_and_score_the_later_ones():
    months = pd.date_range("2024-01-01", periods=4, freq="MS")
    rows = []
    for uid, y in (("a", [100.0, 110, 90, 100]), ("b", [10.0, 12, 8, 10])):
        for ds, actual in zip(months, y, strict=True):
            cutoff = ds - pd.offsets.MonthBegin(1)
            for model, yhat in (("Naive", actual * 0.5), ("Theta", actual * 0.9)):
                rows.append((uid, ds, cutoff, actual, model, yhat, yhat, yhat))
    cv = pd.DataFrame(
        rows, columns=["unique_id", "ds", "cutoff", "y", "model", "yhat", "yhat_lower", "yhat_upper"]
    )
    team = pd.DataFrame({"unique_id": "a", "ds": months, "yhat": [100.0, 110, 90, 100]})  # a's team is exact
    overrides = pd.DataFrame({"unique_id": ["b"], "ds": [months[3]], "yhat": [10.0]})
    out = holdout_layers(cv, team, overrides=overrides).set_index(["unique_id", "ds"])
    assert list(out.columns) == ["y", "team_weight", *LAYERS]
    assert sorted(out.index.get_level_values("ds").unique()) == list(months[2:])  # the later two cut-offs
    a = out.loc["a"]
    assert (a["statistical"] == a["y"] * 0.9).all()  # Theta won the early windows (10 % off vs 50 %)
    assert (a["sales_team"] == a["y"]).all()
    assert (a["team_weight"] > 0.5).all()
    assert ((a["consensus"] - a["y"]).abs() < (a["statistical"] - a["y"]).abs()).all()
    b = out.loc["b"]  # no team: every layer above the statistical passes it through, but the override
    assert (b["sales_team"] == b["statistical"]).all() and (b["consensus"] == b["statistical"]).all()
    assert (
        b.loc[months[3], "override"] == 10.0 and b.loc[months[2], "override"] == b.loc[months[2], "consensus"]
    )


def test_holdout_layers_learn_the_team_correction_only_from_periods_before_the_scored_ones():
    months = pd.date_range("2024-01-01", periods=8, freq="MS")  # backtest: the last four
    y = np.array([100.0, 90, 110, 100, 95, 105, 100, 98])
    rows = []
    for ds, actual in zip(months[4:], y[4:], strict=True):
        for model, yhat in (("Naive", actual * 0.7), ("Theta", actual * 1.2)):
            rows.append(("a", ds, ds - pd.offsets.MonthBegin(1), actual, model, yhat, yhat, yhat))
    cv = pd.DataFrame(
        rows, columns=["unique_id", "ds", "cutoff", "y", "model", "yhat", "yhat_lower", "yhat_upper"]
    )
    history = pd.DataFrame({"unique_id": "a", "ds": months, "y": y})
    team = pd.DataFrame({"unique_id": "a", "ds": months, "yhat": 1.25 * y})  # 25 % high, every month

    def layers(actuals: np.ndarray) -> pd.DataFrame:
        scored_cv = cv.assign(y=cv["ds"].map(dict(zip(months, actuals, strict=True))))
        hist = history.assign(y=actuals)
        return holdout_layers(scored_cv, team, history=hist).set_index("ds")

    out = layers(y)
    assert list(out.index) == list(months[6:])
    # the team's record before the first scored month gives s = 0.8 (exact), blended with Theta (20 % high)
    w = out["team_weight"]
    assert out["consensus"].to_numpy() == pytest.approx(
        (1 - w) * out["statistical"] + w * 0.8 * out["sales_team"]
    )
    error = out[["statistical", "sales_team", "consensus"]].sub(out["y"], axis=0).abs()
    assert (error["consensus"] < error[["statistical", "sales_team"]].min(axis=1)).all()
    # no peeking: other actuals in the scored months change the scores, not the forecasts
    changed = layers(np.concatenate([y[:6], [300.0, 0.0]]))
    assert changed["consensus"].to_numpy() == pytest.approx(out["consensus"].to_numpy())
    assert changed["y"].tolist() == [300.0, 0.0]
