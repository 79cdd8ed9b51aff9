"""One landing asset per source system; each materialises that system's ``raw`` tables.

Asset keys are ``<source>/<table>``, the keys dagster-dbt gives the matching dbt sources, so the
lineage runs from each raw table to the staging model that reads it.
"""


from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MaterializeResult,
    multi_asset,
)

from orchestration.landing.load import load_table
from orchestration.landing.sources import SourceTable, source_systems, tables_of
from orchestration.resources import WarehouseResource


def raw_asset_key(spec: SourceTable) -> AssetKey:
    return AssetKey([spec.source, spec.table])


def build_landing_asset(source: str) -> AssetsDefinition:
    specs = tables_of(source)

    @multi_asset(
        name=f"land_{source}",
        specs=[
            AssetSpec(
                raw_asset_key(spec),
                group_name="landing",
                description=spec.description,
                kinds={"duckdb", spec.file_format},
                metadata={
                    "landing_pattern": f"{spec.source}/{spec.pattern}",
                    "raw_table": f"raw.{spec.raw_table}",
                },
            )
            for spec in specs
        ],
    )
    def _land(context: AssetExecutionContext, warehouse: WarehouseResource):
        landing_dir = warehouse.paths.landing
        with warehouse.get_connection() as conn:
            for spec in specs:
                load = load_table(conn, landing_dir, spec)
                context.log.info(f"raw.{load.raw_table}: {load.rows:,} rows from {load.files} file(s)")
                yield MaterializeResult(
                    asset_key=raw_asset_key(spec),
                    metadata={"rows": load.rows, "files": load.files, "rows_by_file": load.rows_by_file},
                )

    return _land


landing_assets = [build_landing_asset(source) for source in source_systems()]
