"""The jobs: what runs together, and why the forecast is split from the daily work.

- ``omniops_all``: every asset. The first run on a fresh landing zone and ``omniops run``; with the dbt
  step's ``full_refresh`` config it rebuilds every incremental model from all of history.
- ``omniops_daily``: everything but the demand forecast: land the new files, dbt (incremental models
  add only what the new files touch), KPIs, production schedule and T-3 warnings, the inventory plan on
  the stored forecast, publish. Cost grows with the new day, not with the history. After dbt it checks
  the daily feeds' freshness (``dbt source freshness``): a stale feed is reported, the run goes on.
- ``omniops_weekly_forecast``: the demand forecast (40–85 s even on the small demo, most of a run) and
  what reads it, then publish. Demand is forecast in days, weeks and months from a year of history:
  one more day of data barely moves it, so once a week is enough.
- ``omniops_land_and_transform``: landing and dbt only, for checks and tests of the warehouse itself.
"""

from dagster import AssetSelection, define_asset_job

from orchestration.assets.dbt import omniops_dbt_models
from orchestration.assets.forecast import FORECAST_OUTPUTS

FORECAST = AssetSelection.assets(*FORECAST_OUTPUTS)
PUBLISH = AssetSelection.assets("published_warehouse")

all_job = define_asset_job(
    "omniops_all", selection=AssetSelection.all(), description="Land, transform, forecast, KPIs, publish."
)

daily_job = define_asset_job(
    "omniops_daily",
    selection=AssetSelection.all() - FORECAST,
    description="Land new files, incremental dbt, KPIs, production schedule, publish (no forecast).",
    config={"ops": {"omniops_dbt_models": {"config": {"unit_tests": False, "source_freshness": True}}}},
)

weekly_forecast_job = define_asset_job(
    "omniops_weekly_forecast",
    selection=FORECAST.downstream(),
    description="Demand forecast, the inventory plan and turnover on it, publish.",
)

land_and_transform_job = define_asset_job(
    "omniops_land_and_transform",
    selection=AssetSelection.groups("landing") | AssetSelection.assets(omniops_dbt_models),
    description="Landing and dbt only.",
)

jobs = [all_job, daily_job, weekly_forecast_job, land_and_transform_job]
