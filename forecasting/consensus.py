"""Consensus forecast: a learned blend of the statistical champion and an outside (judgmental) forecast.

From the past, per pool of series (e.g. a channel, whose team makes the forecast) and per series i:

1. the judgmental forecast's volume bias is corrected by a scale s per pool, learned from the team's whole
   track record (every past period with an actual y and a forecast j of it, not only the backtest's):
   s = the s that minimises the scored loss Σ p·|y − s·j| (p the unit price; the weighted median of y ÷ j,
   weights p·j), kept between 1 and the volume ratio r = Σp·y ÷ Σp·j and within [``SCALE_MIN``,
   ``SCALE_MAX``]. So a correction must lower both the absolute error and the volume bias: on lumpy series
   (most months 0, a few spikes) the error alone would shrink the forecast toward 0, which scores well and
   plans badly;
2. the corrected forecast j' = s·j gets the inverse-MSE weight (Bates–Granger) on the backtest's pairs,
   the model's forecast m made as far ahead as j:
   w = MSE_m ÷ (MSE_m + MSE_j'), with errors divided by the series' mean |y| so that series can be pooled;
3. w is shrunk (partial pooling) toward the pool's, and the pool's toward equal weights (w = ½):
   wᵢ = (nᵢ·ŵᵢ + k·w_pool) ÷ (nᵢ + k),  w_pool = (N·ŵ_pool + k·½) ÷ (N + k),
   nᵢ (N) the pairs of the series (pool), k = ``SHRINKAGE``. A short series thus leans on its pool.

consensusₜ = (1 − w)·mₜ + w·s·jₜ. A series without past pairs, or a period the outside forecast does not
cover, keeps the model alone. The weights are re-learned on every run from the newest backtest. Why s per
pool and not per series, and the figures of the alternatives tried: docs/forecasting.md, "Consensus".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

SHRINKAGE = 6.0  # k: pairs of evidence the pool (and the prior) count for
SCALE_MIN, SCALE_MAX = 0.5, 2.0
PRIOR_WEIGHT, PRIOR_SCALE = 0.5, 1.0
CONSENSUS = "consensus"
PAIR_COLUMNS = ["unique_id", "ds", "y", "model", "judgmental"]
RECORD_COLUMNS = ["unique_id", "ds", "y", "judgmental"]
WEIGHT_COLUMNS = ["unique_id", "pool", "n_pairs", "scale", "weight"]


def team_scale(y: np.ndarray, j: np.ndarray, p: np.ndarray) -> float:
    """Step 1 on one pool's track record: argmin_s Σ p·|y − s·j| clipped to [min(1, r), max(1, r)],
    r = Σp·y ÷ Σp·j, then to [``SCALE_MIN``, ``SCALE_MAX``]; no forecast above 0: ``PRIOR_SCALE``."""
    ok = j > 0
    if not ok.any():
        return PRIOR_SCALE
    ratio, weight = y[ok] / j[ok], (p * j)[ok]
    order = np.argsort(ratio)
    cumulative = np.cumsum(weight[order])
    median = float(ratio[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    r = float((p * y).sum() / (p * j).sum())
    s = float(np.clip(median, min(PRIOR_SCALE, r), max(PRIOR_SCALE, r)))
    return float(np.clip(s, SCALE_MIN, SCALE_MAX))


def _weight(g: pd.DataFrame, s: float) -> float:
    """ŵ of step 2 on one set of pairs (columns y, model, judgmental, norm = mean |y| of the series);
    a degenerate set gives the prior."""
    y, m, j, norm = (g[c].to_numpy(float) for c in ("y", "model", "judgmental", "norm"))
    ok = norm > 0
    if not ok.any():
        return PRIOR_WEIGHT
    mse_m = float((((y - m) / np.where(ok, norm, 1)) ** 2)[ok].mean())
    mse_j = float((((y - s * j) / np.where(ok, norm, 1)) ** 2)[ok].mean())
    if mse_m + mse_j <= 0:
        return PRIOR_WEIGHT
    return mse_m / (mse_m + mse_j)


def _shrink(estimate: float, n: int, toward: float, k: float) -> float:
    return (n * estimate + k * toward) / (n + k)


def track_record(history: pd.DataFrame, judgmental: pd.DataFrame) -> pd.DataFrame:
    """``RECORD_COLUMNS``: every period of ``history`` (unique_id, ds, y) the outside forecast
    (unique_id, ds, yhat) covers; the evidence of step 1."""
    j = judgmental[["unique_id", "ds", "yhat"]].rename(columns={"yhat": "judgmental"})
    h = history[["unique_id", "ds", "y"]]
    h = h.assign(ds=pd.to_datetime(h["ds"]))
    out = h.merge(j.assign(ds=pd.to_datetime(j["ds"])), on=["unique_id", "ds"])
    return out.dropna(subset=["y", "judgmental"])[RECORD_COLUMNS]


def learn_weights(
    pairs: pd.DataFrame,
    pools: Mapping[str, str] | None = None,
    shrinkage: float = SHRINKAGE,
    record: pd.DataFrame | None = None,
    prices: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per series with past pairs: ``unique_id, pool, n_pairs, scale, weight`` (steps 1–3 of the module).

    ``pairs``: ``unique_id, ds, y, model, judgmental``; rows with a missing value are ignored. ``pools``:
    unique_id → pool name (None or a missing id: one pool of all series). ``record``: the team's track
    record for step 1 (``track_record``; None: the pairs). ``prices``: unit price per series (None or a
    missing id: 1).
    """
    frame = pairs.dropna(subset=["y", "model", "judgmental"])
    if frame.empty:
        return pd.DataFrame(columns=WEIGHT_COLUMNS)

    def pool_of(ids: pd.Series) -> pd.Series:
        return ids.map(dict(pools or {})).fillna("all")

    frame = frame.assign(
        norm=frame.groupby("unique_id")["y"].transform(lambda v: v.abs().mean()),
        pool=pool_of(frame["unique_id"]),
    )
    evidence = frame if record is None else record.dropna(subset=["y", "judgmental"])
    evidence = evidence.assign(
        pool=pool_of(evidence["unique_id"]), p=evidence["unique_id"].map(dict(prices or {})).fillna(1.0)
    )
    scale = {
        pool: team_scale(*(g[c].to_numpy(float) for c in ("y", "judgmental", "p")))
        for pool, g in evidence.groupby("pool")
    }
    pool_weight = {
        pool: _shrink(_weight(g, scale.get(pool, PRIOR_SCALE)), len(g), PRIOR_WEIGHT, shrinkage)
        for pool, g in frame.groupby("pool")
    }
    rows = []
    for uid, g in frame.groupby("unique_id", sort=True):
        pool = g["pool"].iloc[0]
        s = scale.get(pool, PRIOR_SCALE)
        rows.append(
            {
                "unique_id": uid,
                "pool": pool,
                "n_pairs": len(g),
                "scale": s,
                "weight": _shrink(_weight(g, s), len(g), pool_weight[pool], shrinkage),
            }
        )
    return pd.DataFrame(rows, columns=WEIGHT_COLUMNS)


def blend(forecast: pd.DataFrame, judgmental: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """The consensus forecast: ``forecast`` (unique_id, ds, yhat[, yhat_lower, yhat_upper, model]) with
    yhat = (1 − w)·yhat + w·s·j where the series has weights and ``judgmental`` (unique_id, ds, yhat) has
    the period; there ``model`` becomes ``consensus`` and the bounds move with yhat. Adds the inputs
    ``yhat_model``, ``yhat_judgmental`` and the ``weight`` used (0 where the model stands alone)."""
    out = forecast.copy()
    out["ds"] = pd.to_datetime(out["ds"])
    j = judgmental[["unique_id", "ds", "yhat"]].rename(columns={"yhat": "yhat_judgmental"})
    j = j.assign(ds=pd.to_datetime(j["ds"]))
    out = out.merge(j, on=["unique_id", "ds"], how="left")
    out = out.merge(weights[["unique_id", "scale", "weight"]], on="unique_id", how="left")
    used = out["yhat_judgmental"].notna() & out["weight"].notna()
    w = out["weight"].where(used, 0.0)
    s = out["scale"].where(used, 1.0)
    out["yhat_model"] = out["yhat"]
    out["yhat"] = np.where(used, (1 - w) * out["yhat_model"] + w * s * out["yhat_judgmental"], out["yhat"])
    shift = out["yhat"] - out["yhat_model"]
    if {"yhat_lower", "yhat_upper"} <= set(out.columns):
        out["yhat_lower"] = np.minimum((out["yhat_lower"] + shift).clip(lower=0.0), out["yhat"])
        out["yhat_upper"] = np.maximum(out["yhat_upper"] + shift, out["yhat"])
    if "model" in out.columns:
        out["model"] = np.where(used, CONSENSUS, out["model"])
    out["weight"] = w
    return out.drop(columns=["scale"])


def backtest_pairs(cv: pd.DataFrame, champions: Mapping[str, str], judgmental: pd.DataFrame) -> pd.DataFrame:
    """Pairs (``PAIR_COLUMNS`` + cutoff) from the rolling-origin backtest ``cv`` (unique_id, ds, cutoff, y,
    model, yhat): the champion's forecast of each backtest period next to the judgmental forecast of that
    period (NaN where the outside forecast says nothing)."""
    chosen = cv[cv["model"] == cv["unique_id"].map(dict(champions))]
    j = judgmental[["unique_id", "ds", "yhat"]].rename(columns={"yhat": "judgmental"})
    j = j.assign(ds=pd.to_datetime(j["ds"]))
    out = chosen[["unique_id", "ds", "cutoff", "y", "yhat"]].rename(columns={"yhat": "model"})
    out = out.assign(ds=pd.to_datetime(out["ds"])).merge(j, on=["unique_id", "ds"], how="left")
    return out[["unique_id", "ds", "cutoff", "y", "model", "judgmental"]]


def backtest_wape(pairs: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Per series of ``pairs``: ``wape_champion``, ``wape_judgmental`` and ``wape_consensus`` over the
    backtest periods the outside forecast covers (the model's over all of them where it covers none), with
    the ``weight`` and ``scale`` learned; WAPE = Σ|y − ŷ| ÷ Σ|y| (NaN when Σ|y| = 0)."""
    fc = pairs.rename(columns={"model": "yhat"})[["unique_id", "ds", "yhat"]]
    team = pairs.dropna(subset=["judgmental"])[["unique_id", "ds", "judgmental"]]
    mixed = blend(fc, team.rename(columns={"judgmental": "yhat"}), weights)
    mixed["y"] = pairs["y"].to_numpy()
    learned = weights.set_index("unique_id")
    rows = []
    for uid, g in mixed.groupby("unique_id", sort=True):
        covered = g[g["yhat_judgmental"].notna()]
        scored = covered if len(covered) else g
        rows.append(
            {
                "unique_id": uid,
                "wape_champion": _wape(scored["y"], scored["yhat_model"]),
                "wape_judgmental": _wape(covered["y"], covered["yhat_judgmental"]) if len(covered) else None,
                "wape_consensus": _wape(scored["y"], scored["yhat"]),
                "weight": float(learned.at[uid, "weight"]) if uid in learned.index else 0.0,
                "scale": float(learned.at[uid, "scale"]) if uid in learned.index else 1.0,
            }
        )
    return pd.DataFrame(rows)


def _wape(y: pd.Series, yhat: pd.Series) -> float:
    denom = float(y.abs().sum())
    return float((y - yhat).abs().sum() / denom) if denom > 0 else float("nan")
