"""Forecast & inventory for planners: actuals and forecast with its prediction interval for any SKU,
channel or category, how accurate the model is against the baselines and the sales team, the planners'
overrides of the monthly forecast, the SKUs at risk of a stock-out or overstocked with the replenishment
proposals, and inventory turnover by category.

Reads the published warehouse: the ``forecasting`` tables the pipeline writes and the mart
``marts.fct_demand_daily``. Until a warehouse has them, the page says so instead of failing. The
overrides live in the operational store (``decisions.forecast_overrides``).
"""

from __future__ import annotations

import streamlit as st

from dashboards.auth import current_user
from dashboards.components import page_header
from dashboards.i18n import t
from dashboards.queries.forecast import newest_as_of, present_tables
from dashboards.sections.forecast_accuracy import accuracy_section, champion_mix_section
from dashboards.sections.forecast_demand import demand_section, periods
from dashboards.sections.forecast_fva import fva_section
from dashboards.sections.forecast_inventory import plan_section, turnover_section
from dashboards.sections.forecast_overrides import overrides_section

page_header(t("Forecast & inventory"))

present = present_tables()
if not any(present.values()):
    st.info(
        t(
            "No forecast in this warehouse yet. The forecasting step of the pipeline writes the demand "
            "forecast, its accuracy and the inventory plan to the schema `forecasting`: run `omniops run` "
            "(or `make demo`) and reload this page."
        )
    )
    st.stop()


def missing(table: str, what: str) -> None:
    st.info(
        t(
            "This warehouse has no `forecasting.{table}` yet, so there is no {what} to show. "
            "Run `omniops run` and reload this page.",
            table=table,
            what=what,
        )
    )


st.subheader(t("Demand: actuals and forecast"))
freq = "W"
if not present["demand_forecast"]:
    missing("demand_forecast", t("demand forecast"))
else:
    freq = demand_section(present)
period = periods()[freq]

st.subheader(t("Forecast accuracy"))
if not present["forecast_accuracy_summary"]:
    missing("forecast_accuracy_summary", t("accuracy"))
else:
    accuracy_section(freq, period)
if present["forecast_accuracy_series"]:
    champion_mix_section(freq, period)

st.subheader(t("Who adds value: model, sales team, consensus"))
if not present["forecast_fva"]:
    missing("forecast_fva", t("forecast value added"))
else:
    fva_section()

st.subheader(t("Planner overrides"))
published = newest_as_of("demand_forecast") if present["demand_forecast"] else None
if published is None:
    missing("demand_forecast", t("demand forecast"))
else:
    overrides_section(current_user(), published, present["forecast_fva"])

st.subheader(t("Inventory: stock-out risk and overstock"))
if not present["inventory_plan"]:
    missing("inventory_plan", t("inventory plan"))
else:
    plan_section()

st.subheader(t("Inventory turnover by category"))
if not present["inventory_turnover"]:
    missing("inventory_turnover", t("inventory turnover"))
else:
    turnover_section()
