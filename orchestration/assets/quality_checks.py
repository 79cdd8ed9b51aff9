"""The data-quality suites as Dagster asset checks on the landing assets, one multi-check per source.
The suites are GX expectations, run in DuckDB (``quality.sql_checks``); the checks keep their
``gx_<source>`` names.

Every raw table (asset ``<source>/<table>``) gets two checks:

- ``critical_expectations`` (blocking, severity ERROR): required columns exist, keys filled and unique
  per file. A failure stops the run before dbt reads the table.
- ``other_expectations`` (severity WARN): numbers and times parse and are in range, statuses are known.
  The pipeline goes on; the data-quality page shows what failed.

Only files not validated yet are read (new, replaced, or failed critically last time): every
expectation is per row or per file, so unchanged files were validated when they landed. All outcomes
are appended to ``landing.dq_results``. The expectations themselves live in ``quality``
(no Dagster there).
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

from landing.sources import source_systems, tables_of
from orchestration.resources import WarehouseResource
from quality.results import DQ_RESULTS, store_outcomes
from quality.validate import CheckedFile, ExpectationOutcome, check_source, open_warnings

CRITICAL_CHECK = "critical_expectations"
OTHER_CHECK = "other_expectations"


def _scope(files: Sequence[CheckedFile], outcomes: Sequence[ExpectationOutcome]) -> str:
    rows = outcomes[0].rows_validated if outcomes else 0
    retried = sum(f.retried for f in files)
    text = f"validated {len(files)} new, replaced or previously failing files ({rows} rows)"
    if retried:
        text += f", {retried} of them failed critically before and are not replaced yet"
    if not files:
        text = "nothing new to validate (0 rows)"
    return text + "; unchanged files passed when they were validated on landing."


def _result(
    asset_key: AssetKey,
    critical: bool,
    outcomes: Sequence[ExpectationOutcome],
    files: Sequence[CheckedFile],
    warned_files: Sequence[str] = (),
) -> AssetCheckResult:
    mine = [o for o in outcomes if o.critical == critical]
    failed = [o for o in mine if not o.success]
    # Warnings are reported once, by the run validating the file; these files still hold such rows.
    warning_files = (
        {}
        if critical
        else {
            "files_with_warnings_in_table": len(warned_files),
            "files_with_warnings_examples": MetadataValue.json(list(warned_files[:20])),
        }
    )
    return AssetCheckResult(
        asset_key=asset_key,
        check_name=CRITICAL_CHECK if critical else OTHER_CHECK,
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if critical else AssetCheckSeverity.WARN,
        metadata={
            "files_validated": len(files),
            "rows_validated": outcomes[0].rows_validated if outcomes else 0,
            "files_revalidated": sum(f.retried for f in files),
            "scope": _scope(files, outcomes),
            **warning_files,
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
                        "files": list(o.failed_files),
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
            checked = check_source(conn, source, now=checked_at)
            store_outcomes(conn, checked.outcomes, context.run.run_id, checked_at, checked.files)
            warned = {"__".join(key.path): open_warnings(conn, "__".join(key.path)) for key in keys}
        outcomes = checked.outcomes
        failed = sum(not o.success for o in outcomes)
        context.log.info(
            f"{source}: {len(checked.files)} files ({sum(f.rows for f in checked.files)} rows) validated, "
            f"{len(outcomes)} expectations, {failed} failed; stored in {DQ_RESULTS}"
        )
        for key in keys:
            table = "__".join(key.path)
            table_outcomes = [o for o in outcomes if o.raw_table == table]
            table_files = [f for f in checked.files if f.raw_table == table]
            yield _result(key, True, table_outcomes, table_files)
            yield _result(key, False, table_outcomes, table_files, warned[table])

    return _check


quality_checks = [build_quality_check(source) for source in source_systems()]
