"""Solve literature job-shop instances (benchmarks/instances/*.txt, from JSPLIB) and compare with the
known optima.

    .venv/bin/python benchmarks/jssp.py [--time-limit 10] [--workers 2] [--repeat 3] [names ...]

Prints per instance its size, the known optimum, our makespan, the proven bound, the status and the
seconds (medians over ``--repeat`` runs; the status column counts how many runs proved optimality when it
varies), then a summary line: how many 10 x 10 instances were proved optimal in under 10 s (median).
Every schedule is checked with ``check_schedule`` and against the known optimum (a makespan below it, or
a bound above it, would be a bug).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling import DEFAULT_TIME_LIMIT_S  # noqa: E402
from scheduling.jssp import check_schedule, parse_jssp, solve_jssp  # noqa: E402

INSTANCES = Path(__file__).parent / "instances"
# Known optimal makespans (JSPLIB instances.json, github.com/tamy0612/JSPLIB).
OPTIMA = {
    "ft06": 55,
    "ft10": 930,
    "la16": 945,
    "la17": 784,
    "la18": 848,
    "la19": 842,
    "la20": 902,
    "abz5": 1234,
    "abz6": 943,
    "orb01": 1059,
    "orb02": 888,
    "orb03": 1005,
    "orb04": 1005,
    "orb05": 887,
    "orb06": 1010,
    "orb07": 397,
    "orb08": 899,
    "orb09": 934,
    "orb10": 944,
    "la36": 1268,
    "la37": 1397,
    "la38": 1196,
    "la39": 1233,
    "la40": 1222,
    "ta01": 1231,
    "ta02": 1244,
    "ta03": 1218,
}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs per instance; medians are printed")
    parser.add_argument("names", nargs="*", default=list(OPTIMA))
    args = parser.parse_args(argv)
    header = ("instance", "size", "optimum", "makespan", "bound", "status", "seconds")
    print("{:8} {:>6} {:>7} {:>8} {:>6} {:>10} {:>7}".format(*header), flush=True)
    proved = ten_by_ten = 0
    for name in args.names:
        shop = parse_jssp((INSTANCES / f"{name}.txt").read_text())
        optimum = OPTIMA.get(name)
        makespans, bounds, seconds, n_optimal = [], [], [], 0
        for _ in range(args.repeat):
            result = solve_jssp(shop, time_limit=args.time_limit, workers=args.workers)
            errors = check_schedule(shop, result.starts)
            assert not errors, (name, errors[:3])
            if optimum is not None:
                assert result.bound <= optimum <= result.makespan, (name, result)
            makespans.append(result.makespan)
            bounds.append(result.bound)
            seconds.append(result.seconds)
            n_optimal += result.status == "OPTIMAL"
        status = "OPTIMAL" if n_optimal == args.repeat else ("FEASIBLE" if not n_optimal else "")
        if args.repeat > 1 and 0 < n_optimal < args.repeat:
            status = f"OPT {n_optimal}/{args.repeat}"
        size = f"{shop.n_jobs}x{shop.n_machines}"
        secs = _median(seconds)
        print(
            f"{name:8} {size:>6} {optimum!s:>7} {_median(makespans):>8g} {_median(bounds):>6g} {status:>10} "
            f"{secs:>7.2f}",
            flush=True,
        )
        if (shop.n_jobs, shop.n_machines) == (10, 10):
            ten_by_ten += 1
            proved += 2 * n_optimal > args.repeat and secs < 10.0
    if ten_by_ten:
        print(f"10x10 proved optimal in < 10 s (median of {args.repeat}): {proved}/{ten_by_ten}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
