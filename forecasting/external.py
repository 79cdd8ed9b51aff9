"""Score a forecast made outside OmniOps (e.g. the sales team's monthly plan) the same way as our models.

Both frames are long: actuals ``unique_id, ds, y`` and forecast ``unique_id, ds, yhat``; only periods present
in both are scored. With a reference (e.g. our champion's forecast for the same periods), each row also
gets forecast value added FVA = WAPE(reference) − WAPE(forecast), positive when the scored forecast is the
better one.
"""

from __future__ import annotations

import pandas as pd

from forecasting import metrics


def score_external(
    actuals: pd.DataFrame,
    forecast: pd.DataFrame,
    history: pd.DataFrame | None = None,
    season: int = 1,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per series: ``unique_id, wape, bias, mae, rmse, mase, n_points`` (+ ``reference_wape, fva``).

    ``mase`` needs ``history`` (``unique_id, ds, y`` before the forecast periods) for its seasonal-naive
    scale with season ``season``; it is nan without. ``reference`` has ``unique_id, ds, yhat``.
    """
    a = actuals.assign(ds=pd.to_datetime(actuals["ds"]))[["unique_id", "ds", "y"]]
    f = forecast.assign(ds=pd.to_datetime(forecast["ds"]))[["unique_id", "ds", "yhat"]]
    joined = a.merge(f, on=["unique_id", "ds"], how="inner")
    if reference is not None:
        ref = reference.assign(ds=pd.to_datetime(reference["ds"]))[["unique_id", "ds", "yhat"]]
        joined = joined.merge(ref.rename(columns={"yhat": "yhat_ref"}), on=["unique_id", "ds"], how="left")
    train = (
        {}
        if history is None
        else {u: g.sort_values("ds")["y"].to_numpy() for u, g in history.groupby("unique_id")}
    )
    rows = []
    for uid, g in joined.groupby("unique_id", sort=True):
        y, yhat = g["y"].to_numpy(), g["yhat"].to_numpy()
        row = {
            "unique_id": uid,
            "wape": metrics.wape(y, yhat),
            "bias": metrics.bias(y, yhat),
            "mae": float(abs(y - yhat).mean()),
            "rmse": metrics.rmse(y, yhat),
            "mase": metrics.mase(y, yhat, train[uid], season) if uid in train else float("nan"),
            "n_points": len(g),
        }
        if reference is not None:
            row["reference_wape"] = metrics.wape(y, g["yhat_ref"].to_numpy())
            row["fva"] = metrics.forecast_value_added(row["reference_wape"], row["wape"])
        rows.append(row)
    return pd.DataFrame(rows)
