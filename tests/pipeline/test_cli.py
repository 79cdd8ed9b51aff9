"""The `omniops` command as a user meets it: clear failure when a source says something unmapped."""

from __future__ import annotations

from orchestration.cli import main


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

    assert main(["run"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: step omniops_dbt_models failed" in out
    assert 'channel=amazon, status="Lost in Transit"' in out
    assert not (tmp_path / "warehouse" / "omniops.duckdb").exists(), "a failed build must not be published"
