"""KPI alerts after each run: OTD, OEE and the first response time over the last seven days, against
their targets; a KPI that crossed its target notifies its subscribers (``decisions.kpi_alerts``)."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from decisions.kpi_alerts import fmt, latest_week, send_alerts
from decisions.notify import deliver_pending
from decisions.store import Store, database_url
from orchestration.assets.dbt import omniops_dbt_models
from orchestration.dbt_cli import get_asset_key_for_model
from orchestration.resources import WarehouseResource

KPI_MARTS = ["kpi_delivery_daily", "kpi_machine_daily", "kpi_cs_daily"]


@asset(
    group_name="decisions",
    deps=[get_asset_key_for_model([omniops_dbt_models], name) for name in KPI_MARTS],
    kinds={"python", "duckdb"},
    description="OTD, OEE and first response over the last 7 days; crossings of a target notify subscribers.",
)
def kpi_alerts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    store = Store(database_url(warehouse.paths))
    try:
        store.upgrade()
        with warehouse.get_connection() as conn:
            readings = latest_week(conn)
        crossed = send_alerts(store, readings)
        sent = deliver_pending(store)
    finally:
        store.engine.dispose()
    context.log.info(
        "KPIs over the last 7 days: "
        + ", ".join(
            f"{r.kpi} {fmt(r.kpi, r.value)} ({'on' if r.on_target else 'off'} target)" for r in readings
        )
        + f"; crossed {[(c['kpi'], c['kind']) for c in crossed]}; sent {sent}"
    )
    return MaterializeResult(
        metadata={
            **{r.kpi: r.value for r in readings if r.value is not None},
            "crossed": len(crossed),
            "notified": sum(len(c["recipients"]) for c in crossed),
        }
    )
