"""How OmniOps scales to millions of order lines (issue 7).

For each size (``--lines``, default 1 M and 10 M order lines), in a fresh OMNIOPS_HOME under ``--dir``:

1. generate the demo company (``omniops generate --lines N``), timed, with its peak memory;
2. hold back the newest day's daily files (the manifest's ``daily_files``);
3. run the full pipeline in a subprocess (``PIPELINE_COMMAND``): seconds by stage (landing, dbt, kpis, atp,
   forecast, production, publish, the Great Expectations checks, from ``PipelineResult.step_seconds``),
   peak memory of the whole process tree (psutil, RSS summed over the tree every 0.2 s), the published
   warehouse's size and the slowest dbt models (dbt's run_results.json);
4. drop the held-back day in and run the daily job (``omniops run --daily``: only the new files, dbt's
   incremental models, no forecast): the one-day incremental run (``INCREMENTAL_COMMAND``);
5. time the dashboards' queries: every page is run once in Streamlit's AppTest with the warehouse's
   query cache replaced by a recorder, so the SQL timed is exactly what the pages run (the order lookup
   by a full order number, a phone, an e-mail and a partial number); each recorded query then runs
   ``--query-repeat`` times uncached; median and max.

Targets on a 2-core, 24 GB machine: a full 10 M-line build under 15 minutes and 8 GB peak memory, a
one-day incremental run under 1 minute, every dashboard query under 1 s. The machine may be shared: CPU
timings are noisy; with ``--repeat`` the table shows medians. Raw figures go to
``benchmarks/results/scale_<time>.json`` (git-ignored).

    .venv/bin/python benchmarks/scale.py [--lines 1000000 10000000] [--repeat 1] [--dir <tmp>/omniops-scale]
        [--reuse] [--snapshot]              # keep the demo company; keep the state after the full run
    .venv/bin/python benchmarks/scale.py --daily-only [--migrate MODEL ...]   # the one-day run again
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"

TARGET_FULL_SECONDS = 15 * 60
TARGET_PEAK_GB = 8.0
TARGET_INCREMENTAL_SECONDS = 60
TARGET_QUERY_SECONDS = 1.0

# The pipeline runs as a child process so its memory is measured apart from this one. It writes its
# PipelineResult as JSON to $OMNIOPS_BENCH_RESULT. One place to change what a full and a daily run are.
_RUNNER = (
    "import json, os, sys\n"
    "from orchestration.pipeline import run_pipeline\n"
    "result = run_pipeline(echo=lambda m: print(m, flush=True), job_name=sys.argv[1])\n"
    "json.dump({'seconds': result.seconds, 'step_seconds': result.step_seconds,\n"
    "           'rejected_files': result.rejected_files}, open(os.environ['OMNIOPS_BENCH_RESULT'], 'w'))\n"
)
# `omniops run`: every asset; a first run on a fresh landing zone builds everything.
PIPELINE_COMMAND = [sys.executable, "-c", _RUNNER, "omniops_all"]
# `omniops run --daily`: new files only, incremental dbt, no forecast (weekly), publish.
INCREMENTAL_COMMAND = [sys.executable, "-c", _RUNNER, "omniops_daily"]

# Dagster step keys → the stages of the table (first matching prefix wins).
STAGES = (
    ("landing", ("land",)),
    ("dbt", ("dbt", "omniops_dbt")),
    ("kpis", ("kpi",)),
    ("atp", ("atp", "channel_stock", "oversell")),
    ("forecast", ("forecast", "demand", "replenish", "inventory")),
    ("production", ("production", "plant", "schedule", "t3", "daily_close")),
    ("publish", ("publish",)),
    ("checks", ("gx", "quality", "check")),
)


def stage_of(step: str) -> str:
    for stage, prefixes in STAGES:
        if any(step.startswith(p) for p in prefixes):
            return stage
    for stage, prefixes in STAGES:
        if any(f"_{p}" in step for p in prefixes):
            return stage
    return "other"


class PeakMemory:
    """Samples the RSS summed over a process and all its descendants every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def stop(self) -> float:
        """Peak in GB."""
        self._stop.set()
        self._thread.join()
        return self.peak / 1e9


@dataclass
class Measured:
    seconds: float
    peak_gb: float
    code: int
    # CPU seconds (user + system) of the whole process tree, and the machine's 1-minute load average at
    # the end: on a shared 2-core machine wall time alone cannot tell a slow run from a busy machine.
    cpu_seconds: float
    load: float


def run_measured(command: list[str], env: dict[str, str], log: Path) -> Measured:
    """Run a command, output to `log`, and measure it."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = PeakMemory(process.pid)
        code = process.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(time.perf_counter() - started, sampler.stop(), code, cpu, os.getloadavg()[0])


def hold_back(landing: Path, held: Path) -> list[str]:
    """Move the newest day's daily files out of the landing zone; returns their relative paths."""
    manifest = json.loads((landing / "_manifest.json").read_text(encoding="utf-8"))
    newest = manifest["history_end"]
    moved = []
    for source, names in manifest.get("daily_files", {}).items():
        for name in names:
            if newest in name or newest.replace("-", "") in name:
                (held / source).mkdir(parents=True, exist_ok=True)
                (landing / source / name).replace(held / source / name)
                moved.append(f"{source}/{name}")
    return moved


def drop_in(landing: Path, held: Path, files: list[str]) -> None:
    """Tomorrow's exports arrive: the held-back files come back, with a new modification time."""
    for relative in files:
        target = landing / relative
        (held / relative).replace(target)
        os.utime(target)


def dbt_model_seconds(since: float) -> dict[str, float]:
    """Execution seconds per dbt node of the newest run_results.json written after `since`."""
    candidates = [
        p for p in (REPO / "dbt_project" / "target").rglob("run_results.json") if p.stat().st_mtime >= since
    ]
    if not candidates:
        return {}
    results = json.loads(max(candidates, key=lambda p: p.stat().st_mtime).read_text())
    return {r["unique_id"]: round(r.get("execution_time", 0.0), 2) for r in results.get("results", [])}


def pipeline(home: Path, command: list[str], name: str) -> dict:
    env = os.environ | {
        "OMNIOPS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "OMNIOPS_BENCH_RESULT": str(home / f"{name}.json"),
    }
    started = time.time()
    measured = run_measured(command, env, home / f"{name}.log")
    if measured.code != 0:
        raise RuntimeError(f"{name} failed (exit {measured.code}); see {home / f'{name}.log'}")
    result = json.loads((home / f"{name}.json").read_text())
    stages: dict[str, float] = {}
    for step, step_seconds in result["step_seconds"].items():
        stages[stage_of(step)] = stages.get(stage_of(step), 0.0) + step_seconds
    published = home / "warehouse" / "omniops.duckdb"
    return {
        "seconds": measured.seconds,
        "pipeline_seconds": result["seconds"],
        "peak_gb": measured.peak_gb,
        "cpu_seconds": measured.cpu_seconds,
        "load": measured.load,
        "stages": stages,
        "steps": result["step_seconds"],
        "rejected_files": result["rejected_files"],
        "warehouse_gb": published.stat().st_size / 1e9 if published.exists() else None,
        "dbt_models": dbt_model_seconds(started),
    }


def generate(home: Path, lines: int) -> dict:
    env = os.environ | {"OMNIOPS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    command = [sys.executable, "-m", "orchestration.cli", "generate", "--lines", str(lines)]
    measured = run_measured(command, env, home / "generate.log")
    if measured.code != 0:
        raise RuntimeError(f"generation failed (exit {measured.code}); see {home / 'generate.log'}")
    seconds = measured.seconds
    manifest = json.loads((home / "landing" / "_manifest.json").read_text(encoding="utf-8"))
    rows = sum(manifest["rows"].values())
    landing_bytes = sum(p.stat().st_size for p in (home / "landing").rglob("*") if p.is_file())
    return {
        "seconds": seconds,
        "peak_gb": measured.peak_gb,
        "cpu_seconds": measured.cpu_seconds,
        "load": measured.load,
        "order_lines": sum(manifest["order_lines"].values()),
        "orders": sum(manifest["orders"].values()),
        "rows": rows,
        "rows_per_second": rows / seconds,
        "landing_gb": landing_bytes / 1e9,
        "scale": manifest["scale"],
    }


# --- dashboard queries ------------------------------------------------------------------------------


def lookup_terms(published: Path) -> dict[str, str]:
    """What an agent types: a full order number, a phone, an e-mail, part of an order number."""
    import duckdb

    with duckdb.connect(str(published), read_only=True) as conn:
        number = conn.execute(
            "select channel_order_id from marts.fct_orders where channel = 'shopify' "
            "order by hash(channel_order_id) limit 1"
        ).fetchone()[0]
        found = dict(
            conn.execute(
                "select key_type, min(search_value) from marts.fct_order_lookup_keys "
                "where key_type in ('phone', 'email') group by key_type"
            ).fetchall()
        )
        amazon = conn.execute(
            "select min(channel_order_id) from marts.fct_orders where channel = 'amazon'"
        ).fetchone()[0]
    terms = {"order number": str(number), "partial number": str(amazon)[4:11]}
    if "phone" in found:
        terms["phone"] = str(found["phone"])
    if "email" in found:
        terms["e-mail"] = str(found["email"])
    return terms


def dashboard_queries(home: Path, repeat: int) -> list[dict]:
    """Every query the pages run (AppTest, one role that sees each page), each timed `repeat` times."""
    import duckdb
    from streamlit.testing.v1 import AppTest

    import dashboards.warehouse as warehouse
    from dashboards.access import PAGES

    os.environ["OMNIOPS_HOME"] = str(home)
    published = home / "warehouse" / "omniops.duckdb"
    conn = duckdb.connect(":memory:")
    conn.execute(f"attach '{published}' as published (read_only)")
    recorded: list[tuple[str, str, tuple]] = []
    current = {"page": ""}

    def recorder(sql: str, params: tuple, path: str, version: float):
        cursor = conn.cursor()
        try:
            cursor.execute("use published")
            frame = cursor.execute(sql, list(params)).df()
        finally:
            cursor.close()
        recorded.append((current["page"], sql, params))
        return frame

    original = warehouse._cached_query
    warehouse._cached_query = recorder
    try:
        runs: list[tuple[str, str | None]] = [(page.file, None) for page in PAGES]
        lookup = next((p for p in PAGES if "lookup" in p.file), None)
        if lookup is not None:
            runs += [(lookup.file, term) for term in lookup_terms(published).items()]
        for file, term in runs:
            page = next(p for p in PAGES if p.file == file)
            role = "analyst" if "analyst" in page.roles else sorted(page.roles)[0]
            current["page"] = page.title if term is None else f"{page.title}: {term[0]}"
            app = AppTest.from_file(str(REPO / "dashboards" / "app.py"), default_timeout=600)
            app.session_state["user"] = {"username": "bench", "role": role, "display_name": role}
            app.run()
            recorded[:] = [r for r in recorded if r[0] != current["page"]]  # the start page's queries
            if term is not None:
                app.session_state["lookup_query"] = term[1]
            app.switch_page(f"views/{page.file}").run()
            if app.exception:
                raise RuntimeError(f"{current['page']}: {app.exception}")
    finally:
        warehouse._cached_query = original

    timed: list[dict] = []
    seen: set[tuple[str, str, tuple]] = set()
    for page, sql, params in recorded:
        if (page, sql, params) in seen:
            continue
        seen.add((page, sql, params))
        seconds = []
        for _ in range(repeat):
            cursor = conn.cursor()
            started = time.perf_counter()
            cursor.execute("use published")
            rows = len(cursor.execute(sql, list(params)).df())
            seconds.append(time.perf_counter() - started)
            cursor.close()
        timed.append(
            {
                "page": page,
                "sql": " ".join(sql.split())[:400],
                "params": [str(p) for p in params],
                "median": statistics.median(seconds),
                "max": max(seconds),
                "rows": rows,
            }
        )
    conn.close()
    return timed


# --- one size ---------------------------------------------------------------------------------------


def take_snapshot(home: Path) -> None:
    """Keep the state after the full run, so the one-day run can be measured again (``--daily-only``)
    without rebuilding history. The published file is never written in place (publish renames over it):
    a hard link is enough; the build file is copied."""
    snapshot = home / "snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir()
    warehouse = home / "warehouse"
    shutil.copyfile(warehouse / "build.duckdb", snapshot / "build.duckdb")
    os.link(warehouse / "omniops.duckdb", snapshot / "omniops.duckdb")
    shutil.copytree(home / "dagster", snapshot / "dagster")


def restore_snapshot(home: Path) -> None:
    snapshot = home / "snapshot"
    if not (snapshot / "build.duckdb").exists():
        raise SystemExit(f"no snapshot in {snapshot}: run the benchmark once with --snapshot")
    warehouse = home / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    shutil.rmtree(home / "dagster", ignore_errors=True)
    warehouse.mkdir()
    shutil.copyfile(snapshot / "build.duckdb", warehouse / "build.duckdb")
    os.link(snapshot / "omniops.duckdb", warehouse / "omniops.duckdb")
    shutil.copytree(snapshot / "dagster", home / "dagster")


def migrate(home: Path, models: list[str]) -> None:
    """Rebuild the given dbt models from all history (untimed): what a deployment does once when a
    model's materialisation changes, before its incremental runs. A snapshot built before dbt recorded
    its complete builds (``main.dbt_complete_builds``) gets the record its full run would have written:
    the start of that build, the stamp on its incremental rows."""
    import duckdb

    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        conn.execute(
            "create table if not exists main.dbt_complete_builds "
            "(started_at_utc timestamp, full_refresh boolean)"
        )
        if conn.execute("select count(*) from main.dbt_complete_builds").fetchone()[0] == 0:
            conn.execute(
                "insert into main.dbt_complete_builds "
                "select min(refreshed_at_utc), false from intermediate.int_order_lines__unioned"
            )
    env = os.environ | {"OMNIOPS_HOME": str(home)}
    dbt = Path(sys.executable).with_name("dbt")
    # Its own target folder: the pipeline's manifest (and its parse fingerprint) stays as it is.
    target = ["--target-path", str(home / "migrate_target")]
    command = [str(dbt), "run", "--full-refresh", "--profiles-dir", ".", *target, "--select", *models]
    print(f"migrating {' '.join(models)}", flush=True)
    subprocess.run(command, cwd=REPO / "dbt_project", env=env, check=True, stdout=subprocess.DEVNULL)


def daily_only(root: Path, lines: int, query_repeat: int, models: list[str]) -> dict:
    """The one-day run and the queries again, on the snapshot a ``--snapshot`` run kept."""
    home = root / f"lines_{lines}"
    figures = json.loads((home / "figures.json").read_text())
    restore_snapshot(home)
    for relative in figures["held_back"]:
        os.utime(home / "landing" / relative)
    if models:
        migrate(home, models)
    figures["incremental"] = pipeline(home, INCREMENTAL_COMMAND, "daily_run")
    print(f"[{lines:,}] one-day run: {figures['incremental']['seconds']:.0f} s", flush=True)
    figures["queries"] = dashboard_queries(home, query_repeat)
    return figures


def bench_size(root: Path, lines: int, query_repeat: int, reuse: bool, snapshot: bool = False) -> dict:
    home = root / f"lines_{lines}"
    landing = home / "landing"
    figures: dict = {"lines_requested": lines, "home": str(home)}
    if reuse and (landing / "_manifest.json").exists():
        print(f"[{lines:,}] reusing the demo company in {landing}", flush=True)
        if (home / "generate_figures.json").exists():
            figures["generate"] = json.loads((home / "generate_figures.json").read_text())
        held = home / "held_back"
        if held.is_dir():  # an interrupted benchmark left the newest day out: put it back first
            drop_in(landing, held, [p.relative_to(held).as_posix() for p in held.rglob("*") if p.is_file()])
        for name in ("warehouse", "dagster", "held_back"):
            shutil.rmtree(home / name, ignore_errors=True)
    else:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        print(f"[{lines:,}] generating into {landing}", flush=True)
        figures["generate"] = generate(home, lines)
        (home / "generate_figures.json").write_text(json.dumps(figures["generate"]))
        print(f"[{lines:,}] generated: {json.dumps(figures['generate'])}", flush=True)
    held = home / "held_back"
    figures["held_back"] = hold_back(landing, held)
    print(f"[{lines:,}] full run (held back {len(figures['held_back'])} daily files)", flush=True)
    figures["full"] = pipeline(home, PIPELINE_COMMAND, "full_run")
    print(f"[{lines:,}] full run: {figures['full']['seconds']:.0f} s", flush=True)
    (home / "figures.json").write_text(json.dumps(figures, default=str))
    if snapshot:
        take_snapshot(home)
    drop_in(landing, held, figures["held_back"])
    figures["incremental"] = pipeline(home, INCREMENTAL_COMMAND, "daily_run")
    print(f"[{lines:,}] one-day run: {figures['incremental']['seconds']:.0f} s", flush=True)
    try:
        figures["queries"] = dashboard_queries(home, query_repeat)
    except Exception as exc:  # the build figures are still worth reporting
        print(f"[{lines:,}] dashboard queries failed: {exc!r}", flush=True)
        figures["queries"] = []
    return figures


def print_queries(size: int, queries: list[dict]) -> None:
    print(f"\n{size:,} lines: page query time (sum of medians) and slowest query per page")
    pages: dict[str, list[dict]] = {}
    for q in queries:
        pages.setdefault(q["page"], []).append(q)
    for page, page_queries in pages.items():
        slow = max(page_queries, key=lambda q: q["median"])
        print(
            f"  {page:<34} {len(page_queries):3d} queries {sum(q['median'] for q in page_queries):7.3f} s; "
            f"slowest {slow['median']:.3f} s (max {slow['max']:.3f}): {slow['sql'][:90]}"
        )
    over = [q for q in queries if q["median"] > TARGET_QUERY_SECONDS]
    for q in sorted(over, key=lambda q: -q["median"]):
        print(f"  OVER 1 s: {q['page']}: {q['median']:.2f} s: {q['sql'][:300]} {q['params']}")


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def report(by_size: dict[int, list[dict]]) -> None:
    sizes = sorted(by_size)
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, pick, fmt: str = "{:,.0f}") -> None:
        cells = []
        for size in sizes:
            value = _median([pick(f) for f in by_size[size]])
            cells.append("-" if value is None else fmt.format(value))
        rows.append((label, cells))

    def gen(key: str):
        return lambda f: f.get("generate", {}).get(key)

    add("order lines", gen("order_lines"))
    add("landing files (GB)", gen("landing_gb"), "{:.2f}")
    add("generate (s)", gen("seconds"), "{:.0f}")
    add("generate rows/s", gen("rows_per_second"))
    add("generate peak memory (GB)", gen("peak_gb"), "{:.2f}")

    def run_rows(key: str, name: str) -> None:
        """Wall time, CPU seconds, load, seconds by stage and peak memory of one pipeline run."""
        add(f"{name} (s)", lambda f: f[key]["seconds"], "{:.0f}")
        add("  CPU seconds (whole tree)", lambda f: f[key].get("cpu_seconds"), "{:.0f}")
        add("  load average at the end", lambda f: f[key].get("load"), "{:.1f}")
        for stage, _ in (*STAGES, ("other", ())):
            add(f"  {stage} (s)", lambda f, s=stage: f[key]["stages"].get(s), "{:.0f}")
        add(f"{name} peak memory (GB)", lambda f: f[key]["peak_gb"], "{:.2f}")

    run_rows("full", "full run")
    add("published warehouse (GB)", lambda f: f["full"]["warehouse_gb"], "{:.2f}")
    run_rows("incremental", "one-day run")
    add("dashboard queries", lambda f: len(f["queries"]))
    add(
        "slowest query, median (s)",
        lambda f: max((q["median"] for q in f["queries"]), default=None),
        "{:.3f}",
    )
    add("slowest query, max (s)", lambda f: max((q["max"] for q in f["queries"]), default=None), "{:.3f}")
    add("queries over 1 s (median)", lambda f: sum(q["median"] > TARGET_QUERY_SECONDS for q in f["queries"]))

    width = max(len(label) for label, _ in rows)
    print("\n" + " " * width + "".join(f"{f'{s:,} lines':>16}" for s in sizes))
    for label, cells in rows:
        print(f"{label:<{width}}" + "".join(f"{c:>16}" for c in cells))

    for size in sizes:
        last = by_size[size][-1]
        print_queries(size, last["queries"])
        models = sorted(last["full"]["dbt_models"].items(), key=lambda kv: -kv[1])[:10]
        if models:
            print(
                "  slowest dbt nodes (full run): "
                + ", ".join(f"{k.split('.')[-1]} {v:.0f}s" for k, v in models)
            )
        steps = sorted(last["full"]["steps"].items(), key=lambda kv: -kv[1])[:10]
        print("  slowest steps (full run): " + ", ".join(f"{k} {v:.0f}s" for k, v in steps))
        steps = sorted(last["incremental"]["steps"].items(), key=lambda kv: -kv[1])[:6]
        print("  slowest steps (one-day run): " + ", ".join(f"{k} {v:.0f}s" for k, v in steps))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--query-repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "omniops-scale")
    parser.add_argument("--reuse", action="store_true", help="keep a demo company already generated in --dir")
    parser.add_argument(
        "--queries-only", action="store_true", help="only time the dashboard queries of built homes in --dir"
    )
    parser.add_argument(
        "--snapshot", action="store_true", help="keep the state after the full run for --daily-only"
    )
    parser.add_argument(
        "--daily-only",
        action="store_true",
        help="only the one-day run and the queries, again, on the state a --snapshot run kept",
    )
    parser.add_argument(
        "--migrate",
        nargs="*",
        default=[],
        metavar="MODEL",
        help="with --daily-only: dbt models to rebuild from history first (their materialisation changed)",
    )
    args = parser.parse_args()

    if args.queries_only:
        for lines in args.lines:
            home = args.dir.resolve() / f"lines_{lines}"
            queries = dashboard_queries(home, args.query_repeat)
            (home / "queries.json").write_text(json.dumps(queries, indent=2) + "\n")
            print_queries(lines, queries)
        return 0

    by_size: dict[int, list[dict]] = {}
    for lines in args.lines:
        for _ in range(args.repeat):
            if args.daily_only:
                figures = daily_only(args.dir.resolve(), lines, args.query_repeat, args.migrate)
            else:
                figures = bench_size(args.dir.resolve(), lines, args.query_repeat, args.reuse, args.snapshot)
            by_size.setdefault(lines, []).append(figures)
            RESULTS.mkdir(exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            (RESULTS / f"scale_{stamp}.json").write_text(json.dumps(by_size, indent=2, default=str) + "\n")
    report(by_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
