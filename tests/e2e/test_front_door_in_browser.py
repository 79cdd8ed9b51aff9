"""The front door in Chromium: a sign-in survives reload and new tabs until sign-out, a deep link survives
the sign-in, wrong passwords are throttled, and the server answers on localhost only, without metrics."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.e2e.test_dashboard_in_browser import settle, sign_in

SIGN_IN = "Sign in to OmniOps"


def test_a_sign_in_survives_reload_and_a_new_tab_until_sign_out(server, page: Page, artifacts):
    sign_in(page, server.url, "manager")
    expect(page.get_by_role("heading", name="KPI overview")).to_be_visible()
    settle(page)
    page.reload()
    expect(page.get_by_role("heading", name="KPI overview")).to_be_visible()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_have_count(0)

    other = page.context.new_page()
    other.goto(f"{server.url}/production")
    expect(other.get_by_role("heading", name="Production")).to_be_visible()
    cookies = page.context.cookies()
    assert any(c["name"] == "omniops_session" for c in cookies)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    # The cookie copied before sign-out opens nothing any more, in another browser either.
    stolen = page.context.browser.new_context()
    stolen.add_cookies([c for c in cookies if c["name"] == "omniops_session"])
    thief = stolen.new_page()
    thief.goto(server.url)
    expect(thief.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    stolen.close()


def test_a_deep_link_opens_its_page_after_sign_in(server, page: Page, artifacts):
    sign_in_url = f"{server.url}/forecast"
    page.goto(sign_in_url)
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    sign_in(page, sign_in_url, "manager")
    expect(page.get_by_role("heading", name="Forecast & inventory")).to_be_visible()
    assert urlparse(page.url).path == "/forecast"
    page.screenshot(path=str(artifacts / "deep_link_forecast.png"))


def test_wrong_passwords_are_throttled_with_a_message_and_logged(server, page: Page, artifacts):
    page.goto(server.url)
    for attempt in range(6):
        page.get_by_role("textbox", name="User name").fill("intruder")
        page.get_by_role("textbox", name="Password").fill(f"guess-{attempt}")
        page.get_by_role("button", name="Sign in").click()
        settle(page)  # one attempt at a time: a click during a run would interrupt it
        expected = "Wrong user name or password." if attempt < 5 else "Too many failed sign-ins"
        expect(page.get_by_text(expected)).to_be_visible(timeout=20_000)
    page.screenshot(path=str(artifacts / "throttled.png"))
    log = server.log.read_text()
    assert log.count("failed sign-in for user 'intruder'") == 5
    assert "sign-in refused (throttled) for user 'intruder'" in log


def test_metrics_do_not_answer_and_the_server_listens_on_localhost_only(server):
    try:
        with urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=5) as answer:
            body = answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        body = f"HTTP {error.code}"
    assert "# TYPE" not in body and "cache_memory_bytes" not in body  # the app page, not metrics
    port = urlparse(server.url).port
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                listening.append(address)
    assert listening == ["0100007F"], listening  # 127.0.0.1, not 0.0.0.0 or ::


def delta_signals(page: Page) -> list[tuple[str, str]]:
    """Each metric delta's arrow (its icon's test id) and colour, in page order."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-testid='stMetricDelta']")).map(d => [
            Array.from(d.querySelectorAll('[data-testid]')).map(e => e.dataset.testid).join(','),
            getComputedStyle(d).color])"""
    )


def test_the_production_header_signals_the_same_in_english_and_chinese(server, page: Page, artifacts):
    sign_in(page, server.url, "manager")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Production").click()
    expect(page.get_by_role("heading", name="Production")).to_be_visible()
    page.wait_for_selector("[data-testid='stMetricDelta']")
    settle(page)
    english = delta_signals(page)
    page.get_by_text("中文").click()
    expect(page.get_by_role("heading", name="生产")).to_be_visible()
    settle(page)
    page.screenshot(path=str(artifacts / "production_zh_header.png"))
    assert delta_signals(page) == english and english
