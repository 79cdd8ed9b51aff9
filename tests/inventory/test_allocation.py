"""Allocation arithmetic by hand, and the seed's bad rows."""

import pandas as pd
import pytest

from inventory.allocation import AllocationError, Rule, allocate, allocate_all, read_rules

CHANNELS = {"shopify", "amazon", "tmall", "social", "stores"}
SEED = pd.DataFrame(
    {
        "channel": ["shopify", "amazon", "tmall", "stores", "tmall"],
        "product_category": ["", "", "", "", "Apparel"],
        "share": [0.3, 0.3, 0.2, 0.1, 1.0],
        "min_reserve": [0, 2, 0, 3, 0],
        "priority": [2, 1, 3, 1, 1],
        "safety_buffer": [1, 0, 2, 0, 0],
    }
)


def test_allocation_by_hand():
    rules = read_rules(SEED, CHANNELS)
    default = [r for r in rules if r.product_category == ""]
    # Pool 25: reserves by priority: amazon 2, stores 3 (priority 1), then shopify/tmall 0 → Q = 20.
    # Shares: shopify ⌊0.3 × 20⌋ = 6, amazon 2 + 6 = 8, tmall ⌊0.2 × 20⌋ = 4, stores 3 + 2 = 5.
    # Feeds: shopify 6 − 1 = 5, amazon 8, tmall 4 − 2 = 2, stores 5.
    assert allocate(25, default) == {"shopify": (6, 5), "amazon": (8, 8), "tmall": (4, 2), "stores": (5, 5)}


def test_a_small_pool_goes_to_the_reserves_in_priority_order():
    rules = [r for r in read_rules(SEED, CHANNELS) if r.product_category == ""]
    # Pool 4: amazon reserves 2, stores min(3, 2) = 2, nothing left to share.
    assert allocate(4, rules) == {"shopify": (0, 0), "amazon": (2, 2), "tmall": (0, 0), "stores": (2, 2)}
    assert allocate(-3, rules) == {"shopify": (0, 0), "amazon": (0, 0), "tmall": (0, 0), "stores": (0, 0)}


def test_a_category_with_rules_of_its_own_uses_only_them():
    rules = read_rules(SEED, CHANNELS)
    pools = pd.DataFrame({"sku": ["S1", "S2"], "product_category": ["Apparel", "Toys"], "pool": [7, 0]})
    out = allocate_all(pools, rules, sorted(CHANNELS)).set_index(["sku", "channel"])
    assert out.loc[("S1", "tmall"), "feed_qty"] == 7
    assert out.loc[("S1", "shopify"), "feed_qty"] == 0  # no Apparel rule for the web shop
    assert out["feed_qty"].sum() == 7


@pytest.mark.parametrize("pool", [0, 1, 3, 5, 9, 17, 100, 1001])
def test_feeds_never_exceed_the_allocation_nor_the_pool(pool):
    rules = [
        Rule("shopify", "", 0.45, 3, 1, 1),
        Rule("amazon", "", 0.35, 4, 2, 0),
        Rule("tmall", "", 0.2, 5, 2, 3),
    ]
    given = allocate(pool, rules)
    assert all(feed <= allocation for allocation, feed in given.values())
    assert sum(allocation for allocation, _ in given.values()) <= pool


def test_shares_above_100_percent_and_unknown_channels_name_their_rows():
    bad = SEED.copy()
    bad.loc[1, "share"] = 0.5  # default shares now 0.3 + 0.5 + 0.2 + 0.1 = 110 %
    bad.loc[3, "channel"] = "jd"
    with pytest.raises(AllocationError) as caught:
        read_rules(bad, CHANNELS)
    message = str(caught.value)
    assert "row 4: unknown channel 'jd'" in message
    assert "rows 1, 2, 3, 4: shares of (all categories) sum to 110%, above 100 %" in message


def test_negative_figures_repeats_and_missing_columns_are_refused():
    bad = SEED.copy()
    bad.loc[0, "min_reserve"] = -1
    bad.loc[4, "channel"] = "shopify"
    bad.loc[4, "product_category"] = ""
    with pytest.raises(AllocationError) as caught:
        read_rules(bad, CHANNELS)
    assert "row 1: min_reserve must be a number ≥ 0, got -1" in str(caught.value)
    assert "row 5: shopify (all categories) repeats row 1" in str(caught.value)
    with pytest.raises(AllocationError, match="missing column"):
        read_rules(SEED.drop(columns=["share"]), CHANNELS)
