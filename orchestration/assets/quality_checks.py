"""Great Expectations suites as Dagster asset checks on the landing assets, one multi-check per source.

Every raw table (asset ``<source>/<table>``) gets two checks:

- ``critical_expectations`` (blocking, severity ERROR): required columns exist, keys filled and unique
  per file. A failure stops the run before dbt reads the table.
- ``other_expectations`` (severity WARN): numbers and times parse and are in range, statuses are known.
  The pipeline goes on; the data-quality page shows what failed.

All outcomes are appended to ``landing.dq_results``. The expectations themselves live in
``orchestration.quality`` (no Dagster there).
"""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from orchestration.landing.sources import source_systems, tables_of
from orchestration.quality.results import DQ_RESULTS, store_outcomes
from orchestration.quality.validate import ExpectationOutcome, validate_source
from orchestration.resources import WarehouseResource

CRITICAL_CHECK = "critical_expectations"
OTHER_CHECK = "other_expectations"


def _result(asset_key: AssetKey, critical: bool, outcomes: Sequence[ExpectationOutcome]) -> AssetCheckResult:
    mine = [o for o in outcomes if o.critical == critical]
    failed = [o for o in mine if not o.success]
    return AssetCheckResult(
        asset_key=asset_key,
        check_name=CRITICAL_CHECK if critical else OTHER_CHECK,
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if critical else AssetCheckSeverity.WARN,
        metadata={
            "expectations": len(mine),
            "failed_expectations": len(failed),
            "unexpected_values": sum(o.unexpected_count or 0 for o in failed),
            "failures": MetadataValue.json(
                [
                    {
                        "expectation": o.expectation,
                        "column": o.column,
                        "unexpected_count": o.unexpected_count,
                        "element_count": o.element_count,
                        "examples": o.example_values,
                    }
                    for o in failed
                ]
            ),
        },
    )


def build_quality_check(source: str) -> AssetChecksDefinition:
    """The checks of one source system's raw tables, run together (one read of each table)."""
    keys = [AssetKey([spec.source, spec.table]) for spec in tables_of(source)]
    specs = []
    for key in keys:
        specs.append(
            AssetCheckSpec(
                CRITICAL_CHECK,
                asset=key,
                blocking=True,
                description="Required columns exist; keys are filled and unique within each file.",
            )
        )
        specs.append(
            AssetCheckSpec(
                OTHER_CHECK,
                asset=key,
                description="Numbers and times parse and are in range; statuses are known.",
            )
        )

    @multi_asset_check(name=f"gx_{source}", specs=specs, compute_kind="great_expectations")
    def _check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[AssetCheckResult]:
        checked_at = datetime.now(UTC)
        with warehouse.get_connection() as conn:
            outcomes = validate_source(conn, source, now=checked_at)
            store_outcomes(conn, outcomes, context.run.run_id, checked_at)
        failed = sum(not o.success for o in outcomes)
        context.log.info(f"{source}: {len(outcomes)} expectations, {failed} failed; stored in {DQ_RESULTS}")
        for key in keys:
            table_outcomes = [o for o in outcomes if o.raw_table == "__".join(key.path)]
            yield _result(key, True, table_outcomes)
            yield _result(key, False, table_outcomes)

    return _check


quality_checks = [build_quality_check(source) for source in source_systems()]
