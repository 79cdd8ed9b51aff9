"""The data-quality page on a real published warehouse: GX results, ledger, quarantine, freshness."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landing.sources import source_systems
from tests.dashboards.appkit import freshness, open_app

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "views/data_quality.py"


def open_page(home: Path, monkeypatch) -> AppTest:
    return open_app(home, monkeypatch, role="analyst", page=PAGE, timeout=60)


@pytest.fixture()
def home_copy(built_instance, tmp_path) -> Path:
    """A copy of the published warehouse the test may change."""
    (tmp_path / "warehouse").mkdir()
    shutil.copyfile(built_instance.published_db, tmp_path / "warehouse" / "omniops.duckdb")
    return tmp_path


def test_the_page_shows_the_latest_results_of_every_source(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    expectations, critical_failed, other_failed = built_instance.query(
        "select count(*), count(*) filter (where critical and not success), "
        "count(*) filter (where not critical and not success) from landing.dq_results"
    )[0]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Sources checked"] == str(len(source_systems()))
    assert metrics["Expectations"] == str(expectations)
    assert metrics["Critical failures"] == str(critical_failed) == "0"
    assert metrics["Warnings"] == str(other_failed)

    summary = app.dataframe[0].value
    assert set(summary["source"]) == set(source_systems())
    per_source = dict(built_instance.query("select source, count(*) from landing.dq_results group by 1"))
    assert dict(zip(summary["source"], summary["expectations"], strict=True)) == per_source
    shopify = summary.set_index("source").loc["shopify"]
    (unexpected,) = built_instance.query(
        "select sum(unexpected_count) from landing.dq_results where source = 'shopify' and not success"
    )[0]
    assert shopify["result"] == "warnings" and shopify["unexpected"] == unexpected

    assert len(app.get("plotly_chart")) == 1  # the failures chart (the Shopify `N/A` prices)
    line = freshness(app)
    assert all(f"{source} " in line for source in source_systems())


def test_ledger_rows_in_and_quarantine_filter(home_copy, monkeypatch):
    with duckdb.connect(str(home_copy / "warehouse" / "omniops.duckdb")) as conn:
        conn.execute("create schema if not exists landing")
        conn.execute(
            "create or replace table landing.file_ledger as select * from (values "
            "('tmall/ExportOrderList202603.csv', 'tmall', 'tmall__orders', 1024, 'ab', 12, 10, 2, 'loaded', "
            "null, timestamp '2026-03-02 01:00:00'), "
            "('cs/tickets_2026-03.csv', 'cs', 'cs__tickets', 512, 'cd', 5, 5, 0, 'loaded', null, "
            "timestamp '2026-03-02 01:00:00')) as t(file_path, source, raw_table, size_bytes, sha256, "
            "rows_read, rows_loaded, rows_rejected, status, error_text, landed_at)"
        )
        conn.execute(
            "create or replace table landing.quarantine as select * from (values "
            "('tmall/ExportOrderList202603.csv', 'tmall', 'tmall__orders', 7, 'a,b', 'too few fields', "
            "timestamp '2026-03-02 01:00:00'), "
            "('tmall/ExportOrderList202603.csv', 'tmall', 'tmall__orders', 9, 'x', 'too few fields', "
            "timestamp '2026-03-02 01:00:00'), "
            "('cs/tickets_2026-03.csv', 'cs', 'cs__tickets', 3, 'y', 'bad quote', "
            "timestamp '2026-03-02 01:00:00')) as t(file_path, source, raw_table, line_number, raw_text, "
            "reason, landed_at)"
        )
    app = open_page(home_copy, monkeypatch)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert (metrics["Files"], metrics["Rows in"], metrics["Rows loaded"], metrics["Rows rejected"]) == (
        "2",
        "17",
        "15",
        "2",
    )
    ledger = app.dataframe[-2].value
    assert list(ledger["rows_in"]) == list(ledger["rows_loaded"] + ledger["rows_rejected"])
    # Landed 01:00 UTC, shown in the company's zone (the demo company is in Asia/Shanghai, UTC+8).
    assert set(ledger["landed_at"]) == {pd.Timestamp("2026-03-02 09:00:00")}
    assert len(app.dataframe[-1].value) == 3

    app.selectbox[0].select("tmall").run()
    assert not app.exception
    quarantined = app.dataframe[-1].value
    assert list(quarantined["line_number"]) == [7, 9] and set(quarantined["source"]) == {"tmall"}


def test_without_results_ledger_or_quarantine_the_page_says_why(home_copy, monkeypatch):
    with duckdb.connect(str(home_copy / "warehouse" / "omniops.duckdb")) as conn:
        for table in ("dq_results", "file_ledger", "quarantine"):
            conn.execute(f"drop table if exists landing.{table}")
    app = open_page(home_copy, monkeypatch)
    infos = " ".join(info.value for info in app.info)
    assert "omniops run" in infos and "landing.file_ledger" in infos and "landing.quarantine" in infos
    assert not app.metric and not app.get("plotly_chart")


def test_freshness_per_source_in_company_time(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    zone = ZoneInfo(
        built_instance.query("select value from seeds.company_profile where setting = 'time_zone'")[0][0]
    )
    table = next(frame.value for frame in app.dataframe if "last_loaded_at" in frame.value.columns)
    assert list(table["source"]) == sorted(source_systems())
    for source, files, landed in built_instance.query(
        "select source, count(*), max(landed_at) from landing.file_ledger group by source"
    ):
        row = table.set_index("source").loc[source]
        assert row["files"] == files
        local = pd.Timestamp(landed).tz_localize("UTC").tz_convert(zone).tz_localize(None)
        assert row["last_landed_at"] == local
    (erp_loaded,) = built_instance.query("select max(_loaded_at) from raw.erp__products")[0]
    assert table.set_index("source").loc["erp", "last_loaded_at"] >= (
        pd.Timestamp(erp_loaded).tz_localize("UTC").tz_convert(zone).tz_localize(None)
    )


def test_in_chinese_the_page_shows_the_same_figures_under_chinese_labels(home_copy, monkeypatch):
    with duckdb.connect(str(home_copy / "warehouse" / "omniops.duckdb")) as conn:
        conn.execute(
            "insert into landing.quarantine (file_path, source, raw_table, file_sha256, line_number, "
            "raw_text, reason, landed_at, run_id) values ('tmall/x.csv', 'tmall', 'tmall__orders', 'ab', 7, "
            "'a,b', 'too few fields', timestamp '2026-03-02 01:00:00', 'r1')"
        )
    english = open_page(home_copy, monkeypatch)
    chinese = open_app(home_copy, monkeypatch, role="analyst", page=PAGE, language="zh")
    assert chinese.title[0].value == "数据质量"
    assert next(c.value for c in chinese.caption if c.value.startswith("最近落地时间"))
    assert [m.value for m in chinese.metric] == [m.value for m in english.metric]
    labels = {m.label: m.value for m in chinese.metric}
    assert labels["已校验数据源"] == str(len(source_systems())) and "警告" in labels
    summary = chinese.dataframe[0].value.set_index("source")
    assert summary.loc["shopify", "result"] == "有警告" and summary.loc["erp", "result"] == "通过"

    chinese.selectbox(key="dq_source").select("tmall").run()
    assert not chinese.exception, chinese.exception
    assert chinese.selectbox(key="dq_source").options[0] == "全部数据源"
    assert list(chinese.dataframe[-1].value["line_number"]) == [7]
