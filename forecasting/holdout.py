"""Does the champion choice pay off out of sample? The check the in-sample comparison cannot make.

Choosing each series' champion on the backtest it is then scored on flatters it: the minimum of several
noisy scores is biased low, so "champion WAPE ≤ best baseline WAPE" on that backtest holds by construction.
This check chooses each series' model on every cut-off but the last (same rule as the champion,
``backtest.pick_champions``: the best baseline unless a challenger beats it by a margin and in a majority of
windows) and scores the chosen model and every baseline
on the last cut-off's window, which played no part in the choice:

    WAPE_f = Σᵢ pᵢ·Σₜ|yᵢₜ − ŷᵢₜ| ÷ Σᵢ pᵢ·Σₜ|yᵢₜ|     (t over the last window)
           = Σᵢ wᵢ·WAPEᵢ(f) ÷ Σᵢ wᵢ  with wᵢ = pᵢ·Σₜ|yᵢₜ|, the series' revenue in that window,

for f = the selected model and each baseline, pᵢ the series' unit price (equal prices if none given):
the revenue-weighted WAPE of the accuracy tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.backtest import pick_champions, window_errors
from forecasting.models import BASELINES


def series_errors(cv: pd.DataFrame) -> pd.DataFrame:
    """Per series and model: Σ|y − ŷ|, Σ|y| and MAE, with WAPE (NaN when Σ|y| = 0)."""
    frame = cv.assign(abs_err=(cv["y"] - cv["yhat"]).abs(), abs_y=cv["y"].abs())
    out = frame.groupby(["unique_id", "model"], as_index=False).agg(
        abs_err=("abs_err", "sum"), abs_y=("abs_y", "sum"), mae=("abs_err", "mean")
    )
    out["wape"] = np.where(out["abs_y"] > 0, out["abs_err"] / out["abs_y"].where(out["abs_y"] > 0), np.nan)
    return out


def holdout_selection(cv: pd.DataFrame) -> pd.DataFrame:
    """Per series: the model chosen on the earlier cut-offs and the last-window WAPE of it and each baseline.

    ``cv`` is the long rolling-origin frame (unique_id, cutoff, y, model, yhat) of ``backtest.cross_validate``
    with at least two cut-offs per series. Returns unique_id, selected (the model name), and one column per
    forecaster holding its last-window WAPE: ``champion`` (the selected model) and each baseline present.
    """
    last_cut = cv.groupby("unique_id")["cutoff"].transform("max")
    earlier, last = cv[cv["cutoff"] < last_cut], cv[cv["cutoff"] == last_cut]
    chosen = pick_champions(series_errors(earlier), window_errors(earlier))
    selected = chosen.loc[chosen["is_champion"]].set_index("unique_id")["model"]
    scores = series_errors(last).pivot(index="unique_id", columns="model", values="wape")
    out = pd.DataFrame({"selected": selected}).join(scores, how="inner")
    out["champion"] = [out.at[uid, model] for uid, model in out["selected"].items()]
    keep = ["selected", "champion"] + [b for b in BASELINES if b in out.columns]
    return out[keep].rename_axis("unique_id").reset_index()


def holdout_summary(cv: pd.DataFrame, prices: pd.Series | None = None) -> dict[str, float]:
    """Revenue-weighted last-window WAPE of the champions and of each baseline (formula in the module doc)."""
    per_series = holdout_selection(cv).set_index("unique_id")
    last_cut = cv.groupby("unique_id")["cutoff"].transform("max")
    actual = cv[(cv["cutoff"] == last_cut)].drop_duplicates(["unique_id", "ds"])
    volume = actual["y"].abs().groupby(actual["unique_id"]).sum().reindex(per_series.index)
    price = pd.Series(1.0, index=per_series.index) if prices is None else prices.reindex(per_series.index)
    w = (volume * price.fillna(0.0)).fillna(0.0)
    result = {}
    for column in per_series.columns.drop("selected"):
        values = per_series[column]
        ok = values.notna() & (w > 0)
        result[column] = float((values[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else float("nan")
    return result
