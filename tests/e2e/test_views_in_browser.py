"""What only a browser shows about the views: a shared address opens its filters, tables download as
Excel workbooks, the first KPI is near the top on a phone, and the order timeline's labels do not overlap."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import openpyxl
from playwright.sync_api import Page, expect

from tests.e2e.test_dashboard_in_browser import an_order_with_tracking_and_email, look_up, settle, sign_in


def test_a_shared_address_opens_the_overview_with_its_filters(server, page: Page, built_instance, artifacts):
    channel = built_instance.query("select channel from marts.dim_channels order by 1 limit 1")[0][0]
    shared = f"{server.url}/?period=month_to_date&channel={channel}"
    sign_in(page, shared, "manager")
    expect(page.get_by_role("heading", name="KPI overview")).to_be_visible()
    page.wait_for_selector("[data-testid='stMetric']")
    settle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("combobox", name="Period")).to_have_value("Month to date")
    expect(sidebar.get_by_role("button", name=f"Remove {channel} · ")).to_be_visible()
    assert parse_qs(urlparse(page.url).query) == {"period": ["month_to_date"], "channel": [channel]}
    page.screenshot(path=str(artifacts / "overview_shared_address.png"), full_page=True)


def test_a_table_and_a_whole_page_download_as_excel_workbooks(server, page: Page, artifacts):
    sign_in(page, f"{server.url}/production", "manager")
    expect(page.get_by_role("heading", name="Production")).to_be_visible()
    page.wait_for_selector("[data-testid='stMetric']")
    settle(page)
    with page.expect_download() as whole:
        page.locator("[data-testid='stSidebar']").get_by_role(
            "button", name="All tables of this page"
        ).click()
    book = openpyxl.load_workbook(io.BytesIO(whole.value.path().read_bytes()))
    assert len(book.sheetnames) >= 3, book.sheetnames
    headers = {cell.value for sheet in book.worksheets for cell in sheet[1]}
    assert {"load", "work center"} <= headers, headers  # as shown, not the column names
    with page.expect_download() as one:
        page.locator("[data-testid='stMain']").get_by_role("button", name="Excel").first.click()
    single = openpyxl.load_workbook(io.BytesIO(one.value.path().read_bytes()))
    assert len(single.sheetnames) == 1 and single.worksheets[0].max_row >= 1


def test_on_a_phone_the_first_kpi_comes_right_after_the_title(server, browser, artifacts):
    """The filters took ~900 px before the first KPI on a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(60_000)
    try:
        sign_in(phone, server.url, "manager")
        expect(phone.get_by_role("heading", name="KPI overview")).to_be_visible()
        phone.wait_for_selector("[data-testid='stMetric']")
        settle(phone)
        phone.screenshot(path=str(artifacts / "overview_phone.png"))
        first = phone.locator("[data-testid='stMetric']").first.bounding_box()
        assert first is not None and first["y"] < 500, first
    finally:
        context.close()


def test_the_order_timeline_labels_do_not_overlap(server, page: Page, built_instance, artifacts):
    number, _, _ = an_order_with_tracking_and_email(built_instance)
    sign_in(page, server.url, "cs_agent")
    look_up(page, number)
    expect(page.get_by_role("heading", name=f"Order {number} · shopify")).to_be_visible()
    page.wait_for_selector(".js-plotly-plot .textpoint text")
    settle(page)
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot .textpoint text'))
            .filter(t => t.textContent.trim())
            .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    page.screenshot(path=str(artifacts / "order_timeline.png"), full_page=True)
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    ]
    assert boxes and not overlapping, overlapping


def test_a_late_rush_order_shows_its_earliest_date_and_every_order_it_delays(server, page: Page, artifacts):
    """The what-if said "done 01-07, late" with no reason, no earliest date and ten delayed orders."""
    sign_in(page, f"{server.url}/production", "manager")
    expect(page.get_by_role("heading", name="Production")).to_be_visible()
    settle(page)
    page.get_by_role("tab", name="Rush order what-if").click()
    page.get_by_role("spinbutton", name="Quantity").fill("5000")
    page.get_by_role("button", name="Insert and re-plan").click()
    done = page.locator("[data-testid='stMetric']").filter(has_text="Rush order done")
    expect(done).to_be_visible(timeout=120_000)
    settle(page)
    page.screenshot(path=str(artifacts / "rush_what_if.png"), full_page=True)
    value = done.locator("[data-testid='stMetricValue']").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", value), value
    if "late" in done.inner_text().split(value)[-1]:
        expect(page.get_by_text("Late: the earliest it can be done")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Orders the rush order delays: \d+"))).to_be_visible()
