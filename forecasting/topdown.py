"""Top-down candidate ("TopDown") for series that belong to a group: the group total's forecast × the
series' recent share of the group.

A sparse SKU × channel series carries little signal of its own; its group total (e.g. the channel across
all SKUs) is a rich series on which the full candidate set can work. So, given ``groups`` (unique_id →
group name):

- the group total G is the sum of its members per period (a member before its first period counts 0);
- G is planned and backtested like any series (``rolling.plan_series``, Prophet offered whenever eligible:
  there are few groups), and its forecast is the mean of its challengers (AutoETS, Theta, Prophet, or
  CrostonSBA/TSB on an intermittent total; the baselines when there is none). A mean, not G's own
  champion: choosing G's model on the backtest windows would leak those windows into TopDown's score;
- the share of series i at a cut-off is s_i = Σ y_i / Σ G over the last ``SHARE_WINDOW`` periods of the
  training slice (56 days, 8 weeks, 3 months, 2 quarters): long enough to average a sparse series' zero
  days (8 weekly cycles), short enough to follow launches, declines and price changes;
- TopDown_i = s_i · Ĝ, backtested at the member's own cut-offs with s_i and Ĝ from each training slice only
  (no leakage). Only members whose cut-offs and backtest horizon equal the group's get the candidate (all
  members with full-length backtests that end with the group). Its backtest interval is s_i times G's
  (mean) interval; the final forecast gets the ŷ ± z·RMSE band like other interval-less champions.

TopDown is a challenger: it has to pass the champion rule (``backtest.pick_champions``) like any other.

On the demo company it lost out of sample to WindowAverage and made the champions worse, so the
pipeline does not pass ``groups``; the option stays for aggregate-level use and other data (the numbers:
docs/choices_and_measurements.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from statsforecast import StatsForecast

from forecasting.models import BASELINES, INPUT_SIZE, build_models, pandas_freq
from forecasting.rolling import (
    candidates_cv,
    check_regular,
    plan_series,
    prepare,
    sf_freq,
    start_prophet,
    to_long,
)
from forecasting.settings import ForecastSettings

TOPDOWN = "TopDown"
SHARE_WINDOW = {"D": 56, "W": 8, "MS": 3, "QS": 2}
_BANDS = ["yhat", "yhat_lower", "yhat_upper"]


@dataclass
class GroupForecasts:
    """Backtest (mean over the group's challengers, per cut-off) and optional final forecast of each group."""

    groups: dict[str, str]
    totals: pd.DataFrame
    plans: dict
    cv: pd.DataFrame  # unique_id (group), ds, cutoff, yhat, yhat_lower, yhat_upper
    final: pd.DataFrame | None  # unique_id (group), ds, yhat, yhat_lower, yhat_upper


def group_totals(df: pd.DataFrame, groups: Mapping[str, str], freq: str) -> pd.DataFrame:
    """``unique_id`` (group), ``ds``, ``y``: the members' sum on a regular grid (missing periods 0)."""
    members = df[df["unique_id"].isin(groups.keys())]
    members = members.assign(unique_id=members["unique_id"].map(groups).astype(str))
    total = members.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    parts = []
    for gid, g in total.groupby("unique_id", sort=True):
        days = pd.date_range(g["ds"].min(), g["ds"].max(), freq=pandas_freq(freq, g["ds"].min()))
        y = g.set_index("ds")["y"].reindex(days, fill_value=0.0)
        parts.append(pd.DataFrame({"unique_id": gid, "ds": days, "y": y.to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else total


def _mean_of_challengers(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    challengers = frame[~frame["model"].isin(BASELINES)]
    has = challengers.groupby("unique_id")["model"].size()
    use = frame[~frame["model"].isin(BASELINES) | ~frame["unique_id"].isin(has.index)]
    return use.groupby(keys, as_index=False)[_BANDS].mean()


def run_groups(df: pd.DataFrame, settings: ForecastSettings, final: bool = False) -> GroupForecasts:
    """Backtest (and with ``final``, forecast) every group total of ``settings.groups``; ``df`` is the
    prepared member frame."""
    horizon, freq, level = settings.horizon, settings.freq, settings.level
    present = set(df["unique_id"].unique())
    groups = {str(k): str(v) for k, v in settings.groups.items() if str(k) in present}
    totals = group_totals(df, groups, freq)
    gids = sorted(totals["unique_id"].unique()) if len(totals) else []
    plans = plan_series(totals, replace(settings, prophet_ids=gids)) if gids else {}
    run = start_prophet(totals, plans, settings, final_horizon=horizon if final else 0)
    if plans:
        prepared = prepare(totals)
        check_regular(prepared, freq)
        cv = candidates_cv(prepared, replace(settings, n_jobs=1), plans, prophet_run=run)
    else:
        cv = pd.DataFrame(columns=["unique_id", "ds", "cutoff", "model", *_BANDS])
    cv_mean = _mean_of_challengers(cv, ["unique_id", "cutoff", "ds"]) if len(cv) else cv
    fc_mean = None
    if final and plans:
        input_size = INPUT_SIZE.get(freq)
        recent = totals.groupby("unique_id").tail(input_size) if input_size else totals
        frames = []
        for gid, plan in plans.items():
            sub = recent[recent["unique_id"] == gid]
            names = plan.candidates.stats_names
            sf = StatsForecast(models=build_models(plan.candidates, freq, horizon), freq=sf_freq(freq, sub))
            frames.append(
                to_long(sf.forecast(df=sub, h=horizon, level=[level]), names, level, ["unique_id", "ds"])
            )
        if run is not None:
            with_prophet = [p.unique_id for p in plans.values() if "Prophet" in p.candidates.names]
            frames.append(run.forecast(with_prophet).assign(model="Prophet"))
        fc_mean = _mean_of_challengers(pd.concat(frames, ignore_index=True), ["unique_id", "ds"])
    return GroupForecasts(groups, totals, plans, cv_mean, fc_mean)


def _share(y: np.ndarray, total: np.ndarray) -> float:
    denom = float(total.sum())
    return float(y.sum()) / denom if denom > 0 else 0.0


def _shares(df: pd.DataFrame, gf: GroupForecasts, uids: list[str], cutoffs: list, w: int) -> pd.DataFrame:
    """``unique_id, cutoff, share``: Σ y_i / Σ G over the last ``w`` periods up to each cut-off."""
    frames = []
    members = df[df["unique_id"].isin(uids)]
    for gid, total in gf.totals.groupby("unique_id"):
        ids = [u for u in uids if gf.groups[u] == gid]
        if not ids:
            continue
        index = pd.DatetimeIndex(total["ds"])
        wide = members[members["unique_id"].isin(ids)].pivot(index="ds", columns="unique_id", values="y")
        wide = wide.reindex(index, fill_value=0.0).fillna(0.0)
        cs = np.vstack([np.zeros((1, wide.shape[1])), np.cumsum(wide.to_numpy(), axis=0)])
        ct = np.concatenate([[0.0], np.cumsum(total["y"].to_numpy())])
        for cut in cutoffs:
            pos = int(index.searchsorted(cut, side="right"))  # periods up to and including the cut-off
            lo = max(0, pos - w)
            denom = ct[pos] - ct[lo]
            share = (cs[pos] - cs[lo]) / denom if denom > 0 else np.zeros(len(wide.columns))
            frames.append(pd.DataFrame({"unique_id": wide.columns, "cutoff": cut, "share": share}))
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["unique_id", "cutoff", "share"])
    )


def topdown_cv(df: pd.DataFrame, plans: dict, gf: GroupForecasts, freq: str) -> pd.DataFrame:
    """TopDown's backtest rows (``unique_id, ds, cutoff, y, model, yhat, yhat_lower, yhat_upper``) for the
    members whose cut-offs and horizon equal their group's."""
    cols = ["unique_id", "ds", "cutoff", "y", "model", *_BANDS]
    eligible = [
        uid
        for uid, gid in gf.groups.items()
        if uid in plans
        and gid in gf.plans
        and plans[uid].cutoffs == gf.plans[gid].cutoffs
        and plans[uid].horizon == gf.plans[gid].horizon
    ]
    if not eligible or gf.cv.empty:
        return pd.DataFrame(columns=cols)
    cutoffs = sorted({c for uid in eligible for c in plans[uid].cutoffs})
    shares = _shares(df, gf, eligible, cutoffs, SHARE_WINDOW[freq])
    shares["group"] = shares["unique_id"].map(gf.groups)
    out = shares.merge(gf.cv.rename(columns={"unique_id": "group"}), on=["group", "cutoff"])
    out[_BANDS] = out[_BANDS].to_numpy() * out[["share"]].to_numpy()
    out = out.merge(df[["unique_id", "ds", "y"]], on=["unique_id", "ds"], how="left")
    return out.assign(model=TOPDOWN)[cols]


def topdown_forecast(df: pd.DataFrame, ids: list[str], gf: GroupForecasts, freq: str) -> pd.DataFrame:
    """Final TopDown forecast of ``ids``: share over the last ``SHARE_WINDOW`` periods × group forecast;
    intervals left NaN (the caller applies the RMSE band)."""
    w = SHARE_WINDOW[freq]
    totals = {gid: g.set_index("ds")["y"] for gid, g in gf.totals.groupby("unique_id")}
    final = {gid: g for gid, g in gf.final.groupby("unique_id")}
    frames = []
    for uid, g in df[df["unique_id"].isin(ids)].groupby("unique_id", sort=True):
        gid = gf.groups[uid]
        y = g.set_index("ds")["y"].reindex(totals[gid].index, fill_value=0.0)
        share = _share(y.to_numpy()[-w:], totals[gid].to_numpy()[-w:])
        fc = final[gid]
        frames.append(
            pd.DataFrame(
                {
                    "unique_id": uid,
                    "ds": fc["ds"].to_numpy(),
                    "yhat": fc["yhat"].to_numpy() * share,
                    "yhat_lower": np.nan,
                    "yhat_upper": np.nan,
                    "model": TOPDOWN,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
