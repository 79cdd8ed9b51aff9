"""The shared formats, periods, card rules and exports, on small hand-made values."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboards.charts.overview import axis_range
from dashboards.components import freshness_text, table_height
from dashboards.export import as_shown, sheet_name, workbook_bytes
from dashboards.formatting import (
    fmt_date,
    fmt_duration,
    fmt_number,
    solver_state,
    ticket_category,
)
from dashboards.sections.overview_cards import card_status, direction
from dashboards.sections.overview_periods import Range, latest_weeks, preset_range, previous_range
from dashboards.sections.production_tables import tradeoff_note
from dashboards.url_state import _parse


def test_a_duration_keeps_its_one_unit_however_large():
    """First response was "3.2 h" on the card and minutes on its trend and target."""
    assert fmt_duration(192, "min") == "192 min"
    assert fmt_duration(1320, "min") == "1,320 min"
    assert fmt_duration(4.46, "days", 1) == "4.5 days"
    assert fmt_duration(None, "min") == fmt_duration(float("nan"), "days") == "–"


def test_numbers_dates_and_codes_in_plain_form():
    assert fmt_number(12345.6) == "12,346" and fmt_number(3.14159, 2, "kg") == "3.14 kg"
    assert fmt_date(pd.Timestamp("2027-01-07 05:00")) == "2027-01-07"  # never "01-07" alone
    assert solver_state("FEASIBLE") == "good plan, not proven best"
    assert ticket_category("where_is_my_order") == "where is my order"
    assert ticket_category("something_new") == "something_new"


def test_a_trend_axis_spans_enough_that_noise_is_not_a_cliff():
    """OEE between 79 % and 80.3 % filled the card from bottom to top."""
    low, high = axis_range([79.0, 80.3, 79.4], [85.0], percent=True)
    assert high - low >= 20 and low <= 79 and high >= 85 and 0 <= low and high <= 100
    low, high = axis_range([98.0, 99.5], [95.0], percent=True)
    assert high <= 100 and high - low >= 20
    low, high = axis_range([180.0, 185.0], [240.0], percent=False)
    assert low >= 0 and high >= 240 and high - low >= 0.4 * 240


def test_on_target_only_when_the_latest_week_is_too():
    """First response: the month on target while the last week ran 320 min against 240."""
    assert card_status("on_target", "off_target") == "slipping"
    assert card_status("on_target", "on_target") == "on_target"
    assert card_status("on_target", "info") == "on_target"  # no data in the latest week
    assert card_status("off_target", "on_target") == "off_target"
    assert direction(320, 250) == "up" and direction(250, 320) == "down"
    assert direction(100, 100.2) == "flat" and direction(None, 3) == ""


@pytest.mark.parametrize(
    ("preset", "current", "previous"),
    [
        ("last_month", (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        ("month_to_date", (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        ("month_to_date", (date(2026, 5, 1), date(2026, 5, 12)), (date(2026, 4, 1), date(2026, 4, 12))),
        ("year_to_date", (date(2026, 1, 1), date(2026, 5, 12)), (date(2025, 1, 1), date(2025, 5, 12))),
        ("week", (date(2026, 5, 6), date(2026, 5, 12)), (date(2026, 4, 29), date(2026, 5, 5))),
        ("custom", (date(2026, 5, 1), date(2026, 5, 10)), (date(2026, 4, 21), date(2026, 4, 30))),
    ],
)
def test_each_period_is_compared_with_the_one_before(preset, current, previous):
    assert previous_range(preset, Range(*current)) == Range(*previous)


def test_presets_end_on_the_last_day_of_data():
    first, last = date(2025, 11, 3), date(2026, 5, 12)
    assert preset_range("week", first, last, None) == Range(date(2026, 5, 6), last)
    assert preset_range("month_to_date", first, last, None) == Range(date(2026, 5, 1), last)
    assert preset_range("year_to_date", first, last, None) == Range(date(2026, 1, 1), last)
    assert preset_range("history", first, last, None) == Range(first, last)
    assert preset_range("custom", first, last, None) is None
    latest, before = latest_weeks(Range(date(2026, 4, 1), date(2026, 4, 30)))
    assert (latest, before) == (
        Range(date(2026, 4, 24), date(2026, 4, 30)),
        Range(date(2026, 4, 17), date(2026, 4, 23)),
    )


def test_the_freshness_line_says_the_time_once_and_names_only_stale_sources():
    at = pd.Timestamp("2026-05-12 09:00")
    sources = ["amazon", "cs", "erp", "mes", "shopify", "stores", "tmall", "wms", "social"]
    landed = [at] * 8 + [at - pd.Timedelta(days=3)]
    newest, stale = freshness_text(sources, landed)
    assert newest == "2026-05-12 09:00" and stale == ["social 2026-05-09 09:00"]


def test_a_table_shows_every_row_up_to_thirty():
    assert table_height(11) > table_height(10) > table_height(1)
    assert table_height(11) >= 35 * 12  # eleven rows and the header, no scroll box
    assert table_height(500) == table_height(30)


def test_the_optimised_plan_says_why_it_has_more_late_orders():
    late = pd.DataFrame(
        {
            "method": ["cpsat"] * 3 + ["atc"] * 3,
            "customer_tier": ["A", "B", "C"] * 2,
            "late": [1, 4, 24, 6, 9, 11],
        }
    )
    note = tradeoff_note(late, "atc", "ATC")
    assert "low-priority orders slip" in note and "Tier A: 1 vs 6" in note
    assert tradeoff_note(late.assign(late=[1, 1, 1, 5, 5, 5]), "atc", "ATC") is None


def test_an_excel_workbook_holds_each_table_as_shown_on_its_own_sheet():
    late = pd.DataFrame({"order": ["MO-1", "MO-2"], "due": pd.to_datetime(["2027-01-07", "2027-01-08"])})
    shown = as_shown(pd.DataFrame({"load_ratio": [69.78], "sku": ["X"]}), {"load_ratio": "load"})
    data = workbook_bytes({"Late orders": late, "Load: by work center/day": shown})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Late orders", "Load  by work center day"]
    rows = list(book["Late orders"].values)
    assert rows[0] == ("order", "due") and rows[1][0] == "MO-1" and len(rows) == 3
    assert list(book["Load  by work center day"].values)[0] == ("load", "sku")
    assert sheet_name("x" * 40, {"x" * 31}) == "x" * 27 + " (2)"


def test_an_address_holds_only_values_the_page_offers():
    assert _parse("amazon,nowhere", "list", ["amazon", "tmall"]) == ["amazon"]
    assert _parse("nowhere", "list", ["amazon"]) is None
    assert _parse("year_to_date", "one", ["week", "year_to_date"]) == "year_to_date"
    assert _parse("drop table", "one", ["week"]) is None
    assert _parse("2026-03-01,2026-03-31", "dates", None) == (date(2026, 3, 1), date(2026, 3, 31))
    assert _parse("2026-03-31,2026-03-01", "dates", None) is None


def test_no_page_text_cites_a_table_a_seed_file_or_a_raw_code():
    """Captions cited `marts.fct_inventory_daily`, seeds/kpi_targets.csv and "√Σ squares"."""
    from tests.dashboards.test_i18n import literal_keys

    raw = re.compile(r"\b(marts|seeds|staging|raw|production)\.[a-z_]+|seeds/\w+\.csv|√Σ|where_is_my_order")
    found = [f"{where}: {key[:70]!r}" for key, where in literal_keys().items() if raw.search(key)]
    assert not found, "\n".join(found)


def test_timeline_labels_of_close_points_alternate_or_give_way():
    """Placed, confirmed and paid within minutes printed their labels on top of each other."""
    from dashboards.charts.order_lookup import label_positions

    start = pd.Timestamp("2026-05-01 10:00")
    times = [
        start,
        start + pd.Timedelta(minutes=5),
        start + pd.Timedelta(minutes=9),
        start + pd.Timedelta(days=3),
    ]
    assert label_positions(times, start, times[-1]) == ["top center", "bottom center", None, "top center"]
