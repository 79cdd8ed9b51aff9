"""The raw tables' declarations against what they describe: the demo company's files and the dbt sources."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from demo_company.generate import generate_demo_company
from landing.dbt_sources import source_yaml, sources_file
from landing.load import decode_text, load_table
from landing.sources import SOURCE_TABLES, SYSTEMS
from landing.sources.declaration import BOTH, LANDING, QUALITY, Column, SourceTable
from quality.suites import table_rules
from quality.validate import read_raw_table, validate_frame

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def _file_columns(path, spec: SourceTable) -> list[str]:
    text, _ = decode_text(path.read_bytes())
    if spec.file_format == "jsonl":
        return list(dict.fromkeys(key for line in text.splitlines() if line for key in json.loads(line)))
    return next(csv.reader(text.splitlines(), delimiter=spec.delimiter))


@pytest.fixture(scope="module")
def demo_landing(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    generate_demo_company(root, scale=0.05, daily_tail=0)
    return root


@pytest.mark.parametrize("spec", SOURCE_TABLES, ids=lambda t: t.raw_table)
def test_the_declared_columns_are_the_columns_the_demo_company_writes(demo_landing, spec):
    files = sorted((demo_landing / spec.source).glob(spec.pattern))
    assert files, f"no demo file matches {spec.source}/{spec.pattern}"
    declared = {c.name for c in spec.columns}
    for path in files:
        assert set(_file_columns(path, spec)) == declared, path.name


@pytest.mark.parametrize("system", SYSTEMS, ids=lambda s: s.name)
def test_each_dbt_sources_file_is_the_one_the_declarations_give(system):
    path = sources_file(system)
    assert path.read_text(encoding="utf-8") == source_yaml(system), (
        f"{path} is stale: run `python -m landing.dbt_sources`"
    )
    (source,) = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    assert source["name"] == system.name
    assert [(t["identifier"], [c["name"] for c in t["columns"]]) for t in source["tables"]] == [
        (t.raw_table, [c.name for c in t.columns]) for t in system.tables
    ]


def jd(key: tuple[str, ...], *columns: Column) -> SourceTable:
    return SourceTable("jd", "orders", "orders_*.csv", "JD.com orders.", key=key, columns=columns)


def test_a_key_that_is_no_declared_column_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"raw table jd__orders: key or order id 'sku' is not a declared"):
        jd(("order_id", "sku"), Column("order_id", filled=QUALITY))


def test_a_key_column_left_unchecked_by_gx_is_refused():
    with pytest.raises(ValueError, match=r"key column 'order_id' needs filled=QUALITY or BOTH"):
        jd(("order_id",), Column("order_id", filled=LANDING))


def test_the_landing_rules_follow_the_columns_in_their_order():
    spec = jd(
        ("order_id",),
        Column("order_id", required=BOTH, filled=BOTH),
        Column("buyer", required=QUALITY),
        Column("status", required=BOTH, filled=QUALITY),
    )
    assert spec.landing.required == ("order_id", "status")
    assert spec.landing.not_null == ("order_id",)


def _worked_example() -> dict:
    """The Python block of the worked example in docs/data_sources.md, run as written."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "data_sources.md").read_text(encoding="utf-8")
    section = text[text.index("### Worked example: adding JD.com") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    namespace: dict = {}
    exec(code[: code.index("```")], namespace)
    return namespace


def test_the_worked_example_in_the_docs_declares_a_channel_that_lands_and_is_checked(tmp_path):
    example = _worked_example()
    orders = example["ORDERS"]
    header = ",".join(c.name for c in orders.columns)
    good = "3001,100012,等待出库,2026-03-01 10:00:00,,2,199.00,王先生"
    bad = "3002,100013,等待出库,2026-03-01 11:00:00,,两件,99.00,李女士"
    (tmp_path / "jd").mkdir()
    (tmp_path / "jd" / "ExportOrder_202603.csv").write_bytes(f"{header}\n{good}\n{bad}\n".encode("gb18030"))
    conn = duckdb.connect()
    load = load_table(conn, tmp_path, orders, now=NOW)
    assert load.rows == 1
    assert conn.execute("select line_number, reason from landing.quarantine").fetchall() == [
        (3, "column '订购数量': '两件' is not a whole number")
    ]
    rules = table_rules(orders)
    assert rules.keys == ("订单号", "商品编号")
    assert set(rules.required) == {"订单号", "商品编号", "订单状态", "下单时间", "订购数量", "应付金额"}
    # Every check passes but the statuses': the seed does not map jd's yet (step 6 of "Adding a channel").
    outcomes = validate_frame(read_raw_table(conn, "jd__orders"), rules, NOW)
    failed = [(o.expectation, o.column, o.example_values) for o in outcomes if not o.success]
    assert failed == [("expect_column_values_to_be_in_set", "订单状态", "等待出库")]
    assert len(outcomes) > 10
    (source,) = yaml.safe_load(source_yaml(example["SYSTEM"]))["sources"]
    assert [c["name"] for c in source["tables"][0]["columns"]] == [c.name for c in orders.columns]
