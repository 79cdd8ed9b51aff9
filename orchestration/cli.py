"""The ``omniops`` command: generate the demo company, run the pipeline, serve the dashboard."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from core.settings import DASHBOARD_APP, export_environment, get_paths
from orchestration.alert_commands import add_parsers as add_alert_parsers
from orchestration.close_commands import add_parsers as add_close_parsers
from orchestration.console import failure_lines, log_path, quiet_console, summary
from orchestration.decision_commands import add_parsers as add_decision_parsers
from orchestration.forecast_override_commands import add_override_parser
from orchestration.promise_commands import add_parsers as add_promise_parsers
from orchestration.rush_commands import add_parsers as add_rush_parsers
from orchestration.spark_target import add_arguments as add_spark_arguments
from scheduling import DEFAULT_TIME_LIMIT_S


def _echo(message: str) -> None:
    print(f"[omniops] {message}", flush=True)


def cmd_generate(args: argparse.Namespace) -> int:
    from demo_company.generate import DEFAULT_AS_OF, generate_demo_company, scale_for_lines

    paths = export_environment()
    out = Path(args.out).resolve() if args.out else paths.landing
    as_of = date.fromisoformat(args.as_of) if args.as_of else DEFAULT_AS_OF
    scale = scale_for_lines(args.lines) if args.lines else args.scale
    if args.lines:
        _echo(f"--lines {args.lines:,}: scale {scale}")
    started = time.monotonic()

    def progress(message: str) -> None:
        """Elapsed time and peak memory so far on every step, so a long generation shows where it is."""
        peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
        _echo(f"{message}  [{time.monotonic() - started:.0f} s, peak {peak_gb:.1f} GB]")

    manifest = generate_demo_company(
        out, scale=scale, seed=args.seed, as_of=as_of, progress=progress, daily_tail=args.daily_tail
    )
    orders = sum(manifest["orders"].values())
    lines = sum(manifest["order_lines"].values())
    seconds = time.monotonic() - started
    rows = sum(manifest["rows"].values())
    _echo(
        f"demo company written to {out}: {orders:,} orders, {lines:,} order lines "
        f"in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)"
    )
    return 0


# Exit codes of `omniops run` (docs/operations.md): 1 = the pipeline failed (or crashed); 2 = it
# completed and published, but landing refused, held or ignored a file or kept rows out of one.
EXIT_FAILED = 1
EXIT_LANDING_TROUBLE = 2


def _report_rejected(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.pipeline import ALL_JOB, DAILY_JOB, PipelineError, run_pipeline

    paths = export_environment()
    full_refresh = getattr(args, "full_refresh", False)
    job_name = DAILY_JOB if getattr(args, "daily", False) else ALL_JOB
    if job_name == DAILY_JOB and not paths.published_db.exists():
        _echo("nothing published yet: this first run builds everything, the forecast included")
        job_name = ALL_JOB
    _echo(f"running {job_name}{' (full refresh)' if full_refresh else ''} on {paths.home}")
    log_file = log_path(paths)
    failure = None
    # Dagster's and dbt's own output goes to the log file; the console gets a line per stage.
    with quiet_console(log_file) as console:
        try:
            result = run_pipeline(
                paths,
                echo=console.echo,
                job_name=job_name,
                full_refresh=full_refresh,
                console=console,
                wait_for_next_build=False,
            )
        except PipelineError as exc:
            failure = exc
    if failure is not None:
        _echo(f"FAILED: {failure}")
        _report_rejected(failure.rejected_files)
        for line in failure_lines(log_file):
            print(line, flush=True)
        _echo(f"full log: {log_file}")
        return EXIT_FAILED
    for line in summary(result.seconds, result.step_seconds, paths.published_db, log_file):
        _echo(line)
    if result.stale_sources:
        # a warning (the exit code stays): the feeds that are late, the rest was built and published
        _echo(f"{len(result.stale_sources)} daily feed(s) late (landing.source_freshness):")
        _report_rejected(result.stale_sources)
    if result.rejected_files:
        _echo(
            f"{len(result.rejected_files)} file(s) not landed whole (files in landing/<source>/_rejected/ "
            "or _held/, rows in landing.quarantine):"
        )
        _report_rejected(result.rejected_files)
        return EXIT_LANDING_TROUBLE
    return 0


LOCAL_ADDRESS = "127.0.0.1"


def add_address_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--address",
        default=LOCAL_ADDRESS,
        help="interface to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface, "
        "behind a TLS reverse proxy: docs/dashboards.md)",
    )


def cmd_serve(args: argparse.Namespace) -> int:
    paths = export_environment()
    if not paths.published_db.exists():
        _echo(f"no published warehouse at {paths.published_db}: run `omniops run` first")
        return 1
    address = getattr(args, "address", LOCAL_ADDRESS)
    shown = "localhost" if address == LOCAL_ADDRESS else address
    _echo(f"serving the dashboard on http://{shown}:{args.port} (Ctrl+C to stop)")
    # dashboards.serve is Streamlit's own command without its /_stcore/metrics endpoint, which would
    # answer anyone who can reach the port (run as a module: orchestration does not import dashboards).
    command = [
        sys.executable,
        "-m",
        "dashboards.serve",
        "run",
        str(DASHBOARD_APP),
        "--server.address",
        address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Streamlit's agent API would run the app for any caller; it is off by default, and stays off.
        "--server.enableAgentApi",
        "false",
        # No "Deploy" button and developer menu for the people who use the dashboard.
        "--client.toolbarMode",
        "viewer",
    ]
    try:
        return subprocess.call(command, env=os.environ.copy())
    except KeyboardInterrupt:
        return 0


def _dashboard_users(arguments: list[str]) -> int:
    """User management lives with the dashboards (``dashboards/users.py``); run it as its own module so
    orchestration does not import the dashboards."""
    export_environment()
    return subprocess.call([sys.executable, "-m", "dashboards.users", *arguments], env=os.environ.copy())


def cmd_users(args: argparse.Namespace) -> int:
    return _dashboard_users(args.arguments)


def cmd_demo(args: argparse.Namespace) -> int:
    paths = get_paths()
    if not (paths.landing / "_manifest.json").exists():
        args.out, args.as_of = None, None
        if cmd_generate(args):
            return 1
    else:
        _echo(f"using the demo company already in {paths.landing}")
    if cmd_run(args) == EXIT_FAILED:
        return 1
    if _dashboard_users(["demo"]):
        return 1
    return cmd_serve(args)


def cmd_forecast(args: argparse.Namespace) -> int:
    """Forecast any long CSV (unique_id, ds, y) with the same champion selection as the pipeline; with
    ``--judgmental`` the champion is blended with the outside forecast (``forecasting.consensus``)."""
    import json

    import pandas as pd

    from forecasting.select import champion_summary, forecast_and_backtest
    from forecasting.settings import ForecastSettings

    missing = [f"--{name}" for name in ("input", "horizon", "output") if getattr(args, name) is None]
    if missing:
        _echo(f"FAILED: omniops forecast needs {', '.join(missing)}")
        return 2
    history = pd.read_csv(args.input)
    try:
        forecast, scores, cv = forecast_and_backtest(history, ForecastSettings(args.horizon, args.freq))
        blended = _blend_judgmental(args, history, forecast, scores, cv) if args.judgmental else None
    except ValueError as exc:
        _echo(f"FAILED: {exc}")
        return 1
    if blended is not None:
        forecast, per_series = blended
    forecast.assign(ds=forecast["ds"].dt.strftime("%Y-%m-%d")).to_csv(args.output, index=False)
    if args.json:
        for record in champion_summary(scores):
            if blended is not None:
                record["judgmental"] = per_series.get(record["unique_id"])
            print(json.dumps(record), flush=True)
    return 0


def _blend_judgmental(args, history, forecast, scores, cv):
    """(the consensus forecast, per series the backtest WAPE of champion, judgmental and consensus)."""
    from forecasting import consensus
    from forecasting.judgmental import read_judgmental
    from forecasting.rolling import prepare
    from forecasting.select import FORECAST_COLUMNS

    outside = read_judgmental(args.judgmental, prepare(history), args.freq)
    for warning in outside.warnings:
        _echo(f"WARNING: {warning}")
    champions = scores.loc[scores["is_champion"]].set_index("unique_id")["model"].to_dict()
    pairs = consensus.backtest_pairs(cv, champions, outside.forecast)
    record = consensus.track_record(prepare(history), outside.forecast)
    weights = consensus.learn_weights(pairs, record=record)
    out = consensus.blend(forecast, outside.forecast, weights)[FORECAST_COLUMNS]
    table = consensus.backtest_wape(pairs, weights).set_index("unique_id")
    table = table.astype(object).where(table.notna(), None)
    return out, {uid: row.to_dict() for uid, row in table.iterrows()}


def cmd_schedule(args: argparse.Namespace) -> int:
    """Solve a job-shop instance file (standard format) and report makespan, bound and status."""
    import json

    from scheduling.jssp import parse_jssp, solve_jssp

    try:
        shop = parse_jssp(Path(args.jssp).read_text())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"[omniops] bad job-shop file {args.jssp}: {exc}", file=sys.stderr, flush=True)
        return 2
    result = solve_jssp(shop, time_limit=args.time_limit)
    if args.json:
        record = {
            "makespan": result.makespan,
            "bound": result.bound,
            "status": result.status,
            "seconds": round(result.seconds, 3),
        }
        print(json.dumps(record), flush=True)
    else:
        gap = f", gap {result.gap:.1%}" if result.gap is not None else ""
        _echo(
            f"{shop.n_jobs}x{shop.n_machines} job shop: makespan {result.makespan}, bound {result.bound}, "
            f"status {result.status}{gap} ({result.seconds:.2f}s)"
        )
    return 0 if result.makespan is not None else 1


def cmd_bench(args: argparse.Namespace) -> int:
    """Run a benchmark script of the source tree (``benchmarks/<what>_speed.py``) with its own options."""
    import runpy

    script = Path(__file__).resolve().parents[1] / "benchmarks" / f"{args.what}_speed.py"
    if not script.exists():
        _echo(f"no benchmark at {script} (benchmarks ship with the source tree only)")
        return 1
    sys.argv = [str(script), *args.options]
    runpy.run_path(str(script), run_name="__main__")
    return 0


def cmd_spark_build(args: argparse.Namespace) -> int:
    """The same dbt project on a local Spark session, from the published warehouse's raw tables."""
    from orchestration.spark_target import run

    return run(args, export_environment())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omniops",
        description="OmniOps: omnichannel orders and operations. All paths derive from $OMNIOPS_HOME "
        "(default ./data).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_generate_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scale", type=float, default=1.0, help="multiplies order volume (default 1)")
        p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        p.add_argument(
            "--lines",
            type=lambda text: int(text.replace("_", "")),
            help="about this many order lines (e.g. 10_000_000); picks --scale",
        )
        p.add_argument(
            "--daily-tail",
            type=int,
            default=1,
            help="write the last N days of orders, shipments, movements, tickets as daily files (default 1)",
        )

    gen = sub.add_parser("generate", help="write the demo company's source files into the landing zone")
    add_generate_options(gen)
    gen.add_argument("--out", help="output folder (default $OMNIOPS_HOME/landing)")
    gen.add_argument("--as-of", help="the day after the last day of history, YYYY-MM-DD")
    gen.set_defaults(func=cmd_generate)

    run = sub.add_parser("run", help="land, transform, forecast, compute KPIs and publish (no server)")
    run.add_argument(
        "--daily",
        action="store_true",
        help="the daily job: land new files, transform incrementally, KPIs, publish; no forecast",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental dbt model from all landed history (same results, slower)",
    )
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="serve the dashboard on the published warehouse")
    serve.add_argument("--port", type=int, default=8501)
    add_address_option(serve)
    serve.set_defaults(func=cmd_serve)

    fc = sub.add_parser("forecast", help="forecast a long CSV (unique_id, ds, y) with per-series champions")
    fc.add_argument("--input", help="long CSV with columns unique_id, ds, y (required)")
    fc.add_argument("--horizon", type=int, help="number of future periods (required)")
    fc.add_argument(
        "--freq", choices=["D", "W", "MS", "QS"], default="D", help="series frequency (default D)"
    )
    fc.add_argument(
        "--output", help="CSV to write: unique_id, ds, yhat, yhat_lower, yhat_upper, model (required)"
    )
    fc.add_argument(
        "--json", action="store_true", help="print one JSON object per series: champion vs baselines"
    )
    fc.add_argument(
        "--judgmental",
        metavar="FILE",
        help="long CSV unique_id, ds, yhat: an outside forecast of past periods (made one horizon ahead) "
        "and of the horizon; the output becomes its learned blend with the model (model 'consensus')",
    )
    fc.set_defaults(func=cmd_forecast)
    add_override_parser(fc)

    sch = sub.add_parser("schedule", help="solve a job-shop instance (standard JSSP format) with CP-SAT")
    sch.add_argument(
        "--jssp", required=True, help="instance file: 'n_jobs n_machines', then machine/duration pairs"
    )
    sch.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT_S,
        help=f"solver time limit in seconds (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    sch.add_argument(
        "--json", action="store_true", help="print one JSON object: makespan, bound, status, seconds"
    )
    sch.set_defaults(func=cmd_schedule)

    bench = sub.add_parser("bench", help="run a benchmark, e.g. `omniops bench forecast --series 300`")
    bench.add_argument("what", choices=["forecast"])
    bench.add_argument("options", nargs=argparse.REMAINDER, help="passed to benchmarks/<what>_speed.py")
    bench.set_defaults(func=cmd_bench)

    users = sub.add_parser(
        "users",
        help="dashboard users: `users add NAME --role ROLE`, `users remove NAME`, `users list`, `users demo`",
    )
    users.add_argument("arguments", nargs=argparse.REMAINDER, help="passed to `python -m dashboards.users`")
    users.set_defaults(func=cmd_users)

    spark = sub.add_parser(
        "spark-build",
        help="build the dbt project on a local Spark session (needs the spark extra and Java 17+)",
    )
    add_spark_arguments(spark)
    spark.set_defaults(func=cmd_spark_build)

    add_decision_parsers(sub)
    add_close_parsers(sub)
    add_alert_parsers(sub)
    add_rush_parsers(sub)
    add_promise_parsers(sub)

    demo = sub.add_parser("demo", help="generate (if absent), run, create demo users, then serve")
    add_generate_options(demo)
    demo.add_argument("--port", type=int, default=8501)
    add_address_option(demo)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Everything the CLI writes under $OMNIOPS_HOME (landing CSVs with contacts, the warehouse, users,
    # session keys) is readable by its owner only, whatever the login shell's umask.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
