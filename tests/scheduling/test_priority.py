"""Priority score and tardiness weight against values worked out by hand."""

from __future__ import annotations

import pytest

from scheduling.priority import PriorityWeights, priority_score, tardiness_weight


def test_score_by_hand():
    # urgency = 1 - (5 - 2) / 10 = 0.7; tier B = 0.6; margin 0.3 / 0.6 = 0.5
    # score = 0.2 * 0.7 + 0.5 * 0.6 + 0.3 * 0.5 = 0.59; weight = 1 + round(0.59 * 9) = 6
    s = priority_score(days_to_due=5, days_of_work=2, tier="B", margin=0.3)
    assert s == pytest.approx(0.59)
    assert tardiness_weight(s) == 6


def test_late_order_is_fully_urgent_and_slack_beyond_window_is_not():
    w = PriorityWeights(urgency=1, tier=0, margin=0)
    assert priority_score(-2, 1, "C", 0.1, w) == 1.0
    assert priority_score(30, 1, "C", 0.1, w) == 0.0


def test_unknown_tier_counts_as_lowest_and_margin_is_capped():
    w = PriorityWeights(urgency=0, tier=1, margin=1)
    # tier unknown -> 0.3 (lowest); margin 0.9 capped at 1.0 -> (0.3 + 1.0) / 2
    assert priority_score(10, 1, "Z", 0.9, w) == pytest.approx(0.65)
    assert priority_score(10, 1, None, None, w) == pytest.approx(0.15)


def test_configurable_weights_change_the_ranking():
    tier_first = PriorityWeights(urgency=0.1, tier=0.8, margin=0.1)
    urgency_first = PriorityWeights(urgency=0.8, tier=0.1, margin=0.1)
    vip_not_urgent = dict(days_to_due=12, days_of_work=1, tier="A", margin=0.2)
    urgent_c = dict(days_to_due=2, days_of_work=2, tier="C", margin=0.2)
    assert priority_score(**vip_not_urgent, weights=tier_first) > priority_score(
        **urgent_c, weights=tier_first
    )
    assert priority_score(**vip_not_urgent, weights=urgency_first) < priority_score(
        **urgent_c, weights=urgency_first
    )


def test_weight_range_and_bad_weights():
    assert tardiness_weight(0.0) == 1
    assert tardiness_weight(1.0) == 10
    assert tardiness_weight(1.0, PriorityWeights(max_weight=1)) == 1
    with pytest.raises(ValueError):
        PriorityWeights(urgency=-1)
    with pytest.raises(ValueError):
        PriorityWeights(urgency=0, tier=0, margin=0)
