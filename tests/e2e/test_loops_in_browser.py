"""The loops as people close them in Chromium, on a copy of the built instance with its operational store:
a planner acknowledges a T-3 warning and a manager sees it in another browser at once; a supervisor
cannot sign a day with an unexplained variance; a planner overrides the forecast of a month with a reason;
a rush order proposed by a planner, approved by PMC and acknowledged by a supervisor is in the plan after
one ``omniops run --daily`` and framed on the Gantt.

The tests run in this order and share the copy (the daily run comes last)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from decisions import forecast_overrides, rush_loop, t3_loop
from decisions.store import Store
from decisions.tables import close_days, close_variances
from tests.dashboards.loopkit import WARNING, register_row
from tests.e2e.conftest import REPO, serving

COUNTERMEASURE = "<script>window.hacked = 1</script> extra shift on SEW"
OVERRIDE_REASON = "key account promotion in the first month"
PASSWORD = "loops-pass-1"
WAIT = 60_000  # ms: a page run on the busy 2-core test machine can take well over expect's 5 s


def unexplained_day(store: Store) -> tuple[str, str]:
    """(close id, its owner) of the newest day × work centre with a variance without a reason."""
    with store.read() as conn:
        return conn.execute(
            sa.select(close_days.c.id, close_days.c.owner)
            .join(close_variances, close_variances.c.close_id == close_days.c.id)
            .where(close_variances.c.reason_code.is_(None), close_days.c.state == "open")
            .order_by(close_days.c.day.desc(), close_days.c.id)
            .limit(1)
        ).one()


@pytest.fixture(scope="module")
def loops(built_instance, tmp_path_factory):
    """A copy of the built instance (the daily run writes), one T-3 warning in its store, a server on it."""
    folder = tmp_path_factory.mktemp("e2e_loops")
    home = folder / "home"
    shutil.copytree(built_instance.home, home)
    store = Store(f"sqlite:///{home / 'decisions' / 'decisions.sqlite'}")
    t3_loop.sync_register(store, [register_row()])  # as a run with one late order would
    close_id, supervisor = unexplained_day(store)
    users = {
        "pete": ("planner", PASSWORD),
        "mia": ("manager", PASSWORD),
        "pam": ("pmc", PASSWORD),
        supervisor: ("supervisor", PASSWORD),
    }
    with serving(home, users, folder) as server:
        yield {"server": server, "home": home, "store": store, "close_id": close_id, "supervisor": supervisor}
    store.engine.dispose()


def session(browser: Browser, loops: dict, username: str) -> Page:
    """A new browser context (its own cookies: another person's browser), signed in as ``username``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(loops["server"].url)
    page.get_by_role("textbox", name="User name").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-testid='stSidebarNav']")).to_be_visible(timeout=WAIT)
    return page


def open_page(page: Page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=WAIT)


def test_a_planner_acknowledges_a_warning_and_a_manager_sees_it_without_a_run(browser, loops, artifacts):
    planner = session(browser, loops, "pete")
    open_page(planner, "My inbox")
    planner.get_by_label("Countermeasure").fill(COUNTERMEASURE)
    planner.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(planner.get_by_text(f"Warning {WARNING} acknowledged.")).to_be_visible(timeout=WAIT)
    planner.screenshot(path=str(artifacts / "loops_planner_inbox.png"), full_page=True)

    manager = session(browser, loops, "mia")
    open_page(manager, "My inbox")
    main = manager.locator("[data-testid='stMain']")
    expect(main).to_contain_text("acknowledged by: pete", timeout=WAIT)
    expect(main).to_contain_text(COUNTERMEASURE, timeout=WAIT)  # shown as text, escaped
    assert manager.evaluate("() => window.hacked === undefined")
    assert t3_loop.get_warning(loops["store"], WARNING)["countermeasure"] == COUNTERMEASURE
    manager.context.close()
    planner.context.close()


def test_a_supervisor_cannot_sign_a_day_with_an_unexplained_variance(browser, loops, artifacts):
    supervisor = session(browser, loops, loops["supervisor"])
    open_page(supervisor, "Daily close sign-off")
    supervisor.get_by_role("button", name="Sign", exact=True).click()
    refusal = supervisor.locator("[data-testid='stAlertContentError']")
    expect(refusal).to_contain_text(f"daily close {loops['close_id']} cannot be signed", timeout=WAIT)
    expect(refusal).to_contain_text("without a reason", timeout=WAIT)
    supervisor.screenshot(path=str(artifacts / "loops_close_refused.png"), full_page=True)
    supervisor.context.close()


def test_a_planner_overrides_the_forecast_with_a_reason(browser, loops, artifacts):
    planner = session(browser, loops, "pete")
    open_page(planner, "Forecast & inventory")
    planner.get_by_label("Your number (units)").fill("250")
    planner.get_by_label("Reason (required: it is read and scored)").fill(OVERRIDE_REASON)
    planner.get_by_role("button", name="Save override").click()
    expect(planner.get_by_text("Override saved:")).to_be_visible(timeout=WAIT)
    (row,) = forecast_overrides.list_overrides(loops["store"])
    assert (row["quantity"], row["reason"], row["set_by"]) == (250.0, OVERRIDE_REASON, "pete")
    planner.screenshot(path=str(artifacts / "loops_forecast_override.png"), full_page=True)
    planner.context.close()


def test_a_rush_order_approved_and_acknowledged_is_planned_and_framed_on_the_gantt(browser, loops, artifacts):
    planner = session(browser, loops, "pete")
    open_page(planner, "Rush orders")
    planner.get_by_role("button", name="Evaluate and propose").click()
    expect(planner.get_by_text("Rush order proposed")).to_be_visible(timeout=WAIT)
    (proposal,) = rush_loop.list_proposals(loops["store"])
    pid = proposal["id"]
    planner.context.close()

    pmc = session(browser, loops, "pam")
    open_page(pmc, "Rush orders")
    pmc.get_by_label("PMC comment").fill("approved: A-tier customer")
    pmc.get_by_role("button", name="Approve", exact=True).click()
    expect(pmc.get_by_text(f"{pid}: approved")).to_be_visible(timeout=WAIT)
    pmc.context.close()

    supervisor = session(browser, loops, loops["supervisor"])
    open_page(supervisor, "Rush orders")
    supervisor.get_by_role("button", name="Acknowledge for production").click()
    expect(supervisor.get_by_text(f"{pid}: acknowledged")).to_be_visible(timeout=WAIT)
    supervisor.context.close()

    home = loops["home"]
    env = os.environ | {"OMNIOPS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env.pop("OMNIOPS_DB_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--daily"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (planned,) = rush_loop.list_proposals(loops["store"])
    assert planned["state"] == "planned" and planned["plan_completion"] is not None

    manager = session(browser, loops, "mia")
    open_page(manager, "Production")
    expect(manager.get_by_text("Rush orders in this plan")).to_be_visible(timeout=WAIT)
    expect(manager.locator("[data-testid='stMain']")).to_contain_text(
        f"{pid} ({proposal['sku']}", timeout=WAIT
    )
    read_charts = "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => d.data)"
    manager.wait_for_function(
        f"() => ({read_charts})().some(traces => traces.some(trace => trace.name === 'rush order'))",
        timeout=30_000,
    )
    manager.screenshot(path=str(artifacts / "loops_gantt_rush.png"), full_page=True)
    manager.context.close()
