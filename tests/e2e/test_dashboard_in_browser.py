"""The dashboard as people use it: sign in through the form in Chromium, read the KPIs, look up an order."""

from __future__ import annotations

from contextlib import suppress

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import LOGINS


def sign_in(page: Page, url: str, role: str) -> None:
    username, password = LOGINS[role]
    page.goto(url)
    page.get_by_role("textbox", name="User name").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def metrics(page: Page) -> dict[str, str]:
    """Label → shown value of every metric card on the page."""
    cards = page.locator("[data-testid='stMetric']")
    shown = {}
    for index in range(cards.count()):
        card = cards.nth(index)
        label = card.locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = card.locator("[data-testid='stMetricValue']").inner_text().strip()
    return shown


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the script run (its status widget says so) and charts are drawn."""
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')'
    )
    page.wait_for_timeout(1500)


def test_a_manager_signs_in_and_sees_the_warehouse_kpis(server, page, built_instance, artifacts):
    sign_in(page, server.url, "manager")
    expect(page.get_by_role("heading", name="KPI overview")).to_be_visible()
    page.wait_for_selector("[data-testid='stMetric']")
    settle(page)
    # The page opens on the last complete month; the KPI asset wrote that month's figures.
    start, end, otd, oee, days = built_instance.query(
        "select min(period_start), max(period_end), max(case when kpi = 'otd_rate' then value end), "
        "max(case when kpi = 'oee' then value end), max(case when kpi = 'inventory_days' then value end) "
        "from marts.kpi_monthly where period_type = 'month' and is_complete "
        "group by period order by period desc limit 1"
    )[0]
    # First response, by hand from the tickets: mean over the month's answered tickets.
    (response,) = built_instance.query(
        "select avg(first_response_minutes) from marts.fct_cs_tickets where created_date between ? and ?",
        [start, end],
    )[0]
    shown = metrics(page)
    assert shown["On-time delivery"] == f"{100 * otd:.1f} %"
    assert shown["OEE"] == f"{100 * oee:.1f} %"
    assert shown["Inventory days"] == f"{days:.0f} days"
    assert shown["First response time"] == f"{response:,.0f} min"  # one unit, as its target
    page.screenshot(path=str(artifacts / "manager_overview.png"), full_page=True)

    # The manager has no data-quality page, and the menu says so by not offering it.
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Production")).to_be_visible()
    expect(nav.get_by_text("Data quality")).to_have_count(0)

    # Chinese: the same numbers under Chinese labels.
    page.get_by_text("中文").click()
    expect(page.get_by_role("heading", name="KPI 总览")).to_be_visible()
    page.wait_for_selector("[data-testid='stMetric']")
    settle(page)
    page.screenshot(path=str(artifacts / "manager_overview_zh.png"), full_page=True)
    assert f"{100 * otd:.1f} %" in metrics(page).values()


def an_order_with_tracking_and_email(built_instance) -> tuple[str, str, str]:
    """A shipped web-shop order whose customer left an e-mail: (order number, tracking number, e-mail)."""
    return built_instance.query(
        "select o.channel_order_id, min(s.tracking_no), min(k.key_value) "
        "from marts.fct_orders o join marts.fct_shipments s using (order_key) "
        "join marts.fct_order_lookup_keys k on k.order_key = o.order_key and k.key_type = 'email' "
        "where o.channel = 'shopify' and s.tracking_no is not null "
        "group by o.channel_order_id order by o.channel_order_id limit 1"
    )[0]


def look_up(page: Page, text: str, label: str = "Order number, phone or e-mail") -> None:
    box = page.get_by_role("textbox", name=label)
    box.fill(text)
    box.press("Enter")


def test_an_agent_finds_an_order_by_number_and_sees_its_shipment_and_contact(
    server, page, built_instance, artifacts
):
    number, tracking, email = an_order_with_tracking_and_email(built_instance)
    sign_in(page, server.url, "cs_agent")
    expect(page.get_by_role("heading", name="Order lookup")).to_be_visible()
    # An agent has the lookup and the rush orders (for a customer's order) only.
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Rush orders")).to_be_visible()
    expect(nav.get_by_text("KPI overview")).to_have_count(0)
    look_up(page, number)
    expect(page.get_by_role("heading", name=f"Order {number} · shopify")).to_be_visible()
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text(email).first).to_be_visible()
    page.screenshot(path=str(artifacts / "agent_lookup.png"), full_page=True)
    # The timeline chart's shipped and delivered points name the carrier and tracking number (hover text).
    # Plotly draws after the script run ends, later on a busy machine: wait for the chart, up to 20 s.
    read_charts = (
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => JSON.stringify(d.data))"
    )
    with suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"wanted => ({read_charts})().some(chart => chart.includes(wanted))",
            arg=f"tracking number {tracking}",
            timeout=20_000,
        )
    charts = page.evaluate(read_charts)
    assert any(f"tracking number {tracking}" in chart for chart in charts)


def test_a_manager_finds_an_order_by_number_and_sees_its_e_mail_masked(
    server, page, built_instance, artifacts
):
    number, _, email = an_order_with_tracking_and_email(built_instance)
    sign_in(page, server.url, "manager")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Order lookup").click()
    look_up(page, email.upper(), "Order number or customer name")
    expect(page.get_by_text("No order matches.")).to_be_visible()  # no search by contact when masked
    look_up(page, number, "Order number or customer name")
    expect(page.get_by_role("heading", name=f"Order {number} · shopify")).to_be_visible()
    settle(page)
    page.screenshot(path=str(artifacts / "manager_lookup_masked.png"), full_page=True)
    shown = page.locator("[data-testid='stMain']").inner_text()
    assert email not in shown.lower()
    assert f"{email[0]}***@{email.split('@')[1]}" in shown
