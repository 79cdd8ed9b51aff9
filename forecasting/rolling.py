"""Rolling-origin forecasts of the candidate models: a plan per series, then statsforecast and Prophet.

The layer below the champion rule (``forecasting.backtest``) and the group totals
(``forecasting.topdown``): it knows each series' candidates and cut-offs, not how they are scored.
Cut-offs are ``n_windows`` origins, ``h`` apart, the last one ``h`` periods before the end of the history;
a series too short for that gets a shrunk horizon h_b < h (``backtest_horizon``). statsforecast models see
at most ``models.INPUT_SIZE`` recent points per fit, Prophet the last ``prophet_model.FIT_DAYS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from statsforecast import StatsForecast

from forecasting import prophet_model
from forecasting.calendar import calendar_signal, prophet_holidays
from forecasting.models import (
    CONFORMAL_WINDOWS,
    INPUT_SIZE,
    MOVING_AVERAGE_WINDOW,
    PROPHET_MAX_SHARE,
    PROPHET_MODES,
    CandidateSet,
    build_models,
    choose_candidates,
    pandas_freq,
    prophet_eligible,
)
from forecasting.settings import N_WINDOWS, ForecastSettings

CV_COLUMNS = ["unique_id", "ds", "cutoff", "y", "model", "yhat", "yhat_lower", "yhat_upper"]


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise a long frame ``unique_id, ds, y`` (sorted, typed, no missing values)."""
    missing = {"unique_id", "ds", "y"} - set(df.columns)
    if missing:
        raise ValueError(f"missing columns: {sorted(missing)}")
    out = df[["unique_id", "ds", "y"]].copy()
    out["unique_id"] = out["unique_id"].astype(str)
    out["ds"] = pd.to_datetime(out["ds"])
    out["y"] = pd.to_numeric(out["y"], errors="raise").astype(float)
    if out["y"].isna().any():
        raise ValueError("y has missing values; fill or drop them before forecasting")
    if out.duplicated(["unique_id", "ds"]).any():
        raise ValueError("duplicate (unique_id, ds) rows")
    return out.sort_values(["unique_id", "ds"]).reset_index(drop=True)


def check_regular(df: pd.DataFrame, freq: str) -> None:
    """Raise if a series has gaps or dates off the frequency grid: the models assume one row per period.

    Gaps are not filled here because a missing period can mean zero demand or missing data; the caller knows.
    """
    if df.empty:
        return
    offset = pd.tseries.frequencies.to_offset(sf_freq(freq, df))
    # Every date's place on one grid of the frequency (-1 off the grid); a regular series (sorted, as
    # ``prepare`` leaves it) steps one place at a time.
    grid = pd.date_range(df["ds"].min(), df["ds"].max(), freq=offset)
    place = pd.Series(grid.get_indexer(df["ds"]), index=df.index)
    step = place.groupby(df["unique_id"], sort=False).diff()
    bad = (place < 0) | (step.notna() & (step != 1))
    if bad.any():
        uid = df.loc[bad.idxmax(), "unique_id"]
        raise ValueError(f"series {uid!r} is not regular at freq {freq!r} (gaps or off-grid dates)")


def on_engine(frame: pd.DataFrame, settings: ForecastSettings):
    """The frame statsforecast is handed: ``frame`` itself, or on ``settings.engine`` (a SparkSession) a
    Spark DataFrame, so the fits run distributed through statsforecast's fugue backend."""
    return frame if settings.engine is None else settings.engine.createDataFrame(frame)


def collected(result) -> pd.DataFrame:
    """statsforecast's answer as pandas (a Spark result is collected; dates typed as in-process)."""
    if isinstance(result, pd.DataFrame):
        return result
    out = result.toPandas()
    for column in ("ds", "cutoff"):
        if column in out.columns:
            out[column] = pd.to_datetime(out[column])
    return out.sort_values([c for c in ("unique_id", "cutoff", "ds") if c in out.columns]).reset_index(
        drop=True
    )


def sf_freq(freq: str, df: pd.DataFrame) -> str:
    """The frequency string statsforecast needs for this frame (weekly anchor taken from the data)."""
    return pandas_freq(freq, df["ds"].min() if len(df) else None)


def backtest_horizon(n: int, horizon: int, freq: str, n_windows: int = N_WINDOWS) -> int:
    """The backtest horizon h_b of a series of length n; 0 when not even one step can be backtested.

    Short histories keep ``n_windows`` origins by shrinking the horizon (and step) instead of dropping the
    backtest: the first training slice must hold ``min_train_length(h_b)`` = 2·h_b + w_MA + 1 points, so
    n − n_windows·h_b ≥ 2·h_b + w_MA + 1, i.e. h_b = min(h, ⌊(n − w_MA − 1) / (n_windows + 2)⌋).
    Metrics of a shrunk backtest are pooled over n_windows·h_b points of lead 1…h_b.
    """
    hb = (n - MOVING_AVERAGE_WINDOW[freq] - 1) // (n_windows + CONFORMAL_WINDOWS)
    return max(0, min(horizon, hb))


def backtestable(n: int, horizon: int, freq: str, n_windows: int = N_WINDOWS) -> bool:
    """Whether a series of length n gets a backtest at all (possibly with a shrunk horizon)."""
    return backtest_horizon(n, horizon, freq, n_windows) >= 1


@dataclass(frozen=True)
class SeriesPlan:
    """How one series is backtested: its backtest horizon, candidates and cut-off dates."""

    unique_id: str
    n: int
    horizon: int
    candidates: CandidateSet
    cutoffs: tuple[pd.Timestamp, ...]


def plan_series(df: pd.DataFrame, settings: ForecastSettings) -> dict[str, SeriesPlan]:
    """One plan per backtestable series (prepared frame); candidates judged on the first training slice."""
    prophet, n_windows = settings.prophet, settings.n_windows
    if prophet not in PROPHET_MODES:
        raise ValueError(f"prophet must be one of {PROPHET_MODES}")
    forced = {str(i) for i in settings.prophet_ids}
    table = prophet_holidays() if prophet == "auto" else None
    plans, volume = {}, {}
    for uid, g in df.groupby("unique_id", sort=True):
        n = len(g)
        hb = backtest_horizon(n, settings.horizon, settings.freq, n_windows)
        if hb < 1:
            continue
        first = n - n_windows * hb
        y, ds = g["y"].to_numpy(), g["ds"]
        use_prophet = prophet != "off" and prophet_eligible(y[:first], settings.freq)
        if use_prophet and prophet == "auto" and uid not in forced:
            use_prophet = calendar_signal(ds.iloc[:first], y[:first], table)
        cutoffs = tuple(ds.iloc[first - 1 + k * hb] for k in range(n_windows))
        candidates = choose_candidates(y[:first], settings.freq, use_prophet)
        plans[str(uid)] = SeriesPlan(str(uid), n, hb, candidates, cutoffs)
        volume[str(uid)] = (uid not in forced, -float(y[:first].sum()))
    # The Prophet budget: at most PROPHET_MAX_SHARE of all series, forced ids first, then by volume.
    admitted = sorted((u for u, p in plans.items() if "Prophet" in p.candidates.names), key=volume.get)
    budget = math.ceil(PROPHET_MAX_SHARE * df["unique_id"].nunique()) if prophet == "auto" else len(admitted)
    for uid in admitted[budget:]:
        p = plans[uid]
        without = CandidateSet(p.candidates.stats_names, p.candidates.seasonal_ets)
        plans[uid] = SeriesPlan(uid, p.n, p.horizon, without, p.cutoffs)
    return plans


def start_prophet(
    df: pd.DataFrame, plans: dict[str, SeriesPlan], settings: ForecastSettings, final_horizon: int = 0
) -> prophet_model.ProphetRun | None:
    """Start the Prophet fits of the planned series that have Prophet (None when none has): backtest
    cut-offs, and with ``final_horizon`` the final fit, in a pool that runs while statsforecast runs here."""
    with_prophet = [p for p in plans.values() if "Prophet" in p.candidates.names]
    if not with_prophet:
        return None
    return prophet_model.ProphetRun.start(
        df,
        [p.unique_id for p in with_prophet],
        {p.unique_id: p.cutoffs for p in with_prophet},
        {p.unique_id: p.horizon for p in with_prophet},
        settings.level,
        settings.n_jobs,
        final_horizon=final_horizon,
    )


def candidates_cv(
    df: pd.DataFrame,
    settings: ForecastSettings,
    plans: dict[str, SeriesPlan],
    prophet_run: prophet_model.ProphetRun | None = None,
) -> pd.DataFrame:
    """Rolling-origin forecasts of every planned candidate on a prepared frame, long (``CV_COLUMNS``).

    The Prophet fits are started first in their own process pool and collected after the statsforecast
    models, so both keep the cores busy; ``prophet_run`` passes in a run the caller already started.
    """
    n_jobs = settings.n_jobs
    with_prophet = [p for p in plans.values() if "Prophet" in p.candidates.names]
    run = prophet_run if prophet_run is not None else start_prophet(df, plans, settings)
    groups: dict[tuple[CandidateSet, int], list[str]] = {}
    for plan in plans.values():
        key = (CandidateSet(plan.candidates.stats_names, plan.candidates.seasonal_ets), plan.horizon)
        groups.setdefault(key, []).append(plan.unique_id)
    frames = []
    keep = ["unique_id", "ds", "cutoff", "y"]
    try:
        for (candidates, hb), ids in groups.items():
            # Point forecasts only: the scores and the final bands come from the backtest errors
            # (forecasting.conformal), so the models' own intervals would be computed for nothing.
            sf = StatsForecast(
                models=build_models(candidates, settings.freq, hb, intervals=False),
                freq=sf_freq(settings.freq, df),
                n_jobs=n_jobs,
            )
            cv = sf.cross_validation(
                df=on_engine(df[df["unique_id"].isin(ids)], settings),
                h=hb,
                n_windows=settings.n_windows,
                step_size=hb,
                input_size=INPUT_SIZE.get(settings.freq),
            )
            frames.append(to_long(collected(cv), candidates.names, None, keep=keep))
    except BaseException:
        if run is not None:
            run.cancel()
        raise
    if with_prophet:
        cv = run.cross_validation()
        cv = cv[cv["unique_id"].isin([p.unique_id for p in with_prophet])]
        frames.append(cv.assign(model="Prophet")[keep + ["model", "yhat", "yhat_lower", "yhat_upper"]])
    return pd.concat(frames, ignore_index=True)[CV_COLUMNS] if frames else pd.DataFrame(columns=CV_COLUMNS)


def to_long(wide: pd.DataFrame, names: tuple[str, ...], level: int | None, keep: list[str]) -> pd.DataFrame:
    """statsforecast's wide output (one column per model) to one row per model (bounds NaN without level)."""
    parts = []
    for name in names:
        part = wide[keep].copy()
        part["model"] = name
        part["yhat"] = wide[name].to_numpy()
        part["yhat_lower"] = wide[f"{name}-lo-{level}"].to_numpy() if level is not None else float("nan")
        part["yhat_upper"] = wide[f"{name}-hi-{level}"].to_numpy() if level is not None else float("nan")
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
