"""Oversell detection on a hand-made order sequence."""

from datetime import date

import pandas as pd

from inventory.oversell import daily_rates, outcome, replay

D1, D2 = date(2026, 11, 20), date(2026, 11, 21)


def _t(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


LINES = pd.DataFrame(
    [
        # SKU A opens D1 with 3: shopify takes 2 (1 left), amazon takes 2 (1 left before: not oversold,
        # −1 after), tmall takes 1 at −1: oversold (−2 after); a receipt of 5 at 15:00 brings it to 3;
        # social takes 1 at 16:00: fine.
        ("L1", "shopify", "A", _t("2026-11-20 09:00"), D1, 2),
        ("L2", "amazon", "A", _t("2026-11-20 10:00"), D1, 2),
        ("L3", "tmall", "A", _t("2026-11-20 11:00"), D1, 1),
        ("L4", "social", "A", _t("2026-11-20 16:00"), D1, 1),
        # SKU A opens D2 with 0 (the WMS's end of D1): both of D2's lines are oversold.
        ("L5", "tmall", "A", _t("2026-11-21 08:00"), D2, 3),
        ("L6", "shopify", "A", _t("2026-11-21 09:00"), D2, 1),
        # SKU B has no opening snapshot on D2: not judged.
        ("L7", "amazon", "B", _t("2026-11-21 09:00"), D2, 1),
    ],
    columns=["order_line_key", "channel", "sku", "accepted_at", "day", "qty"],
)
OPENING = pd.DataFrame({"sku": ["A", "A"], "day": [D1, D2], "opening": [3, 0]})
RECEIPTS = pd.DataFrame({"sku": ["A"], "day": [D1], "at": [_t("2026-11-20 15:00")], "qty": [5]})


def test_replay_flags_lines_accepted_with_no_atp_left():
    judged = replay(LINES, OPENING, RECEIPTS).set_index("order_line_key")
    assert judged["available_before"].to_dict() == {"L1": 3, "L2": 1, "L3": -1, "L4": 3, "L5": 0, "L6": -3}
    assert sorted(judged.index[judged["is_oversold"]]) == ["L3", "L5", "L6"]
    assert "L7" not in judged.index


def test_daily_rates_per_channel():
    rates = daily_rates(replay(LINES, OPENING, RECEIPTS)).set_index(["day", "channel"])
    assert rates.loc[(D1, "tmall")].tolist() == [1, 1, 1]
    assert rates.loc[(D1, "amazon")].tolist() == [1, 0, 0]
    assert rates.loc[(D2, "tmall")].tolist() == [1, 1, 3]
    assert rates["oversold_lines"].sum() == 3 and rates["accepted_lines"].sum() == 6


def test_outcomes():
    assert outcome(shipments=0, cancelled=True, shipped_late=None, shipped=False) == "cancelled"
    assert outcome(shipments=2, cancelled=False, shipped_late=False, shipped=True) == "backordered"
    assert outcome(shipments=1, cancelled=False, shipped_late=True, shipped=True) == "shipped late"
    assert outcome(shipments=1, cancelled=False, shipped_late=False, shipped=True) == "shipped on time"
    assert outcome(shipments=0, cancelled=False, shipped_late=None, shipped=False) == "open"
