"""One landing asset per source system; each materialises that system's ``raw`` tables.

Asset keys are ``<source>/<table>``, the keys dagster-dbt gives the matching dbt sources, so the
lineage runs from each raw table to the staging model that reads it.

A failure of the step itself (a locked or full disk, a file still being written) is retried three
times with exponential backoff and jitter: landing is idempotent by checksum, so a retry lands exactly
what the failed attempt did not.

A refused, held or ignored file, or a quarantined row, does not fail the asset: the file is recorded
in ``landing.file_ledger`` (and moved to ``_rejected/`` or ``_held/``), the other files and sources go
on, a warning names it, and ``omniops run`` lists it at the end and exits 2. Only a table that has no
rows at all (never landed, and nothing landable now) fails, after the source's other tables have been
landed.
"""

from collections import Counter

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    RetryPolicy,
    multi_asset,
)

from landing.load import LandingError, ignore_unknown_files, load_table
from landing.report import trouble_line
from landing.sources import SourceTable, source_systems, tables_of
from orchestration.resources import WarehouseResource

LANDING_RETRIES = RetryPolicy(max_retries=3, delay=2, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


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
        retry_policy=LANDING_RETRIES,
    )
    def _land(context: AssetExecutionContext, warehouse: WarehouseResource):
        landing_dir = warehouse.paths.landing
        errors: list[str] = []
        with warehouse.get_connection() as conn:
            for spec in specs:
                try:
                    load = load_table(conn, landing_dir, spec, run_id=context.run_id)
                except LandingError as exc:
                    errors.append(str(exc))
                    continue
                statuses = Counter(e.status for e in load.events)
                context.log.info(
                    f"raw.{load.raw_table}: {load.rows:,} rows from {load.files} file(s); "
                    + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
                )
                for event in load.events:
                    if line := trouble_line(event):
                        context.log.warning(line)
                yield MaterializeResult(
                    asset_key=raw_asset_key(spec),
                    metadata={
                        "rows": load.rows,
                        "files": load.files,
                        "rows_by_file": load.rows_by_file,
                        "files_by_status": dict(statuses),
                        "rows_quarantined": sum(e.rows_rejected for e in load.events),
                        "rejected_files": [e.error_text or e.file_path for e in load.rejected],
                    },
                )
            for event in ignore_unknown_files(conn, landing_dir, source, specs, run_id=context.run_id):
                context.log.warning(trouble_line(event))
        if errors:
            # missing or wholly rejected tables stay so on a retry: fail at once
            raise Failure(description="; ".join(errors), allow_retries=False)

    return _land


landing_assets = [build_landing_asset(source) for source in source_systems()]
