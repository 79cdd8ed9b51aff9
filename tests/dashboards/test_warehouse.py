"""The pages' reader: parameterised queries, and a newly published build seen at the next query."""

from __future__ import annotations

import os

import duckdb
import pytest

from dashboards.warehouse import query, table_exists


def build(path, value: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(f"create table marts.t as select {value} as v, 'a''b' as s")


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    (tmp_path / "warehouse").mkdir()
    return tmp_path


def test_a_new_build_published_over_the_file_is_read_at_the_next_query(home):
    published = home / "warehouse" / "omniops.duckdb"
    build(published, 1)
    assert query("select v from marts.t")["v"].tolist() == [1]
    # Another session is in the middle of a query on the old build...
    other_reader = duckdb.connect(str(published), read_only=True)
    # ...when the pipeline publishes: a finished copy renamed over the file.
    staging = home / "warehouse" / "omniops.duckdb.publishing"
    build(staging, 2)
    os.replace(staging, published)
    stat = published.stat()
    os.utime(published, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    # DuckDB shares one instance per path while a connection lives: a plain connect would read build 1.
    assert query("select v from marts.t")["v"].tolist() == [2]
    assert other_reader.execute("select v from marts.t").fetchall() == [(1,)]
    other_reader.close()


def test_text_is_passed_as_a_parameter_never_pasted(home):
    build(home / "warehouse" / "omniops.duckdb", 1)
    assert query("select count(*) as n from marts.t where s = ?", ("a'b",))["n"].tolist() == [1]
    assert query("select count(*) as n from marts.t where s = ?", ("' or 1=1 --",))["n"].tolist() == [0]
    assert table_exists("marts", "t") and not table_exists("marts", "missing")


def test_without_a_published_build_the_error_says_what_to_run(home):
    with pytest.raises(FileNotFoundError, match="omniops run"):
        query("select 1")


def test_a_version_published_by_a_link_swap_is_read_at_the_next_query(home):
    from core.settings import OmniopsPaths
    from core.warehouse_versions import publish_build

    paths = OmniopsPaths(home)
    build(paths.build_db, 1)
    publish_build(paths)
    assert query("select v from marts.t")["v"].tolist() == [1]
    build(paths.build_db, 2)  # a new build, not yet published: readers still see build 1
    assert query("select v from marts.t")["v"].tolist() == [1]
    publish_build(paths)
    assert query("select v from marts.t")["v"].tolist() == [2]
