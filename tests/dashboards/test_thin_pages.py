"""The pages stay thin: a page script under ``dashboards/views`` is layout only, short enough to read
top to bottom, with its SQL in ``dashboards/queries`` (and its figures in ``dashboards/charts``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboards.access import PAGES, VIEWS

MAX_PAGE_LINES = 250
# A statement in a string: "select … from" a schema's table, a subquery or a spliced name, or followed by a
# clause; "select *", "select count(…)"; writes; any table named with a warehouse schema. English such as
# "Select a channel from the list" is not SQL.
SQL = re.compile(
    r"\bselect\b.+?\bfrom\s+(\w+\.\w|\(|\{)"
    r"|\bselect\b.+?\bfrom\b.+?\b(where|join|group\s+by|order\s+by|limit|union)\b"
    r"|\bselect\s+(\*|distinct\b|count\s*\()"
    r"|\b(insert\s+into|delete\s+from|create\s+(or\s+replace\s+)?(table|view))\b"
    r"|\bfrom\s+(marts|landing|seeds|staging|raw|production|forecasting|information_schema)\.",
    re.IGNORECASE | re.DOTALL,
)
PAGE_FILES = sorted(VIEWS.glob("*.py"))


def sql_in(source: str) -> list[str]:
    """Every string in ``source`` that reads as SQL (an f-string's fields count as ``{}``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if SQL.search(text):
            found.append(f"line {node.lineno}: {text[:60]!r}")
    return found


def test_every_page_of_the_menu_is_checked():
    assert {page.file for page in PAGES} <= {path.name for path in PAGE_FILES}


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_holds_no_sql(path: Path):
    found = sql_in(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} holds SQL (move it to dashboards/queries/{path.name}):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_does_not_query_the_warehouse_itself(path: Path):
    imports = [
        node.module
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
    ]
    assert "dashboards.warehouse" not in imports, f"{path.name}: queries go through dashboards/queries"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_is_short_enough_to_read_top_to_bottom(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PAGE_LINES, (
        f"{path.name} has {lines} lines (at most {MAX_PAGE_LINES}): move queries to dashboards/queries, "
        "figures to dashboards/charts and long blocks to dashboards/sections"
    )


@pytest.mark.parametrize(
    "source",
    [
        'query("select count(*) from marts.fct_orders")',
        'sql = f"SELECT a, b\\nFROM {table} where x = ?"',
        'query("with t as (select 1) " "select * from t")',
        'query(f"delete from landing.quarantine where source = {s}")',
    ],
)
def test_the_check_finds_sql(source: str):
    assert sql_in(source)


@pytest.mark.parametrize(
    "source",
    [
        't("Select a channel from the list")',
        'st.caption("Targets from seeds/kpi_targets.csv, the benchmark from seeds/industry_benchmarks.csv.")',
        't("Last landed: the newest file with new data in the file ledger.")',
        't("Choose the machine below; select a row from the table to open its order.")',
    ],
)
def test_the_check_leaves_page_texts_alone(source: str):
    assert not sql_in(source)
