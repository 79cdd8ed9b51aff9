"""Solve literature job-shop instances (benchmarks/instances/*.txt, from JSPLIB) and compare with the
known optima.

    .venv/bin/python benchmarks/jssp.py [--time-limit 10] [--workers 2] [names ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.jssp import check_schedule, parse_jssp, solve_jssp  # noqa: E402

INSTANCES = Path(__file__).parent / "instances"
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
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("names", nargs="*", default=list(OPTIMA))
    args = parser.parse_args(argv)
    print(
        f"{'instance':8} {'size':>6} {'makespan':>8} {'optimum':>7} {'bound':>6} {'status':>9} {'seconds':>7}"
    )
    for name in args.names:
        shop = parse_jssp((INSTANCES / f"{name}.txt").read_text())
        result = solve_jssp(shop, time_limit=args.time_limit, workers=args.workers)
        assert not check_schedule(shop, result.starts), name
        size = f"{shop.n_jobs}x{shop.n_machines}"
        print(
            f"{name:8} {size:>6} {result.makespan!s:>8} {OPTIMA.get(name, '?')!s:>7} {result.bound:>6} "
            f"{result.status:>9} {result.seconds:>7.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
