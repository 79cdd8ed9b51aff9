"""Channel allocation: how much of a SKU's sellable ATP each channel may offer.

The rules come from the seed ``channel_allocation.csv`` (channel, product_category, share, min_reserve,
priority, safety_buffer); a row with an empty product_category applies to every category without rows
of its own. For one SKU with sellable pool P (whole units, ``atp.sellable_pool``) and the rules R of its
category:

1. Reserves, in priority order (1 first; ties by channel name): r_c = min(min_reserve_c, P − Σ earlier r).
2. Shares of what is left, Q = P − Σ r: s_c = ⌊share_c × Q⌋.
3. Allocation a_c = r_c + s_c; the channel's feed offers f_c = max(0, a_c − safety_buffer_c).

Since Σ r ≤ P, Σ shares ≤ 1 and each share is rounded down, Σ f ≤ Σ a ≤ P ≤ ATP: the feeds of all
channels together never offer more than there is. Units not allocated (1 − Σ shares, the rounding)
stay unoffered as a common buffer. A channel without a rule for the category offers nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

SEED = "channel_allocation.csv"
COLUMNS = ["channel", "product_category", "share", "min_reserve", "priority", "safety_buffer"]
ALL_CATEGORIES = ""


class AllocationError(ValueError):
    """An allocation seed that cannot be used: no feed is written from it."""


@dataclass(frozen=True)
class Rule:
    channel: str
    product_category: str  # "" = every category without rows of its own
    share: float
    min_reserve: int
    priority: int
    safety_buffer: int


def _number(value, row: int, column: str, problems: list[str]) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number) or number < 0:
        problems.append(f"{SEED} row {row}: {column} must be a number ≥ 0, got {value!r}")
        return 0.0
    return number


def read_rules(seed: pd.DataFrame, channels: set[str]) -> list[Rule]:
    """The seed's rows as rules; raises ``AllocationError`` naming every bad row (row 1 = first data row).

    Bad: a missing column, an unknown channel, a negative or non-numeric figure, a share above 1, a
    channel twice for one category, or shares of one category summing above 1 (100 %).
    """
    missing = [c for c in COLUMNS if c not in seed.columns]
    if missing:
        raise AllocationError(f"{SEED}: missing column(s) {', '.join(missing)}")
    problems: list[str] = []
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    for row, r in enumerate(seed[COLUMNS].itertuples(index=False), start=1):
        channel = str(r.channel).strip() if isinstance(r.channel, str) else ""
        category = r.product_category.strip() if isinstance(r.product_category, str) else ALL_CATEGORIES
        if channel not in channels:
            known = ", ".join(sorted(channels))
            problems.append(f"{SEED} row {row}: unknown channel {r.channel!r} (known: {known})")
        share = _number(r.share, row, "share", problems)
        if share > 1:
            problems.append(f"{SEED} row {row}: share {share:g} is above 1 (100 %)")
        if (channel, category) in seen:
            scope = category or "(all categories)"
            problems.append(f"{SEED} row {row}: {channel} {scope} repeats row {seen[(channel, category)]}")
        seen[(channel, category)] = row
        rules.append(
            Rule(
                channel,
                category,
                share,
                int(_number(r.min_reserve, row, "min_reserve", problems)),
                int(_number(r.priority, row, "priority", problems)),
                int(_number(r.safety_buffer, row, "safety_buffer", problems)),
            )
        )
    for category in sorted({rule.product_category for rule in rules}):
        rows = [i + 1 for i, rule in enumerate(rules) if rule.product_category == category]
        total = sum(rules[i - 1].share for i in rows)
        if total > 1 + 1e-9:
            problems.append(
                f"{SEED} rows {', '.join(map(str, rows))}: shares of {category or '(all categories)'} "
                f"sum to {total:.0%}, above 100 %"
            )
    if problems:
        raise AllocationError("\n".join(problems))
    return rules


def rules_for(category: str | None, rules: list[Rule]) -> list[Rule]:
    """The category's own rules, else the rules for all categories."""
    own = [r for r in rules if category and r.product_category == category]
    return own or [r for r in rules if r.product_category == ALL_CATEGORIES]


def allocate(pool: int, rules: list[Rule]) -> dict[str, tuple[int, int]]:
    """Per channel (allocation a_c, feed f_c) of one SKU's pool (module docstring, steps 1–3)."""
    left = max(int(pool), 0)
    reserve: dict[str, int] = {}
    for rule in sorted(rules, key=lambda r: (r.priority, r.channel)):
        reserve[rule.channel] = min(rule.min_reserve, left)
        left -= reserve[rule.channel]
    out = {}
    for rule in rules:
        allocation = reserve[rule.channel] + math.floor(rule.share * left)
        out[rule.channel] = (allocation, max(0, allocation - rule.safety_buffer))
    return out


def allocate_all(pools: pd.DataFrame, rules: list[Rule], channels: list[str]) -> pd.DataFrame:
    """One row per SKU × channel: sku, product_category, channel, pool, allocation, feed_qty.

    ``pools``: sku, product_category, pool. A channel without a rule gets 0.
    """
    rows = []
    for sku, category, pool in pools[["sku", "product_category", "pool"]].itertuples(index=False):
        given = allocate(int(pool), rules_for(category, rules))
        for channel in channels:
            allocation, feed = given.get(channel, (0, 0))
            rows.append((sku, category, channel, int(pool), allocation, feed))
    return pd.DataFrame(
        rows, columns=["sku", "product_category", "channel", "pool", "allocation", "feed_qty"]
    )
