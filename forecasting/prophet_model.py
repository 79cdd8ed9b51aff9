"""Prophet for one series at a time, run across series in a process pool (one cmdstan call per fit).

Configuration: linear trend, weekly and yearly seasonality (additive), the shipped holiday table (rows near
the series' dates only, which keeps the design matrix small), MAP fit with L-BFGS, no posterior sampling
(``uncertainty_samples=0``). Interval: ŷ ± q where q is the level-quantile of the absolute in-sample
residuals over the last ``RESIDUAL_DAYS`` training days (an empirical band; the backtest measures its
coverage). Prophet and cmdstanpy INFO logging is silenced.

Speed: stanio writes the cmdstan input JSON with ``ujson`` when installed (a dependency for that reason);
``_FastBackend`` hands it numpy arrays instead of nested lists, which it converts in one call.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from forecasting.calendar import prophet_holidays

RESIDUAL_DAYS = 364
HOLIDAY_MARGIN = pd.Timedelta(days=30)


def _quiet() -> None:
    for name in ("cmdstanpy", "prophet"):
        logger = logging.getLogger(name)
        if not logger.handlers:  # cmdstanpy installs a DEBUG-level handler only on a logger without one
            logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.ERROR)
        logger.propagate = False


def _new_prophet(holidays: pd.DataFrame):
    _quiet()
    from prophet import Prophet
    from prophet.models import CmdStanPyBackend

    _quiet()

    class _FastBackend(CmdStanPyBackend):
        @staticmethod
        def prepare_data(init, data):
            inits, out = CmdStanPyBackend.prepare_data(init, data)
            out["X"] = data["X"].to_numpy()  # stanio serialises an ndarray in one call, a list item by item
            return inits, out

    model = Prophet(
        growth="linear",
        weekly_seasonality=True,
        yearly_seasonality=True,
        daily_seasonality=False,
        holidays=holidays if len(holidays) else None,
        uncertainty_samples=0,
    )
    backend = _FastBackend()
    backend.newton_fallback = True
    model.stan_backend = backend
    return model


def fit_predict(ds: np.ndarray, y: np.ndarray, horizon: int, level: int) -> pd.DataFrame:
    """Fit on (ds, y) and forecast ``horizon`` days: columns ``ds, yhat, yhat_lower, yhat_upper``."""
    ds = pd.DatetimeIndex(ds)
    future = pd.date_range(ds[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    table = prophet_holidays()
    table = table[(table["ds"] >= ds[0] - HOLIDAY_MARGIN) & (table["ds"] <= future[-1] + HOLIDAY_MARGIN)]
    model = _new_prophet(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(pd.DataFrame({"ds": ds, "y": np.asarray(y, dtype=float)}), algorithm="LBFGS")
        recent = ds[-RESIDUAL_DAYS:]
        pred = model.predict(pd.DataFrame({"ds": recent.append(future)}))["yhat"].to_numpy()
    fitted, yhat = pred[: len(recent)], pred[len(recent) :]
    q = float(np.quantile(np.abs(np.asarray(y, dtype=float)[-len(recent) :] - fitted), level / 100))
    return pd.DataFrame({"ds": future, "yhat": yhat, "yhat_lower": yhat - q, "yhat_upper": yhat + q})


def _cv_task(task: tuple) -> pd.DataFrame:
    uid, ds, y, cutoffs, horizon, level = task
    parts = []
    for cut in cutoffs:
        n = int(np.searchsorted(ds, np.datetime64(cut), side="right"))
        out = fit_predict(ds[:n], y[:n], horizon, level)
        out["cutoff"] = pd.Timestamp(cut)
        out["y"] = y[n : n + horizon]
        parts.append(out)
    frame = pd.concat(parts, ignore_index=True)
    frame["unique_id"] = uid
    return frame


def _forecast_task(task: tuple) -> pd.DataFrame:
    uid, ds, y, _, horizon, level = task
    return fit_predict(ds, y, horizon, level).assign(unique_id=uid)


def _run(fn, tasks: list[tuple], n_jobs: int) -> list[pd.DataFrame]:
    workers = min(len(tasks), n_jobs if n_jobs > 0 else os.cpu_count() or 1)
    if workers <= 1:
        return [fn(t) for t in tasks]
    # Not plain fork: callers such as Dagster run threads, and a forked child can inherit a held lock and
    # hang forever. The fork server is a clean single-threaded process that imports Prophet (≈1 s) once
    # and forks the workers from there.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "prophet"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(fn, tasks, chunksize=max(1, len(tasks) // (4 * workers))))


def _tasks(df: pd.DataFrame, ids: list[str], cutoffs: dict, horizon: int, level: int) -> list[tuple]:
    sub = df[df["unique_id"].isin(ids)]
    return [
        (uid, g["ds"].to_numpy(), g["y"].to_numpy(dtype=float), cutoffs.get(uid), horizon, level)
        for uid, g in sub.groupby("unique_id", sort=True)
    ]


def cross_validate(
    df: pd.DataFrame, ids: list[str], cutoffs: dict, horizon: int, level: int, n_jobs: int = 1
) -> pd.DataFrame:
    """Prophet refit at each series' cut-offs: ``unique_id, ds, cutoff, y, yhat, yhat_lower, yhat_upper``."""
    frames = _run(_cv_task, _tasks(df, ids, cutoffs, horizon, level), n_jobs)
    return pd.concat(frames, ignore_index=True)


def forecast(df: pd.DataFrame, ids: list[str], horizon: int, level: int, n_jobs: int = 1) -> pd.DataFrame:
    """Prophet on each series' full history: ``unique_id, ds, yhat, yhat_lower, yhat_upper``."""
    frames = _run(_forecast_task, _tasks(df, ids, {}, horizon, level), n_jobs)
    return pd.concat(frames, ignore_index=True)
