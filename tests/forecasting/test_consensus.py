"""The consensus blend on series with known structure: weights learned on early periods, scored on later."""

import numpy as np
import pandas as pd
import pytest

from forecasting import metrics
from forecasting.consensus import CONSENSUS, blend, learn_weights, team_scale, track_record

N_SERIES, N_PERIODS, LEARN = 40, 24, 12


def world(seed: int, team, promo_share: float = 0.2) -> pd.DataFrame:
    """unique_id, ds, y, model, judgmental: a level per series, the model's and the team's forecasts."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(N_SERIES):
        level = rng.uniform(50, 500)
        y = level * rng.lognormal(0, 0.25, N_PERIODS)
        promo = rng.random(N_PERIODS) < promo_share
        y = np.where(promo, 2.5 * y, y)
        model = level * rng.lognormal(0, 0.05, N_PERIODS)  # knows the level, not the noise or promotions
        rows.append(
            pd.DataFrame(
                {
                    "unique_id": f"s{i}",
                    "ds": pd.date_range("2024-01-01", periods=N_PERIODS, freq="MS"),
                    "y": y,
                    "model": model,
                    "judgmental": team(rng, y, level, promo),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def run(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """Learn on the first LEARN periods, blend the rest; WAPE of model, team and consensus there."""
    cut = frame["ds"].sort_values().unique()[LEARN]
    past, future = frame[frame["ds"] < cut], frame[frame["ds"] >= cut]
    weights = learn_weights(past)
    fc = future[["unique_id", "ds", "model"]].rename(columns={"model": "yhat"}).assign(model="Theta")
    team = future[["unique_id", "ds", "judgmental"]].rename(columns={"judgmental": "yhat"})
    out = blend(fc, team, weights).merge(future[["unique_id", "ds", "y"]], on=["unique_id", "ds"])
    wape = {
        "model": metrics.wape(out["y"], out["yhat_model"]),
        "team": metrics.wape(out["y"], out["yhat_judgmental"]),
        "consensus": metrics.wape(out["y"], out["yhat"]),
    }
    return weights, wape


def test_unbiased_noisy_team_and_model_are_blended_and_the_blend_beats_both():
    def team(rng, y, level, promo):
        return y * rng.lognormal(0, 0.3, len(y))  # knows this month's demand, blurred

    weights, wape = run(world(1, team, promo_share=0.0))
    assert 0.25 < weights["weight"].mean() < 0.6
    assert 0.9 < weights["scale"].mean() < 1.1
    assert wape["consensus"] < min(wape["model"], wape["team"])


def test_a_biased_team_is_scaled_back_and_still_adds_its_information():
    def team(rng, y, level, promo):
        return 1.4 * y * rng.lognormal(0, 0.2, len(y))  # plans 40 % high

    weights, wape = run(world(2, team))
    assert weights["scale"].between(0.6, 0.8).all()
    assert wape["team"] > wape["model"]  # taken at face value the team is the worse forecast
    assert wape["consensus"] < min(wape["model"], wape["team"])


def test_a_team_that_knows_the_promotions_gets_most_of_the_weight():
    def team(rng, y, level, promo):
        return np.where(promo, 2.5, 1.0) * level * rng.lognormal(0, 0.05, len(y))

    weights, wape = run(world(3, team))
    assert weights["weight"].mean() > 0.7
    assert wape["consensus"] < wape["model"] - 0.1
    assert wape["consensus"] <= wape["team"] + 0.01


def test_a_team_that_knows_nothing_gets_little_weight():
    def team(rng, y, level, promo):
        return rng.uniform(0, 3 * level, len(y))

    weights, wape = run(world(4, team))
    assert weights["weight"].mean() < 0.4
    assert wape["consensus"] < wape["team"]


def test_model_alone_where_the_team_says_nothing_and_short_series_lean_on_their_pool():
    pairs = pd.DataFrame(
        {
            "unique_id": ["a"] * 8 + ["b"],
            "ds": list(pd.date_range("2024-01-01", periods=8, freq="MS")) + [pd.Timestamp("2024-08-01")],
            "y": [100.0, 120, 80, 110, 90, 100, 105, 95, 50],
            "model": [100.0] * 8 + [40],
            "judgmental": [100.0, 119, 81, 109, 91, 100, 104, 96, 60],
        }
    )
    weights = learn_weights(pairs, pools={"a": "web", "b": "web"}).set_index("unique_id")
    assert weights.at["a", "weight"] > 0.8  # the team tracks a's demand closely
    assert weights.at["b", "n_pairs"] == 1
    # alone, b's one pair would give s = 50/60 and a perfect team (w = 1); the pool's scale (its volume
    # ratio 850/860 and error-minimising 1.0 agree within 1.2 %) and weight hold it back
    assert weights.at["b", "scale"] == weights.at["a", "scale"]
    assert 850 / 860 <= weights.at["b", "scale"] <= 1.0
    assert 0.5 < weights.at["b", "weight"] < 0.9
    fc = pd.DataFrame(
        {
            "unique_id": ["a", "a", "b", "c"],
            "ds": pd.to_datetime(["2024-09-01", "2024-10-01", "2024-09-01", "2024-09-01"]),
            "yhat": [100.0, 100.0, 50.0, 70.0],
            "yhat_lower": [80.0, 80.0, 40.0, 60.0],
            "yhat_upper": [120.0, 120.0, 60.0, 80.0],
            "model": "Theta",
        }
    )
    team = pd.DataFrame(
        {"unique_id": ["a", "b", "c"], "ds": pd.to_datetime(["2024-09-01"] * 3), "yhat": [200.0, 50.0, 1.0]}
    )
    out = blend(fc, team, weights.reset_index()).set_index(["unique_id", "ds"])
    a_sep = out.loc[("a", pd.Timestamp("2024-09-01"))]
    w, s = weights.at["a", "weight"], weights.at["a", "scale"]
    assert a_sep["yhat"] == pytest.approx((1 - w) * 100 + w * s * 200)
    assert a_sep["model"] == CONSENSUS
    assert a_sep["yhat_upper"] - a_sep["yhat"] == pytest.approx(20.0)
    a_oct = out.loc[("a", pd.Timestamp("2024-10-01"))]  # the team says nothing for October
    assert (a_oct["yhat"], a_oct["model"], a_oct["weight"]) == (100.0, "Theta", 0.0)
    c = out.loc[("c", pd.Timestamp("2024-09-01"))]  # no past pairs to learn from: the model alone
    assert (c["yhat"], c["model"]) == (70.0, "Theta")


def test_team_scale_by_hand_corrects_a_bias_only_where_that_lowers_error_and_bias_together():
    p = np.ones(4)
    # a team 25 % high throughout: error-minimising s = 0.8 = the volume ratio
    assert team_scale(np.array([80.0, 160, 40, 80]), np.array([100.0, 200, 50, 100]), p) == pytest.approx(0.8)
    # ratios y/j 0.5, 0.7, 1.0, 2.0 with weights j 100, 100, 100, 10: the weighted median is 0.7, the volume
    # ratio (50 + 70 + 100 + 20) / 310 = 0.774; s stays between 1 and it, so 0.774
    y, j = np.array([50.0, 70, 100, 20]), np.array([100.0, 100, 100, 10])
    assert team_scale(y, j, p) == pytest.approx(240 / 310)
    # lumpy demand (0 most months, one spike): the absolute error alone would take s toward 0, the volume
    # ratio says the team is low; no s lowers both, so the team's number stands
    assert team_scale(np.array([0.0, 0, 0, 100]), np.full(4, 20.0), p) == 1.0
    # prices weigh the evidence: the expensive series decides (median 0.5 or 1.0, volume ratio in money
    # 600/1100 or 1050/1100)
    y, j = np.array([50.0, 100]), np.array([100.0, 100])
    assert team_scale(y, j, np.array([10.0, 1])) == pytest.approx(600 / 1100)
    assert team_scale(y, j, np.array([1.0, 10])) == 1.0
    assert team_scale(y, np.zeros(2), p) == 1.0  # nothing forecast: no evidence


def test_the_scale_comes_from_the_team_track_record_of_its_pool_not_only_the_backtest_pairs():
    months = pd.date_range("2024-01-01", periods=8, freq="MS")
    history = pd.DataFrame({"unique_id": "a", "ds": months, "y": 100.0})
    team = pd.DataFrame({"unique_id": ["a"] * 8 + ["b"] * 8, "ds": list(months) * 2, "yhat": 125.0})
    record = track_record(history, team)
    assert list(record["unique_id"].unique()) == ["a"] and len(record) == 8  # b has no actuals
    # the two backtest months alone show a team that is right; its longer record shows it 25 % high
    pairs = pd.DataFrame(
        {"unique_id": "a", "ds": months[-2:], "y": 125.0, "model": 100.0, "judgmental": 125.0}
    )
    assert learn_weights(pairs).at[0, "scale"] == 1.0
    assert learn_weights(pairs, record=record).at[0, "scale"] == pytest.approx(0.8)
