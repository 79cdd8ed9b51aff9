"""How long every dashboard page takes to open once the app is warm (target, issue 6: under 1 s each).

Builds the default demo company in a temporary OMNIOPS_HOME (generate + `omniops run`) unless ``--home``
points at a built one. Then two measurements per page, each ``--repeat`` times after one warm-up:

- **server**: the page's script run in Streamlit's AppTest (queries, pandas, figure building), signed in
  as a role that sees the page;
- **browser**: a real ``omniops serve`` and Debian's Chromium: click the page in the sidebar menu and wait
  until the page's title is shown and Streamlit has no stale element left (the run has finished and the
  browser has drawn it). Skipped with ``--no-browser`` or when Chromium is missing.

Interactions that people repeat all day are timed too: an order lookup by order number (search and
the order's timeline). Prints the median and the maximum per page, and whether every median is under 1 s.

    .venv/bin/python benchmarks/dashboard_pages.py [--home DIR] [--repeat 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboards.access import PAGES  # noqa: E402
from dashboards.users import User, hash_password, save_users  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy  # noqa: E402

TARGET_SECONDS = 1.0
BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-1"


def build(scale: float) -> Path:
    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company
    from orchestration.pipeline import run_pipeline

    home = Path(tempfile.mkdtemp(prefix="omniops-pages-"))
    os.environ["OMNIOPS_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    paths = OmniopsPaths(home)
    started = time.monotonic()
    generate_demo_company(paths.landing, scale=scale)
    run_pipeline(paths, echo=lambda message: None)
    print(f"built the demo company (scale {scale}) in {time.monotonic() - started:.0f} s: {home}", flush=True)
    return home


def role_for(page) -> str:
    return "analyst" if "analyst" in page.roles else sorted(page.roles)[0]


def server_times(home: Path, repeat: int) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["OMNIOPS_HOME"] = str(home)
    times: dict[str, list[float]] = {}
    for page in PAGES:
        app = AppTest.from_file(str(REPO / "dashboards" / "app.py"), default_timeout=120)
        role = role_for(page)
        app.session_state["user"] = {"username": BENCH_USER, "role": role, "display_name": role}
        app.run()
        app.switch_page(f"views/{page.file}").run()  # warm-up: fills the query cache
        if app.exception:
            raise RuntimeError(f"{page.file}: {app.exception}")
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            app.run()
            runs.append(time.perf_counter() - started)
        times[page.title] = runs
    return times


def _finished(tab, title: str) -> None:
    tab.get_by_role("heading", name=title, exact=True).first.wait_for(state="visible")
    tab.wait_for_function("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def browser_times(home: Path, repeat: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="omniops-pages-users-"))
    users_file = folder / "users.toml"
    save_users({BENCH_USER: User(BENCH_USER, "analyst", "Bench", hash_password(BENCH_PASSWORD))}, users_file)
    port = free_port()
    log = folder / "serve.log"
    env = os.environ | {"OMNIOPS_HOME": str(home), "OMNIOPS_USERS_FILE": str(users_file)}
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    times: dict[str, list[float]] = {page.title: [] for page in PAGES}
    try:
        wait_healthy(url, process, log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(120_000)
            tab.goto(url)
            tab.get_by_role("textbox", name="User name").fill(BENCH_USER)
            tab.get_by_role("textbox", name="Password").fill(BENCH_PASSWORD)
            tab.get_by_role("button", name="Sign in").click()
            _finished(tab, PAGES[0].title)
            menu = tab.locator("[data-testid='stSidebarNav']")
            for round_number in range(repeat + 1):  # round 0 warms every page
                for page in PAGES:
                    started = time.perf_counter()
                    menu.get_by_text(page.title, exact=True).click()
                    _finished(tab, page.title)
                    if round_number:
                        times[page.title].append(time.perf_counter() - started)
            # An agent's everyday step: type an order number, press Enter, read the order. A different
            # order each time, so its own queries are not cached.
            menu.get_by_text("Order lookup", exact=True).click()
            _finished(tab, "Order lookup")
            # The bench user is an analyst, who searches by order number or name (contacts are masked).
            box = tab.get_by_role("textbox", name="Order number or customer name")
            times[LOOKUP] = []
            for number, channel in lookup_orders(home, repeat + 1):
                started = time.perf_counter()
                box.fill(number)
                box.press("Enter")
                _finished(tab, f"Order {number} · {channel}")
                times[LOOKUP].append(time.perf_counter() - started)
            times[LOOKUP] = times[LOOKUP][1:]
            browser.close()
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
    return times


LOOKUP = "Lookup: search + open order"


def lookup_orders(home: Path, count: int) -> list[tuple[str, str]]:
    """Order numbers of different channels to look up, spread over the history."""
    import duckdb

    with duckdb.connect(str(home / "warehouse" / "omniops.duckdb"), read_only=True) as conn:
        return conn.execute(
            "select channel_order_id, channel from marts.fct_orders "
            f"using sample reservoir({int(count)} rows) repeatable (7)"
        ).fetchall()


def report(kind: str, times: dict[str, list[float]]) -> bool:
    print(f"\n{kind}: seconds per page open, median (max) of {len(next(iter(times.values())))} warm runs")
    ok = True
    for title, runs in times.items():
        median = statistics.median(runs)
        ok &= median < TARGET_SECONDS
        flag = "ok" if median < TARGET_SECONDS else "OVER 1 s"
        print(f"  {title:<24} {median:6.3f}  ({max(runs):.3f})  {flag}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a built OMNIOPS_HOME (default: build the demo)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    home = args.home.resolve() if args.home else build(args.scale)
    ok = report("server (AppTest script run)", server_times(home, args.repeat))
    if args.no_browser or not CHROMIUM.exists():
        print(f"\nbrowser: skipped ({'--no-browser' if args.no_browser else f'no Chromium at {CHROMIUM}'})")
    else:
        ok &= report("browser (click in the menu → page drawn)", browser_times(home, args.repeat))
    print(f"\nall pages under {TARGET_SECONDS:.0f} s: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
