"""Forecast accuracy per series and revenue-weighted per scope, champion vs baselines vs the sales team.

- WAPE = Σ|y − ŷ| ÷ Σ|y|, bias = Σ(ŷ − y) ÷ Σy (forecasting.metrics), per series over its backtest periods.
- Revenue weight of a series wᵢ = its revenue in its scored periods (unit price pᵢ = history net revenue ÷
  net units, times Σ|y| over those periods) ÷ that of all series scored at that frequency (sums to 1 per
  as_of × freq).
- Revenue-weighted WAPE of a scope = Σ wᵢ·WAPEᵢ ÷ Σ wᵢ = Σᵢ pᵢ·Σ|eᵢ| ÷ Σᵢ pᵢ·Σ|yᵢ|: the absolute error in
  money over the revenue, so a sparse cheap series with a wild percentage error barely moves it. A series
  with no demand in its scored periods has weight 0 and no WAPE. Bias and coverage are weighted the same
  way.
- FVA (forecast value added) vs the sales team = sales-team WAPE − champion WAPE (positive: the model
  adds value).

Weekly and monthly accuracy when those series are too short for their own backtest: the daily backtest
(rolling origins, ``cross_validate``) is summed to the complete weeks / months that lie entirely inside the
backtested days, and scored there; the champion is the series' daily champion (the reconciled forecast
takes its first weeks and the current month from the daily forecast). Interval coverage is not defined
for summed daily intervals and is left empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import metrics
from forecasting.models import BASELINES, season_length
from forecasting.rolling import backtest_horizon
from planning.demand_series import period_end, period_start

SERIES_COLUMNS = ["unique_id", "model", "wape", "mase", "bias", "coverage", "n_points", "is_champion"]
FORECASTERS = ("champion", *BASELINES, "sales_team")


def rollup_backtest(cv: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Daily backtest rows (unique_id, ds, y, model, yhat) summed to the complete periods of ``freq`` that lie
    inside the backtested days (the same days for every series, which all end on as_of)."""
    if cv.empty:
        return pd.DataFrame(columns=["unique_id", "model", "ds", "y", "yhat", "days"])
    first, last = pd.to_datetime(cv["ds"]).min(), pd.to_datetime(cv["ds"]).max()
    frame = cv.assign(ds=period_start(cv["ds"], freq))
    frame = frame[(frame["ds"] >= first) & (period_end(frame["ds"], freq) <= last)]
    out = frame.groupby(["unique_id", "model", "ds"], as_index=False).agg(
        y=("y", "sum"), yhat=("yhat", "sum"), days=("y", "size")
    )
    expected = (period_end(out["ds"], freq) - out["ds"]).dt.days + 1
    return out[out["days"] == expected].reset_index(drop=True)


def score_periods(rolled: pd.DataFrame, history: pd.DataFrame, freq: str, champions: dict) -> pd.DataFrame:
    """Per series and model: WAPE, MASE (scale: in-sample seasonal naive of the history before the first
    scored period), bias, n_points; coverage empty; ``is_champion`` = the model is ``champions[uid]``."""
    m = season_length(freq)
    rows = []
    hist = {uid: g.sort_values("ds") for uid, g in history.groupby("unique_id")}
    for (uid, model), g in rolled.groupby(["unique_id", "model"], sort=True):
        h = hist.get(uid)
        y_train = h.loc[h["ds"] < g["ds"].min(), "y"].to_numpy() if h is not None else np.array([])
        y, yhat = g["y"].to_numpy(), g["yhat"].to_numpy()
        rows.append(
            {
                "unique_id": uid,
                "model": model,
                "wape": metrics.wape(y, yhat),
                "mase": metrics.mase(y, yhat, y_train, season=m),
                "bias": metrics.bias(y, yhat),
                "coverage": float("nan"),
                "n_points": len(g),
                "is_champion": champions.get(uid) == model,
            }
        )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def scored_periods_native(
    history: pd.DataFrame, scored_ids, horizon: int, n_windows: int, freq: str
) -> pd.DataFrame:
    """Periods a library backtest scored: the last ``n_windows × h_b`` periods of each scored series, where
    h_b is the series' backtest horizon (``forecasting.rolling.backtest_horizon``: shrunk for short
    histories)."""
    sub = history[history["unique_id"].isin(set(scored_ids))].sort_values(["unique_id", "ds"])
    parts = [
        g.tail(n_windows * backtest_horizon(len(g), horizon, freq, n_windows))
        for _, g in sub.groupby("unique_id", sort=True)
    ]
    columns = ["unique_id", "ds", "y"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def sales_team_scores(periods: pd.DataFrame, sales_forecast: pd.DataFrame) -> pd.DataFrame:
    """The sales team scored on exactly the given (unique_id, ds, y) months.

    ``sales_forecast`` has unique_id, ds (month), yhat: the version made the month before. A month the
    sales team did not forecast for a series counts as a forecast of 0 (their export lists only
    positive quantities).
    """
    merged = periods.merge(sales_forecast[["unique_id", "ds", "yhat"]], on=["unique_id", "ds"], how="left")
    merged["yhat"] = merged["yhat"].fillna(0.0)
    rows = []
    for uid, g in merged.groupby("unique_id", sort=True):
        y, yhat = g["y"].to_numpy(), g["yhat"].to_numpy()
        rows.append(
            {
                "unique_id": uid,
                "model": "sales_team",
                "wape": metrics.wape(y, yhat),
                "mase": float("nan"),
                "bias": metrics.bias(y, yhat),
                "coverage": float("nan"),
                "n_points": len(g),
                "is_champion": False,
            }
        )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def unit_prices(demand: pd.DataFrame) -> pd.Series:
    """Per series (``unique_id``): net revenue ÷ net units over the history, 0 when either is not positive."""
    totals = demand.groupby("unique_id")[["net_revenue_reporting", "net_quantity"]].sum()
    ok = (totals["net_revenue_reporting"] > 0) & (totals["net_quantity"] > 0)
    price = totals["net_revenue_reporting"].astype(float) / totals["net_quantity"].where(ok).astype(float)
    return price.fillna(0.0)


def value_weights(prices: pd.Series, periods: pd.DataFrame) -> pd.Series:
    """wᵢ = pᵢ·Σ|yᵢ| over the series' scored periods (its revenue there), normalised to sum 1.

    With these weights Σ wᵢ·WAPEᵢ ÷ Σ wᵢ = Σᵢ pᵢ·Σ|eᵢ| ÷ Σᵢ pᵢ·Σ|yᵢ|: the revenue-weighted WAPE. Equal
    shares when no series had revenue in its scored periods.
    """
    volume = periods["y"].abs().groupby(periods["unique_id"]).sum()
    revenue = volume * prices.reindex(volume.index).fillna(0.0)
    total = revenue.sum()
    if total > 0:
        return revenue / total
    return pd.Series(1.0 / len(volume), index=volume.index) if len(volume) else revenue


def weighted(values: pd.Series, weights: pd.Series) -> float | None:
    """Σ wᵢ·vᵢ ÷ Σ wᵢ over the entries with a defined value (None when none is defined)."""
    ok = values.notna() & weights.notna()
    if not ok.any() or weights[ok].sum() <= 0:
        return None
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum())


def summarize(series: pd.DataFrame, sales_team: pd.DataFrame | None = None) -> pd.DataFrame:
    """Revenue-weighted accuracy per freq × scope × forecaster.

    ``series``: one row per freq × series × model with freq, unique_id, channel, product_category, model,
    is_champion, wape, bias, coverage, revenue_weight. ``sales_team``: the same columns for the sales team
    (model 'sales_team'), scored on the same periods, or None.
    """
    pools = {
        "champion": series[series["is_champion"]],
        **{name: series[series["model"] == name] for name in BASELINES},
    }
    if sales_team is not None and len(sales_team):
        pools["sales_team"] = sales_team
    rows = []
    for forecaster, pool in pools.items():
        for freq, by_freq in pool.groupby("freq"):
            scopes = [("all", "all", by_freq)]
            scopes += [("channel", v, g) for v, g in by_freq.groupby("channel")]
            scopes += [("category", v, g) for v, g in by_freq.groupby("product_category")]
            for scope, value, g in scopes:
                w = g["revenue_weight"].astype(float)
                rows.append(
                    {
                        "freq": freq,
                        "scope": scope,
                        "scope_value": value,
                        "forecaster": forecaster,
                        "revenue_weighted_wape": weighted(g["wape"].astype(float), w),
                        "bias": weighted(g["bias"].astype(float), w),
                        "coverage": None
                        if forecaster == "sales_team"
                        else weighted(g["coverage"].astype(float), w),
                        "series": int(g["wape"].notna().sum()),
                    }
                )
    out = pd.DataFrame(rows)
    key = ["freq", "scope", "scope_value"]
    team = out[out["forecaster"] == "sales_team"].set_index(key)["revenue_weighted_wape"]
    out["fva_vs_sales_team"] = None
    champ = out["forecaster"] == "champion"
    team_wape = pd.Series(
        [team.get(tuple(k)) for k in out.loc[champ, key].itertuples(index=False)], index=out.index[champ]
    )
    out.loc[champ, "fva_vs_sales_team"] = team_wape - out.loc[champ, "revenue_weighted_wape"].astype(float)
    out["fva_vs_sales_team"] = out["fva_vs_sales_team"].astype(float)
    return out
