"""The `omniops` command as a user meets it: clear failure when a source says something unmapped."""

from __future__ import annotations

import json
import shutil

import duckdb

from orchestration.cli import main
from tests.conftest import dagster_events_in_memory
from tests.pipeline.webhook import webhook_receiver


def test_an_unmapped_channel_status_stops_the_run_with_a_message_naming_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert main(["generate", "--scale", "0.01", "--seed", "3"]) == 0
    report = sorted((tmp_path / "landing" / "amazon").glob("All-Orders-Report_*.txt"))[-1]
    lines = report.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    first = lines[1].split("\t")
    first[header.index("order-status")] = "Lost in Transit"
    report.write_text("\n".join([lines[0], "\t".join(first), *lines[2:]]) + "\n", encoding="utf-8")

    with webhook_receiver() as (url, received):
        monkeypatch.setenv("OMNIOPS_ALERT_WEBHOOK", url)
        assert main(["run"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: step omniops_dbt_models failed" in out
    assert 'channel=amazon, status="Lost in Transit"' in out
    # The console shows the stages, not Dagster's and dbt's own lines; those are in the run's log, whose
    # end the failure shows.
    (log,) = (tmp_path / "logs").glob("run-*.log")
    assert "  ✓ land_amazon (" in out and "  ✗ omniops_dbt_models (" in out
    assert " - dagster - " not in out and f"last 25 lines of {log}:" in out
    assert " - dagster - " in log.read_text() and f"full log: {log}" in out
    tail = log.read_text().splitlines()[-25:]
    assert all(f"    {line}" in out for line in tail)
    assert not (tmp_path / "warehouse" / "omniops.duckdb").exists(), "a failed build must not be published"

    # The failure was announced once, in the alert file and to the webhook, with the same content.
    lines = (tmp_path / "alerts" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    alert = json.loads(lines[0])
    assert alert["kind"] == "run_failure" and alert["job"] == "omniops_all"
    assert alert["failed_steps"] == ["omniops_dbt_models"]
    assert 'status="Lost in Transit"' in alert["error"] and alert["home"] == str(tmp_path)
    assert received == [alert]


def checksums(db, schema: str) -> dict[str, str]:
    """An order-independent checksum of every table of a schema, load timestamps left out."""
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = [
            t
            for (t,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
            ).fetchall()
        ]
        result = {}
        for table in tables:
            # Doubles are compared to 9 decimals: a float sum may differ in its last bit with the order
            # pandas adds rows in, which is not a change of data.
            columns = [
                f'round("{c}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
                for (c, kind) in conn.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if not c.endswith("loaded_at")
            ]
            (value,) = conn.execute(
                "select md5(coalesce(string_agg(cast(t as varchar), chr(10) "
                "order by cast(t as varchar)), '')) "
                f"from (select {', '.join(columns)} from {schema}.{table}) t"
            ).fetchall()[0]
            result[table] = value
    return result


TROUBLE = ("REJECTED", "HELD", "IGNORED", "QUARANTINED", "STALE")


def test_a_rejected_file_exits_2_naming_it_and_a_second_run_changes_nothing(
    built_instance, tmp_path, monkeypatch, capsys
):
    # Two daily runs on a copy of the shared built instance: the first run on a fresh landing zone is
    # the test above's (and the built instance's); landing and its report are the same in either job.
    shutil.copytree(
        built_instance.home, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("dagster", "logs")
    )
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_events_in_memory(tmp_path / "dagster")))
    bad = tmp_path / "landing" / "shopify" / "orders_export_x.csv"
    bad.write_text(
        "Order,Email,Financial Status,Created at,Lineitem quantity,Lineitem sku\n"
        "#9,a@example.com,paid,2026-03-01 10:00:00 -0500,1,LL-AP-0001\n"
    )
    # a re-export of a report with one row whose time is in no valid form, and a file of no known name
    report = sorted((tmp_path / "landing" / "amazon").glob("All-Orders-Report_*.txt"))[0]
    rows = report.read_text(encoding="utf-8").splitlines()
    broken = rows[1].split("\t")
    broken[rows[0].split("\t").index("purchase-date")] = "26/11/2026 10:00"
    (report.parent / "All-Orders-Report_again.txt").write_text("\n".join([*rows, "\t".join(broken)]) + "\n")
    (tmp_path / "landing" / "shopify" / "orders.xlsx").write_bytes(b"PK\x03\x04")

    assert main(["run", "--daily"]) == 2
    out = capsys.readouterr().out
    assert "REJECTED shopify/orders_export_x.csv: missing required column 'Name'\n" in out
    assert (
        f"QUARANTINED amazon/All-Orders-Report_again.txt: 1 of {len(rows)} rows kept out, first line "
        f"{len(rows) + 1}: column 'purchase-date': '26/11/2026 10:00' does not parse as" in out
    )
    assert "IGNORED shopify/orders.xlsx: no raw table of shopify takes this name" in out
    assert "3 file(s) not landed whole" in out
    (log,) = (tmp_path / "logs").glob("run-*.log")
    assert f"full log (Dagster, dbt): {log}" in out and " - dagster - " in log.read_text()
    assert "stages; published" in out and "slowest: " in out and " - dagster - " not in out
    noise = [line for line in out.splitlines() if not line.startswith(("[omniops]", *TROUBLE))]
    assert not noise, noise
    assert not bad.exists()
    assert (bad.parent / "_rejected" / "orders_export_x.csv.reason.txt").exists()
    published = tmp_path / "warehouse" / "omniops.duckdb"
    marts, raw = checksums(published, "marts"), checksums(published, "raw")
    assert len(marts) >= 10 and len(raw) == 26

    assert main(["run", "--daily"]) == 0
    assert "REJECTED" not in capsys.readouterr().out
    assert checksums(published, "marts") == marts
    assert checksums(published, "raw") == raw
    with duckdb.connect(str(published), read_only=True) as conn:
        statuses = conn.execute(
            "select status, count(*) from landing.file_ledger where run_id = "
            "(select arg_max(run_id, landed_at) from landing.file_ledger) group by 1"
        ).fetchall()
    assert [status for status, _ in statuses] == ["unchanged"]
