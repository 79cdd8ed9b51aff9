"""The one Dagster ``Definitions`` of OmniOps, assembled from the per-domain asset modules."""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from orchestration.assets.atp import inventory_assets
from orchestration.assets.dbt import omniops_dbt_models
from orchestration.assets.decisions import ops_decisions
from orchestration.assets.forecast import forecast_assets
from orchestration.assets.forecast_checks import forecast_checks
from orchestration.assets.kpi_alerts import kpi_alerts
from orchestration.assets.kpis import kpi_monthly
from orchestration.assets.landing import landing_assets
from orchestration.assets.production import production_assets, production_checks
from orchestration.assets.publish import published_warehouse
from orchestration.assets.quality_checks import quality_checks
from orchestration.escalation_clock import escalation_job
from orchestration.jobs import jobs
from orchestration.resources import build_resources
from orchestration.schedules import schedules
from orchestration.sensors import landing_file_sensor, omniops_run_failure_sensor

defs = Definitions(
    assets=[
        *landing_assets,
        omniops_dbt_models,
        kpi_monthly,
        *forecast_assets,
        *production_assets,
        *inventory_assets,
        kpi_alerts,
        ops_decisions,
        published_warehouse,
    ],
    asset_checks=[*quality_checks, *forecast_checks, *production_checks],
    jobs=[*jobs, escalation_job],
    schedules=schedules,
    sensors=[landing_file_sensor, omniops_run_failure_sensor],
    resources=build_resources(),
    # DuckDB takes one writer at a time: steps run one after another in the run's process.
    executor=in_process_executor,
)
