"""Job-shop parsing, solving (ft06, optimum 55) and the ``omniops schedule`` command."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from orchestration.cli import main
from scheduling.jssp import check_schedule, greedy_schedule, parse_jssp, solve_jssp

FT06 = Path(__file__).parent / "fixtures" / "ft06.txt"


@pytest.fixture(scope="module")
def ft06():
    return parse_jssp(FT06.read_text())


def test_parse_ft06(ft06):
    assert (ft06.n_jobs, ft06.n_machines) == (6, 6)
    assert ft06.jobs[0][:2] == ((2, 1), (0, 3))
    assert ft06.jobs[5][-1] == (2, 1)
    assert ft06.lower_bound() == 47


def test_greedy_is_feasible(ft06):
    assert check_schedule(ft06, greedy_schedule(ft06)) == []


def test_solve_ft06_optimal_and_valid(ft06):
    result = solve_jssp(ft06, time_limit=10.0, workers=2)
    assert result.status == "OPTIMAL"
    assert result.makespan == 55
    assert result.bound == 55
    assert result.gap == 0
    starts = result.starts
    # durations / precedence inside each job, no overlap on any machine
    intervals: dict[int, list[tuple[int, int]]] = {}
    for j, ops in enumerate(ft06.jobs):
        for k, (m, d) in enumerate(ops):
            assert starts[j][k] >= 0
            if k:
                assert starts[j][k] >= starts[j][k - 1] + ops[k - 1][1]
            intervals.setdefault(m, []).append((starts[j][k], starts[j][k] + d))
    for items in intervals.values():
        items.sort()
        for (_, end), (start, _) in pairwise(items):
            assert end <= start
    assert max(starts[j][-1] + ops[-1][1] for j, ops in enumerate(ft06.jobs)) == 55
    assert check_schedule(ft06, starts) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# only a comment\n", "no header"),
        ("2 x\n", "line 1: header"),
        ("# c\n\n2 2\n0 1 1\n1 2 0 3\n", "line 4: expected 2 machine/duration pairs"),
        ("2 2\n0 1 2 3\n1 2 0 3\n", "line 2: machine 2 out of range 0..1"),
        ("2 2\n0 1 1 3\n1 -2 0 3\n", "line 3: negative duration -2"),
        ("2 2\n0 1 1 3\n", "missing jobs, expected 2, found 1"),
        ("2 2\n0 1 1 a\n", "line 2: non-integer"),
        ("1 2\n0 1 1 3\n1 2 0 3\n", "line 3: extra data"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_jssp(text)


def test_cli_json(capsys):
    assert main(["schedule", "--jssp", str(FT06), "--time-limit", "10", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    record = json.loads(out[0])
    assert set(record) == {"makespan", "bound", "status", "seconds"}
    assert record["makespan"] == 55 and record["bound"] == 55 and record["status"] == "OPTIMAL"


def test_cli_human(capsys):
    assert main(["schedule", "--jssp", str(FT06)]) == 0
    out = capsys.readouterr().out
    assert "makespan 55" in out and "bound 55" in out and "OPTIMAL" in out


def test_cli_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("2 2\n0 1 5 3\n1 2 0 3\n")
    assert main(["schedule", "--jssp", str(bad)]) == 2
    assert "line 2: machine 5 out of range" in capsys.readouterr().err
    assert main(["schedule", "--jssp", str(tmp_path / "absent.txt")]) == 2
