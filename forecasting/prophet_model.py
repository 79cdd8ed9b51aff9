"""Prophet for one series at a time, run across series in a process pool (one cmdstan call per fit).

Configuration: linear trend, weekly and yearly seasonality (additive), the shipped holiday table (rows near
the fitted dates only, which keeps the design matrix small), MAP fit with L-BFGS, no posterior sampling
(``uncertainty_samples=0``). Interval: ŷ ± q where q is the level-quantile of the absolute in-sample
residuals over the last ``RESIDUAL_DAYS`` training days (an empirical band; the backtest measures its
coverage). Prophet and cmdstanpy INFO logging is silenced.

Speed (see ``benchmarks/forecast_speed.py``; the options below are module constants so they can be measured):

- ``FAST_FEATURES``: holiday features built with numpy instead of Prophet's row-by-row loop, the additive
  component matrix without ``pd.crosstab``, and a lean prediction (trend + X·β, all terms are additive).
  Same model, same numbers.
- The cmdstan input is handed over as numpy arrays (stanio serialises them in one call, with ``ujson``).
- ``WARM_START``: the fits of one series (its backtest cut-offs, then the final fit) run in order in one task,
  each starting L-BFGS from the previous fit's parameters (Prophet's documented warm start).
- ``FIT_DAYS``: each fit sees at most the last ``FIT_DAYS`` (548) days: the yearly cycle 1.5 times and every
  holiday at least once, and the cost does not grow with older history. ``N_CHANGEPOINTS`` = 10 (Prophet's
  default 25 costs more for no accuracy on the benchmark's festival series).
- ``ProphetRun`` runs all fits of a series in one pool task; the pool comes from a fork server that imported
  Prophet once, and is started before the statsforecast work so both keep the cores busy.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import warnings
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np
import pandas as pd

from forecasting.calendar import prophet_holidays

RESIDUAL_DAYS = 364
HOLIDAY_MARGIN = pd.Timedelta(days=30)
FIT_DAYS: int | None = 548
YEARLY_ORDER: int | str = "auto"  # Prophet's default: 10 Fourier pairs
N_CHANGEPOINTS = 10
ALGORITHM = "LBFGS"
WARM_START = True
FAST_FEATURES = True
OPTIMIZE_KW: dict = {}
OVERLAP = True  # False: wait for the Prophet pool in ``ProphetRun.start`` (for measurements)


def _quiet() -> None:
    for name in ("cmdstanpy", "prophet"):
        logger = logging.getLogger(name)
        if not logger.handlers:  # cmdstanpy installs a DEBUG-level handler only on a logger without one
            logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.ERROR)
        logger.propagate = False


_CLASSES: tuple | None = None


def _classes() -> tuple:
    """(Prophet subclass, backend class), built once per process (importing Prophet costs ≈ 1 s)."""
    global _CLASSES
    if _CLASSES is not None:
        return _CLASSES
    _quiet()
    from prophet import Prophet
    from prophet.models import CmdStanPyBackend

    _quiet()

    class _FastBackend(CmdStanPyBackend):
        @staticmethod
        def prepare_data(init, data):
            inits, out = CmdStanPyBackend.prepare_data(init, data)
            # stanio serialises an ndarray in one call, a list item by item
            out["X"] = data["X"].to_numpy()
            for key in ("y", "t", "cap", "t_change", "s_a", "s_m"):
                out[key] = np.asarray(data[key], dtype=float)
            out["sigmas"] = np.asarray(data["sigmas"], dtype=float)
            inits["delta"] = np.asarray(init["delta"], dtype=float)
            inits["beta"] = np.asarray(init["beta"], dtype=float)
            return inits, out

    class _LeanProphet(Prophet):
        """Prophet with vectorised holiday features and component matrix (additive model only)."""

        @staticmethod
        def fourier_series(dates, period, series_order):
            if not FAST_FEATURES:
                return Prophet.fourier_series(dates, period, series_order)
            epoch = pd.Timestamp("1970-01-01", tz=dates.dt.tz)
            x = 2 * np.pi * ((dates - epoch).dt.total_seconds().to_numpy() / (24 * 60 * 60))
            out = np.empty((len(x), 2 * series_order))
            for i in range(series_order):
                c = (i + 1) / period * x
                out[:, 2 * i], out[:, 2 * i + 1] = np.sin(c), np.cos(c)
            return out

        def make_holiday_features(self, dates, holidays):
            if not FAST_FEATURES or "prior_scale" in holidays:
                return super().make_holiday_features(dates, holidays)
            index = pd.DatetimeIndex(dates).normalize()
            lw = holidays["lower_window"].astype(int).to_numpy()
            uw = holidays["upper_window"].astype(int).to_numpy()
            reps = uw - lw + 1
            offsets = np.concatenate([np.arange(a, b + 1) for a, b in zip(lw, uw, strict=True)])
            names = np.repeat(holidays["holiday"].to_numpy(), reps)
            days = np.repeat(pd.DatetimeIndex(holidays["ds"]).normalize(), reps) + pd.to_timedelta(
                offsets, "D"
            )
            keys = [
                f"{h}_delim_{'+' if k >= 0 else '-'}{abs(k)}" for h, k in zip(names, offsets, strict=True)
            ]
            columns = sorted(set(keys))
            col_of = {c: i for i, c in enumerate(columns)}
            rows = index.get_indexer(days)
            X = np.zeros((len(index), len(columns)))
            found = rows >= 0
            X[rows[found], [col_of[k] for k, f in zip(keys, found, strict=True) if f]] = 1.0
            holiday_names = list(dict.fromkeys(holidays["holiday"]))
            if self.train_holiday_names is None:
                self.train_holiday_names = pd.Series(holiday_names)
            prior = [float(self.holidays_prior_scale)] * len(columns)
            return pd.DataFrame(X, columns=columns), prior, holiday_names

        def regressor_column_matrix(self, seasonal_features, modes):
            if not FAST_FEATURES or modes["multiplicative"] or self.extra_regressors:
                return super().regressor_column_matrix(seasonal_features, modes)
            # All components additive: Prophet's fit only needs the additive/multiplicative indicator columns.
            n = seasonal_features.shape[1]
            cols = pd.DataFrame({"additive_terms": np.ones(n, int), "multiplicative_terms": np.zeros(n, int)})
            modes = {
                "additive": [*modes["additive"], "additive_terms", "extra_regressors_additive", "holidays"],
                "multiplicative": ["multiplicative_terms", "extra_regressors_multiplicative"],
            }
            return cols, modes

        def lean_predict(self, ds: pd.DatetimeIndex) -> np.ndarray:
            """yhat = trend + y_scale · X·β on dates ``ds`` (additive model, MAP parameters)."""
            if not FAST_FEATURES or self.extra_regressors:
                return self.predict(pd.DataFrame({"ds": ds}))["yhat"].to_numpy()
            df = self.setup_dataframe(pd.DataFrame({"ds": ds}))
            trend = self.predict_trend(df)
            X, *_ = self.make_all_seasonality_features(df)
            return np.asarray(trend) + self.y_scale * (X.to_numpy() @ self.params["beta"][0])

    _CLASSES = (_LeanProphet, _FastBackend)
    return _CLASSES


@functools.cache
def _holiday_table() -> pd.DataFrame:
    return prophet_holidays()


def _new_prophet(holidays: pd.DataFrame):
    model_cls, backend_cls = _classes()
    model = model_cls(
        growth="linear",
        weekly_seasonality=True,
        yearly_seasonality=YEARLY_ORDER if YEARLY_ORDER != "auto" else True,
        daily_seasonality=False,
        holidays=holidays if len(holidays) else None,
        n_changepoints=N_CHANGEPOINTS,
        uncertainty_samples=0,
    )
    backend = backend_cls()
    backend.newton_fallback = True
    model.stan_backend = backend
    return model


def _init_from(model) -> dict | None:
    """The stan init of a warm start: the fitted parameters of ``model`` (Prophet docs, "Updating fitted
    models")."""
    if model is None or model.params is None:
        return None
    params = model.params
    return {
        "k": float(params["k"][0][0]),
        "m": float(params["m"][0][0]),
        "sigma_obs": float(params["sigma_obs"][0][0]),
        "delta": np.asarray(params["delta"][0], dtype=float),
        "beta": np.asarray(params["beta"][0], dtype=float),
    }


def fit_predict(
    ds: np.ndarray, y: np.ndarray, horizon: int, level: int, previous=None
) -> tuple[pd.DataFrame, object]:
    """Fit on (ds, y) and forecast ``horizon`` days: (``ds, yhat, yhat_lower, yhat_upper``, fitted model).

    ``previous``: a model fitted on an earlier cut-off of the same series, whose parameters start the fit.
    """
    ds = pd.DatetimeIndex(ds)
    y = np.asarray(y, dtype=float)
    if FIT_DAYS is not None and len(ds) > FIT_DAYS:
        ds, y = ds[-FIT_DAYS:], y[-FIT_DAYS:]
    future = pd.date_range(ds[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    table = _holiday_table()
    table = table[
        (table["ds"] >= ds[0] - HOLIDAY_MARGIN) & (table["ds"] <= future[-1] + HOLIDAY_MARGIN)
    ].copy()
    model = _new_prophet(table)
    kwargs = dict(OPTIMIZE_KW, algorithm=ALGORITHM)
    init = _init_from(previous) if WARM_START else None
    if init is not None:
        kwargs["init"] = init
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(pd.DataFrame({"ds": ds, "y": y}), **kwargs)
        recent = ds[-RESIDUAL_DAYS:]
        pred = model.lean_predict(recent.append(future))
    model.stan_backend.cleanup()
    fitted, yhat = pred[: len(recent)], pred[len(recent) :]
    q = float(np.quantile(np.abs(y[-len(recent) :] - fitted), level / 100))
    out = pd.DataFrame({"ds": future, "yhat": yhat, "yhat_lower": yhat - q, "yhat_upper": yhat + q})
    return out, model


def _series_task(task: tuple) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """All Prophet fits of one series, in time order: backtest cut-offs, then (optionally) the final fit."""
    uid, ds, y, cutoffs, horizon, level, final_horizon = task
    parts, previous = [], None
    for cut in cutoffs or ():
        n = int(np.searchsorted(ds, np.datetime64(cut), side="right"))
        out, previous = fit_predict(ds[:n], y[:n], horizon, level, previous)
        out["cutoff"] = pd.Timestamp(cut)
        out["y"] = y[n : n + horizon]
        parts.append(out)
    cv = pd.concat(parts, ignore_index=True).assign(unique_id=uid) if parts else None
    fc = None
    if final_horizon:
        fc, _ = fit_predict(ds, y, final_horizon, level, previous)
        fc["unique_id"] = uid
    return cv, fc


POOL_CONTEXT = "forkserver"


def _pool_context():
    """Workers come from a fork server that imported Prophet once (≈1 s, paid once per process, in the
    background); forking the main process instead would copy its threads (the pool's own, statsforecast's)."""
    if POOL_CONTEXT == "fork":
        _classes()  # import Prophet once here; forked workers inherit it
    ctx = multiprocessing.get_context(POOL_CONTEXT)
    if POOL_CONTEXT == "forkserver":
        ctx.set_forkserver_preload(["prophet", "cmdstanpy", "forecasting.prophet_model"])
    return ctx


def workers_for(n_tasks: int, n_jobs: int) -> int:
    return max(1, min(n_tasks, n_jobs if n_jobs > 0 else os.cpu_count() or 1))


class ProphetRun:
    """Prophet work for several series, started in a process pool and collected later.

    ``start`` returns at once when a pool is used, so the caller can run statsforecast meanwhile; with one
    worker the work runs in ``start``. One task per series does its backtest fits and (when
    ``final_horizon`` is set) its final fit, so one pool serves both and the warm start chains through.
    """

    def __init__(self, results: list[Future] | list[tuple], pool: ProcessPoolExecutor | None):
        self._results, self._pool, self._done = results, pool, None

    @classmethod
    def start(
        cls,
        df: pd.DataFrame,
        ids: list[str],
        cutoffs: dict,
        horizons: dict,
        level: int,
        n_jobs: int = 1,
        final_horizon: int = 0,
    ) -> ProphetRun:
        sub = df[df["unique_id"].isin(ids)]
        tasks = [
            (
                uid,
                g["ds"].to_numpy(),
                g["y"].to_numpy(dtype=float),
                cutoffs.get(uid),
                horizons.get(uid, final_horizon),
                level,
                final_horizon,
            )
            for uid, g in sub.groupby("unique_id", sort=True)
        ]
        workers = workers_for(len(tasks), n_jobs)
        if workers <= 1:
            return cls([_series_task(t) for t in tasks], None)
        # Longest series first so that the pool does not end on one long task.
        tasks.sort(key=lambda t: -len(t[1]))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
        run = cls([pool.submit(_series_task, t) for t in tasks], pool)
        if not OVERLAP:
            run._collect()
        return run

    def _collect(self) -> list[tuple]:
        if self._done is None:
            if self._pool is None:
                self._done = list(self._results)
            else:
                try:
                    self._done = [f.result() for f in self._results]
                finally:
                    self._pool.shutdown()
        return self._done

    def cross_validation(self) -> pd.DataFrame:
        """``unique_id, ds, cutoff, y, yhat, yhat_lower, yhat_upper`` of every backtest fit."""
        frames = [cv for cv, _ in self._collect() if cv is not None]
        cols = ["ds", "yhat", "yhat_lower", "yhat_upper", "cutoff", "y", "unique_id"]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)

    def forecast(self, ids: list[str] | None = None) -> pd.DataFrame:
        """``unique_id, ds, yhat, yhat_lower, yhat_upper`` of the final fits (of ``ids`` only, if given)."""
        frames = [fc for _, fc in self._collect() if fc is not None]
        out = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=["ds", "yhat", "yhat_lower", "yhat_upper", "unique_id"])
        )
        return out if ids is None else out[out["unique_id"].isin(ids)].reset_index(drop=True)

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def cross_validate(
    df: pd.DataFrame, ids: list[str], cutoffs: dict, horizon: int, level: int, n_jobs: int = 1
) -> pd.DataFrame:
    """Prophet refit at each series' cut-offs: ``unique_id, ds, cutoff, y, yhat, yhat_lower, yhat_upper``."""
    return ProphetRun.start(df, ids, cutoffs, dict.fromkeys(ids, horizon), level, n_jobs).cross_validation()


def forecast(df: pd.DataFrame, ids: list[str], horizon: int, level: int, n_jobs: int = 1) -> pd.DataFrame:
    """Prophet on each series' full history: ``unique_id, ds, yhat, yhat_lower, yhat_upper``."""
    return ProphetRun.start(df, ids, {}, {}, level, n_jobs, final_horizon=horizon).forecast()
