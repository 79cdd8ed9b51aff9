"""Queries of the forecast page's planner overrides: the published monthly forecast a planner overrides,
the number an override replaced, and the monthly actuals that score it. The overrides themselves are
read and written through ``decisions.forecast_overrides`` (the operational store), never here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.queries.forecast import ACTUAL_UNITS
from dashboards.warehouse import query, table_exists


def monthly_forecast(as_of: date) -> pd.DataFrame:
    """The published monthly forecast of ``as_of``: one row per series × month with its band and model
    (``consensus`` where the sales team speaks, the champion where not, ``override`` where a planner's
    number was applied by the last run)."""
    return query(
        "select unique_id, sku, channel, ds, yhat, yhat_lower, yhat_upper, model "
        "from forecasting.demand_forecast where as_of = ? and freq = 'MS' order by sku, channel, ds",
        (as_of,),
    )


def replaced_numbers() -> pd.DataFrame:
    """Per series × month, the newest published monthly forecast that was not a planner's override
    (``unique_id, ds, replaced``): the number an override stands in for. The run that applied an
    override publishes the override itself, so the number before it is found in an earlier vintage."""
    sources = ["select unique_id, ds, yhat, as_of, model from forecasting.demand_forecast where freq = 'MS'"]
    if table_exists("forecasting", "forecast_vintages"):
        sources.append(
            "select unique_id, ds, yhat, as_of, model from forecasting.forecast_vintages where freq = 'MS'"
        )
    return query(
        "select unique_id, ds, yhat as replaced from (" + " union all ".join(sources) + ") "
        "where model <> 'override' "
        "qualify row_number() over (partition by unique_id, ds order by as_of desc) = 1",
    )


def monthly_actuals(first: date, last: date) -> pd.DataFrame:
    """Net demand per series and month from ``first`` to ``last`` (``unique_id, ds, actual``), the
    forecast's own measure; a series without a sale in a month is absent (zero)."""
    if not table_exists("marts", "fct_demand_daily"):
        return pd.DataFrame(columns=["unique_id", "ds", "actual"])
    return query(
        "select sku || '|' || channel as unique_id, date_trunc('month', demand_date)::date as ds, "
        f"sum({ACTUAL_UNITS})::double as actual from marts.fct_demand_daily "
        "where demand_date between ? and ? group by 1, 2",
        (first, last),
    )


def override_layer() -> pd.DataFrame:
    """The newest stair-step's ``consensus`` and ``override`` layers over all series (WAPE, FVA)."""
    return query(
        "select layer, wape, fva_vs_below from forecasting.forecast_fva "
        "where as_of = (select max(as_of) from forecasting.forecast_fva) and freq = 'MS' "
        "and scope = 'all' and layer in ('consensus', 'override')"
    )
