"""The GX checks inside the real asset graph: results stored, critical ones green on the demo company,
and a duplicated key stops the run before dbt."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from landing.sources import SOURCE_TABLES, source_systems


def test_every_source_and_raw_table_has_stored_results(built_instance):
    stored = built_instance.query("select distinct source, raw_table from landing.dq_results")
    assert {source for source, _ in stored} == set(source_systems())
    assert {table for _, table in stored} == {t.raw_table for t in SOURCE_TABLES}
    (runs,) = built_instance.query("select count(distinct run_id) from landing.dq_results")[0]
    assert runs == 1


def test_the_demo_company_passes_every_critical_expectation(built_instance):
    failed = built_instance.query(
        'select raw_table, expectation, "column", unexpected_count from landing.dq_results '
        "where critical and not success"
    )
    assert failed == []
    (critical,) = built_instance.query("select count(*) from landing.dq_results where critical")[0]
    assert critical >= 3 * len(SOURCE_TABLES)  # columns, keys not null, keys unique per file


def test_the_deliberate_shopify_price_defect_is_a_warning_with_its_count(built_instance):
    text_prices = sum(
        1
        for path in (built_instance.landing / "shopify").glob("orders_export_*.csv")
        for row in csv.DictReader(path.open(encoding="utf-8"))
        if row["Lineitem price"] == "N/A"
    )
    assert text_prices > 0
    rows = built_instance.query(
        "select critical, success, unexpected_count, example_values from landing.dq_results "
        "where raw_table = 'shopify__orders' and \"column\" = 'Lineitem price' "
        "and expectation = 'expect_column_values_to_match_regex'"
    )
    assert rows == [(False, False, text_prices, "N/A")]


@pytest.fixture()
def broken_tmall_home(tmp_path, monkeypatch):
    """A tiny demo company whose first Tmall file has its first line twice (same 子订单编号).

    A duplicate key inside one file is what only these checks catch: landing keeps every parseable
    line, and staging would silently collapse the copies."""
    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company

    paths = OmniopsPaths(tmp_path)
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(paths.dagster_home))
    generate_demo_company(paths.landing, scale=0.01, seed=3)
    path = sorted((paths.landing / "tmall").glob("ExportOrderList*.csv"))[0]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="gb18030"))))
    rows.insert(2, rows[1])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="gb18030")
    return paths


def test_a_tmall_line_twice_in_one_file_fails_the_blocking_check_and_dbt_does_not_run(broken_tmall_home):
    from dagster import AssetCheckSeverity, AssetKey, DagsterInstance

    from orchestration.assets.dbt import omniops_dbt_models
    from orchestration.definitions import defs
    from orchestration.pipeline import prepare_dbt

    prepare_dbt()
    result = defs.resolve_job_def("omniops_daily").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False
    )
    assert not result.success
    evaluations = {(e.asset_key, e.check_name): e for e in result.get_asset_check_evaluations()}
    tmall = evaluations[(AssetKey(["tmall", "orders"]), "critical_expectations")]
    assert not tmall.passed and tmall.severity == AssetCheckSeverity.ERROR
    assert tmall.metadata["failed_expectations"].value == 1
    assert evaluations[(AssetKey(["amazon", "all_orders"]), "critical_expectations")].passed

    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert {AssetKey([t.source, t.table]) for t in SOURCE_TABLES} <= materialized
    assert not materialized & set(omniops_dbt_models.keys), "dbt ran although a blocking check failed"
    assert AssetKey("published_warehouse") not in materialized
    assert not broken_tmall_home.published_db.exists()

    with duckdb.connect(str(broken_tmall_home.build_db), read_only=True) as conn:
        stored = conn.execute(
            'select expectation, "column", unexpected_count from landing.dq_results '
            "where critical and not success"
        ).fetchall()
    assert stored == [("expect_compound_columns_to_be_unique", "子订单编号", 2)]
