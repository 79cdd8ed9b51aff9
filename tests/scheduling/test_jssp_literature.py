"""Job-shop solver on literature instances (benchmarks/instances): optimality, valid schedules, honest
bounds and status under a short time limit, and the Jackson lower bound."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scheduling.jssp import JobShop, _jackson_bound, check_schedule, parse_jssp, solve_jssp

INSTANCES = Path(__file__).resolve().parents[2] / "benchmarks" / "instances"


def _load(name: str) -> JobShop:
    return parse_jssp((INSTANCES / f"{name}.txt").read_text())


def test_la16_proved_optimal_with_valid_schedule():
    shop = _load("la16")
    assert (shop.n_jobs, shop.n_machines) == (10, 10)
    result = solve_jssp(shop, time_limit=30.0)
    assert result.status == "OPTIMAL"
    assert result.makespan == result.bound == 945
    assert check_schedule(shop, result.starts) == []
    assert max(s[-1] + ops[-1][1] for s, ops in zip(result.starts, shop.jobs, strict=True)) == 945


def test_single_worker_ft06():
    result = solve_jssp(_load("ft06"), time_limit=10.0, workers=1)
    assert (result.makespan, result.bound, result.status) == (55, 55, "OPTIMAL")


def test_15x15_short_limit_is_honest():
    """ta01 (optimum 1231) in 1 s: a valid schedule, a bound below the optimum, status consistent."""
    shop = _load("ta01")
    result = solve_jssp(shop, time_limit=1.0)
    assert result.seconds < 3.0
    assert check_schedule(shop, result.starts) == []
    assert result.bound <= 1231 <= result.makespan
    assert result.status == ("OPTIMAL" if result.bound == result.makespan else "FEASIBLE")
    assert 0 <= result.gap < 0.3


def test_jackson_bound_known_values():
    assert _jackson_bound(_load("ft06")) == 52
    assert _jackson_bound(_load("ft10")) == 808
    assert _jackson_bound(_load("orb01")) == 929


@pytest.mark.parametrize("seed", range(6))
def test_jackson_bound_below_optimum(seed):
    rng = random.Random(seed)
    n_jobs, n_machines = rng.randint(2, 5), rng.randint(2, 4)
    jobs = []
    for _ in range(n_jobs):
        machines = list(range(n_machines))
        rng.shuffle(machines)
        jobs.append(tuple((m, rng.randint(0, 9)) for m in machines))
    shop = JobShop(n_jobs, n_machines, tuple(jobs))
    result = solve_jssp(shop, time_limit=10.0)
    assert result.status == "OPTIMAL"
    assert check_schedule(shop, result.starts) == []
    assert shop.lower_bound() <= _jackson_bound(shop) <= result.makespan
