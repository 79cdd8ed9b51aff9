"""Action round trip on the operational store: a user saves a decision, another user's session sees it.

Target (issue 18): ≤ 300 ms at p95 with 20 concurrent users, on SQLite and on PostgreSQL.

20 threads, each one user with its own store connection pool (a separate "session"), acknowledge
their own warnings, all starting at the same moment, then each after a pause of ``--think`` seconds
on average (uniform between half and one and a half times it; 0: back to back, the worst case); each
round trip is timed from the start of the save until a
second, separate store (another user's session) reads the new state. SQLite is a temporary file in WAL
mode; PostgreSQL is a temporary local server (tests/decisions/postgres_server.py) unless ``--url``
names one. Prints p50, p95 and max per backend:

    .venv/bin/python benchmarks/decision_roundtrip.py [--users 20] [--actions 10] [--think 1]
        [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the PostgreSQL server of tests/decisions, run from any folder

from decisions import t3_loop  # noqa: E402
from decisions.people import Actor  # noqa: E402
from decisions.store import Store  # noqa: E402

T0 = datetime(2026, 12, 1, 8)


def _register(n: int) -> list[dict]:
    return [
        {
            "warning_id": f"T3-{i:05d}",
            "production_order_id": f"PO-{i}",
            "sku": "SKU-1",
            "customer_tier": "A",
            "work_center": "SEW",
            "blocking_operation": "Sew",
            "due_at": T0,
            "planned_completion": T0,
            "projected_late": True,
            "level": "T-3",
            "status": "open",
        }
        for i in range(1, n + 1)
    ]


def measure(url: str, users: int, actions: int, think: float = 1.0) -> list[float]:
    setup = Store(url)
    setup.upgrade()
    t3_loop.sync_register(setup, _register(users * actions), now=T0)
    setup.engine.dispose()
    timings: list[float] = []
    lock, barrier = threading.Lock(), threading.Barrier(users)

    def user(number: int) -> None:
        mine, theirs = Store(url), Store(url)  # the actor's session and another user's
        actor = Actor(f"planner{number}", "planner")
        pause = random.Random(number)
        barrier.wait()
        for k in range(actions):
            if k and think:
                time.sleep(pause.uniform(0.5 * think, 1.5 * think))
            warning_id = f"T3-{number * actions + k + 1:05d}"
            started = time.perf_counter()
            t3_loop.acknowledge(
                mine, actor, warning_id, countermeasure="overtime", expected_recovery=date(2026, 12, 3)
            )
            while t3_loop.get_warning(theirs, warning_id)["state"] != "acknowledged":
                pass
            with lock:
                timings.append(time.perf_counter() - started)
        mine.engine.dispose()
        theirs.engine.dispose()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def report(name: str, timings: list[float]) -> None:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    p50 = statistics.median(ms)
    print(f"{name}: {len(ms)} round trips, p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--actions", type=int, default=10)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a user's actions (1)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--url", help="a PostgreSQL URL to use instead of a temporary server")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            report(
                "sqlite (WAL)",
                measure(f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.users, args.actions, args.think),
            )
    if args.backend in ("postgresql", "both"):
        if args.url:
            report("postgresql", measure(args.url, args.users, args.actions, args.think))
            return
        from tests.decisions.postgres_server import remove, start_server

        server = start_server()
        try:
            report("postgresql", measure(server.url(), args.users, args.actions, args.think))
        finally:
            remove(server)


if __name__ == "__main__":
    main()
