"""Time-phased ATP by hand on a small company: two warehouses, open orders of three channels,
receipts from a purchase order and a production order."""

from datetime import date

import pandas as pd
import pytest

from inventory.atp import horizon_days, input_warnings, sellable_pool, sync_gap, time_phased_atp

D0 = date(2026, 11, 23)
DAYS = horizon_days(D0, 4)  # 23, 24, 25, 26 November

ON_HAND = pd.DataFrame(
    {"sku": ["A", "A", "B"], "warehouse_id": ["WH-SH", "WH-GZ", "WH-SH"], "on_hand": [10, 4, 0]}
)
# Shopify 3 A overdue (→ day 0), Amazon 5 A due on the 24th, Tmall 2 A and 1 B on the 25th, all WH-SH;
# Tmall 6 A from WH-GZ on the 26th; one line beyond the horizon (left out).
OPEN = pd.DataFrame(
    {
        "sku": ["A", "A", "A", "B", "A", "A"],
        "warehouse_id": ["WH-SH", "WH-SH", "WH-SH", "WH-SH", "WH-GZ", "WH-SH"],
        "date": [date(2026, 11, 20), date(2026, 11, 24), D0.replace(day=25), D0.replace(day=25),
                 date(2026, 11, 26), date(2026, 12, 30)],
        "qty": [3, 5, 2, 1, 6, 50],
    }
)  # fmt: skip
# Purchase order of 8 A into WH-SH on the 25th; production order of 4 B completing on the 24th.
RECEIPTS = pd.DataFrame(
    {
        "sku": ["A", "B"],
        "warehouse_id": ["WH-SH", "WH-SH"],
        "date": [date(2026, 11, 25), date(2026, 11, 24)],
        "qty": [8, 4],
    }
)


def _atp(frame: pd.DataFrame, sku: str, wh: str) -> list[float]:
    return frame[(frame["sku"] == sku) & (frame["warehouse_id"] == wh)]["atp"].tolist()


def test_atp_by_hand():
    atp = time_phased_atp(ON_HAND, OPEN, RECEIPTS, DAYS)
    # A @ WH-SH: 10 − 3 = 7; 7 − 5 = 2; 2 − 2 + 8 = 8; 8
    assert _atp(atp, "A", "WH-SH") == [7, 2, 8, 8]
    # A @ WH-GZ: 4, 4, 4, 4 − 6 = −2 (a shortage)
    assert _atp(atp, "A", "WH-GZ") == [4, 4, 4, -2]
    # B @ WH-SH: 0, 0 + 4 = 4, 4 − 1 = 3, 3
    assert _atp(atp, "B", "WH-SH") == [0, 4, 3, 3]
    day1 = atp[(atp["sku"] == "A") & (atp["warehouse_id"] == "WH-SH")].iloc[0]
    assert (day1["on_hand"], day1["open_demand"], day1["scheduled_receipts"]) == (10, 3, 0)
    assert len(atp) == 3 * 4


def test_sellable_pool_is_the_lowest_atp_ahead():
    atp = time_phased_atp(ON_HAND, OPEN, RECEIPTS, DAYS)
    pool = sellable_pool(atp).set_index("sku")["pool"]
    # A: min(7,2,8,8) = 2 at WH-SH + max(0, −2) = 0 at WH-GZ; B: min(0,4,3,3) = 0
    assert pool.to_dict() == {"A": 2, "B": 0}


def test_sync_gap_is_wms_reserved_minus_open_orders():
    reserved = pd.DataFrame(
        {"sku": ["A", "A", "B"], "warehouse_id": ["WH-SH", "WH-GZ", "WH-SH"], "reserved": [10, 6, 0]}
    )
    gap = sync_gap(reserved, OPEN).set_index(["sku", "warehouse_id"])
    # A @ WH-SH: 10 − (3 + 5 + 2 + 50) = −50; A @ WH-GZ: 6 − 6 = 0 (they agree); B: 0 − 1 = −1
    assert gap["gap"].to_dict() == {("A", "WH-GZ"): 0.0, ("A", "WH-SH"): -50.0, ("B", "WH-SH"): -1.0}
    assert gap.loc[("A", "WH-SH"), "open_order_demand"] == 60


def test_negative_on_hand_counts_as_zero():
    atp = time_phased_atp(ON_HAND.assign(on_hand=[-5, 4, 0]), OPEN, RECEIPTS, DAYS)
    assert _atp(atp, "A", "WH-SH") == [-3, -8, -2, -2]


def test_bad_input_is_named_row_by_row():
    snapshot = pd.DataFrame(
        {"snapshot_date": [D0] * 2, "sku": ["A", "B"], "warehouse_id": ["WH-SH", "WH-SH"], "on_hand": [-2, 1]}
    )
    lines = pd.DataFrame(
        {
            "channel": ["tmall", "amazon"],
            "channel_order_id": ["T1", "A9"],
            "line_number": [1, 2],
            "sku": [None, "A"],
            "channel_sku": ["TM-ZZZ", "AMZ-A"],
            "warehouse_id": ["WH-SH", "WH-XX"],
            "qty": [1, 1],
        }
    )
    receipts = pd.DataFrame({"sku": ["A"], "warehouse_id": ["WH-SH"]})
    found = input_warnings(snapshot, lines, receipts, {"A", "B"})
    assert any("WH-SH A: negative on-hand -2" in m for m in found)
    assert any("order tmall T1 line 1: SKU 'TM-ZZZ' is in no catalogue" in m for m in found)
    assert any("warehouse WH-XX has open order demand but no WMS snapshot" in m for m in found)
    assert len(found) == 3


def test_horizon_must_have_a_day():
    with pytest.raises(ValueError, match="at least one day"):
        horizon_days(D0, 0)
