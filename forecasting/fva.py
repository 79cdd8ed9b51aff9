"""The forecast-value-added stair-step, out of sample: does each layer of the forecast earn its place?

Layers, each built on the one below: ``naive`` (SeasonalNaive, Naive where the history is shorter than a
season) → ``statistical`` (the champion) → ``sales_team`` (the outside forecast; where it says nothing the
number passes through unchanged) → ``consensus`` (the learned blend, ``forecasting.consensus``) →
``override`` (a planner's number where one was set for the period, else the consensus).

Out of sample: of each series' backtest cut-offs, the earlier ones (``EARLY_SHARE``) choose the champion
(``backtest.pick_champions``) and learn the blend weights (the team's bias correction from its track record
before the first scored period); only the later windows are scored. Per scope (all, channel, category)
and layer L, with pᵢ the unit price of series i and t over its scored periods:

    WAPE_L = Σᵢ pᵢ·Σₜ|yᵢₜ − ŷᴸᵢₜ| ÷ Σᵢ pᵢ·Σₜ|yᵢₜ|      bias_L = Σᵢ pᵢ·Σₜ(ŷᴸᵢₜ − yᵢₜ) ÷ Σᵢ pᵢ·Σₜ yᵢₜ
    FVA_L  = WAPE_below − WAPE_L   (positive: the layer made the forecast better)

and ``team_weight`` = the revenue-weighted mean weight the consensus gave the outside forecast.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting.backtest import pick_champions, window_errors
from forecasting.consensus import backtest_pairs, blend, learn_weights, track_record
from forecasting.holdout import series_errors

LAYERS = ("naive", "statistical", "sales_team", "consensus", "override")
EARLY_SHARE = 0.5
FVA_COLUMNS = [
    "scope", "scope_value", "layer", "wape", "bias", "fva_vs_below", "series", "team_weight",
]  # fmt: skip


def holdout_layers(
    cv: pd.DataFrame,
    judgmental: pd.DataFrame,
    pools: Mapping[str, str] | None = None,
    overrides: pd.DataFrame | None = None,
    early_share: float = EARLY_SHARE,
    history: pd.DataFrame | None = None,
    prices: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per series × later-window period: ``unique_id, ds, y, team_weight`` and one column per layer.

    ``cv``: rolling-origin forecasts (``backtest.cross_validate``); series with fewer than two cut-offs are
    left out. ``judgmental`` and ``overrides``: ``unique_id, ds, yhat``. ``history`` (unique_id, ds, y):
    the actuals the team's track record is read from (None: the early pairs only); ``prices``: unit price
    per series for the bias correction (``consensus.learn_weights``).
    """
    cuts = cv[["unique_id", "cutoff"]].drop_duplicates()
    rank = cuts.groupby("unique_id")["cutoff"].rank(method="dense")
    n = cuts.groupby("unique_id")["cutoff"].transform("size")
    n_early = np.maximum(1, np.floor(n * early_share)).astype(int)
    cuts = cuts.assign(early=rank <= n_early)[n >= 2]
    frame = cv.merge(cuts, on=["unique_id", "cutoff"])
    early, late = frame[frame["early"]], frame[~frame["early"]]
    if late.empty:
        return pd.DataFrame(columns=["unique_id", "ds", "y", "team_weight", *LAYERS])
    chosen = pick_champions(series_errors(early), window_errors(early))
    champion = chosen.loc[chosen["is_champion"]].set_index("unique_id")["model"].to_dict()
    record = None
    if history is not None:
        record = track_record(history, judgmental)
        first_scored = late.groupby("unique_id")["ds"].min()
        record = record[record["ds"] < record["unique_id"].map(first_scored)]
    weights = learn_weights(backtest_pairs(early, champion, judgmental), pools, record=record, prices=prices)

    def layer(models: Mapping[str, str]) -> pd.Series:
        rows = late[late["model"] == late["unique_id"].map(models)]
        return rows.set_index(["unique_id", "ds"])["yhat"]

    present = late.groupby("unique_id")["model"].agg(set)
    naive = {u: "SeasonalNaive" if "SeasonalNaive" in m else "Naive" for u, m in present.items()}
    out = pd.DataFrame({"statistical": layer(champion), "naive": layer(naive)})
    out["y"] = late.drop_duplicates(["unique_id", "ds"]).set_index(["unique_id", "ds"])["y"]
    out = out.reset_index()
    stat = out[["unique_id", "ds"]].assign(yhat=out["statistical"])
    consensus = blend(stat, judgmental, weights)
    out["sales_team"] = consensus["yhat_judgmental"].fillna(out["statistical"]).to_numpy()
    out["consensus"] = consensus["yhat"].to_numpy()
    out["team_weight"] = consensus["weight"].to_numpy()
    out["override"] = out["consensus"]
    if overrides is not None and len(overrides):
        o = overrides[["unique_id", "ds", "yhat"]].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        o = out[["unique_id", "ds"]].merge(o, on=["unique_id", "ds"], how="left")["yhat"]
        out["override"] = o.fillna(out["consensus"]).to_numpy()
    return out[["unique_id", "ds", "y", "team_weight", *LAYERS]].dropna(subset=["y", "statistical", "naive"])


def stair_step(layers: pd.DataFrame, prices: pd.Series, attributes: pd.DataFrame) -> pd.DataFrame:
    """The table of the module docstring (``FVA_COLUMNS``) from ``holdout_layers``; ``prices``: unit price
    per unique_id (missing: 1); ``attributes``: unique_id, channel, product_category."""
    frame = layers.merge(attributes, on="unique_id", how="left")
    frame["p"] = frame["unique_id"].map(prices).fillna(1.0) if len(prices) else 1.0
    scopes = [("all", "all", frame)]
    scopes += [("channel", v, g) for v, g in frame.groupby("channel")]
    scopes += [("category", v, g) for v, g in frame.groupby("product_category")]
    rows = []
    for scope, value, g in scopes:
        p, y = g["p"].to_numpy(float), g["y"].to_numpy(float)
        money = float((p * np.abs(y)).sum())
        per_series = (g["p"] * g["y"].abs()).groupby(g["unique_id"]).sum()
        series_weight = g.groupby("unique_id")["team_weight"].mean()
        below = None
        for name in LAYERS:
            yhat = g[name].to_numpy(float)
            wape = float((p * np.abs(y - yhat)).sum() / money) if money > 0 else float("nan")
            total = float((p * y).sum())
            rows.append(
                {
                    "scope": scope,
                    "scope_value": value,
                    "layer": name,
                    "wape": wape,
                    "bias": float((p * (yhat - y)).sum() / total) if total != 0 else float("nan"),
                    "fva_vs_below": float("nan") if below is None else below - wape,
                    "series": int(g["unique_id"].nunique()),
                    "team_weight": float((series_weight * per_series).sum() / per_series.sum())
                    if name == "consensus" and per_series.sum() > 0
                    else float("nan"),
                }
            )
            below = wape
    return pd.DataFrame(rows, columns=FVA_COLUMNS)
