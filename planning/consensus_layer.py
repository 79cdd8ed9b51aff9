"""The monthly consensus of the forecast stage: the champion blended with the sales team's forecast.

The sales team's ERP forecast (``fct_sales_forecast``) enters as the judgmental forecast of
``forecasting.consensus``: for past months the version made the month before (``lead_months = 1``, as far
ahead as the monthly backtest's forecasts), for the months ahead the newest version. Their export lists
only positive quantities, so a month missing for a series the team forecasts at all counts as 0; a series
the team never lists keeps the model alone. Weights are pooled by channel (each channel has its own team).
"""

from __future__ import annotations

import pandas as pd

from forecasting import consensus, fva
from planning import demand_series


def team_forecast(sales_forecast: pd.DataFrame) -> pd.DataFrame:
    """``unique_id, ds, yhat``: per series and month the version made the month before, or for months
    without one (the months ahead) the newest version."""
    frame = sales_forecast.assign(
        unique_id=demand_series.series_id(sales_forecast["sku"], sales_forecast["channel"]),
        ds=pd.to_datetime(sales_forecast["forecast_month"]),
        yhat=sales_forecast["forecast_quantity"].astype(float),
        lead=sales_forecast["lead_months"].where(sales_forecast["lead_months"] >= 1),
    ).dropna(subset=["lead"])
    newest = frame.sort_values("lead").drop_duplicates(["unique_id", "ds"])
    return newest[["unique_id", "ds", "yhat"]].reset_index(drop=True)


def with_zeros(team: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """``team`` plus a 0 for each (unique_id, ds) of ``periods`` of a series the team lists but not then."""
    listed = periods[periods["unique_id"].isin(set(team["unique_id"]))][["unique_id", "ds"]]
    listed = listed.assign(ds=pd.to_datetime(listed["ds"])).drop_duplicates()
    out = listed.merge(team, on=["unique_id", "ds"], how="outer")
    return out.fillna({"yhat": 0.0})


def monthly_consensus(
    forecast: pd.DataFrame,
    cv: pd.DataFrame,
    champions: dict,
    team: pd.DataFrame,
    pools: dict,
    history: pd.DataFrame | None = None,
    prices: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(forecast with the consensus in place of the champion where the team speaks, learned weights);
    ``history`` (unique_id, ds, y): the monthly actuals the team's track record is read from."""
    record = None if history is None else consensus.track_record(history, team)
    pairs = consensus.backtest_pairs(cv, champions, team)
    price = None if prices is None else prices.to_dict()
    weights = consensus.learn_weights(pairs, pools, record=record, prices=price)
    blended = consensus.blend(forecast, team, weights)
    return blended[forecast.columns.tolist()], weights


def fva_table(
    cv: pd.DataFrame,
    team: pd.DataFrame,
    pools: dict,
    overrides: pd.DataFrame | None,
    prices: pd.Series,
    attributes: pd.DataFrame,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The out-of-sample stair-step (``forecasting.fva``) of the monthly forecast."""
    layers = fva.holdout_layers(cv, team, pools, overrides, history=history, prices=prices.to_dict())
    return fva.stair_step(layers, prices, attributes)


def apply_overrides(forecast: pd.DataFrame, overrides: pd.DataFrame | None, freq: str) -> pd.DataFrame:
    """``forecast`` with the planners' numbers (``unique_id, freq, ds, yhat``) of ``freq`` in place of
    yhat where they set one (model ``override``; the band moves with the number, lower bound ≥ 0)."""
    if overrides is None or overrides.empty:
        return forecast
    o = overrides[overrides["freq"] == freq][["unique_id", "ds", "yhat"]].rename(columns={"yhat": "planned"})
    out = forecast.merge(o.assign(ds=pd.to_datetime(o["ds"])), on=["unique_id", "ds"], how="left")
    hit = out["planned"].notna()
    shift = (out["planned"] - out["yhat"]).where(hit, 0.0)
    out["yhat_lower"] = (out["yhat_lower"] + shift).clip(lower=0.0)
    out["yhat_upper"] = out["yhat_upper"] + shift
    out["yhat"] = out["planned"].where(hit, out["yhat"])
    out["model"] = out["model"].where(~hit, "override")
    return out.drop(columns="planned")
