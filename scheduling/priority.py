"""Order priority: urgency, customer importance and margin in one score, and the tardiness weight from it.

    urgency  = clip(1 − slack_days / urgency_days, 0, 1),  slack_days = days to due − days of work left
    tier     = tier_value[customer tier]                    (A = 1.0, B = 0.6, C = 0.3 by default)
    margin   = clip(margin / margin_cap, 0, 1)
    score    = (w_u · urgency + w_t · tier + w_m · margin) / (w_u + w_t + w_m)      ∈ [0, 1]
    weight   = 1 + round(score × (max_weight − 1))                                   ∈ [1, max_weight]

An order already late (negative slack) has urgency 1; one with more than ``urgency_days`` of slack has 0.
The score ranks the order list shown to planners; the weight multiplies each minute of lateness in the
scheduler's objective. Urgency is part of the score because planners rank by it, but the scheduler
also sees the due date itself, so the weight leans on tier and margin by default (w_u = 0.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PriorityWeights", "priority_score", "tardiness_weight"]


@dataclass(frozen=True)
class PriorityWeights:
    urgency: float = 0.2
    tier: float = 0.5
    margin: float = 0.3
    urgency_days: float = 10.0
    margin_cap: float = 0.6
    max_weight: int = 10
    tier_value: dict[str, float] = field(default_factory=lambda: {"A": 1.0, "B": 0.6, "C": 0.3})

    def __post_init__(self) -> None:
        if min(self.urgency, self.tier, self.margin) < 0 or self.urgency + self.tier + self.margin <= 0:
            raise ValueError("priority weights must be non-negative and not all zero")
        if self.urgency_days <= 0 or self.margin_cap <= 0 or self.max_weight < 1:
            raise ValueError("urgency_days and margin_cap must be positive, max_weight >= 1")


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def priority_score(
    days_to_due: float,
    days_of_work: float,
    tier: str | None,
    margin: float | None,
    weights: PriorityWeights | None = None,
) -> float:
    """The score in [0, 1] (formula in the module docstring). Unknown tier counts as the lowest listed
    value; a missing margin as 0."""
    w = weights or PriorityWeights()
    urgency = _clip(1.0 - (days_to_due - days_of_work) / w.urgency_days)
    tier_v = w.tier_value.get(str(tier).upper() if tier else "", min(w.tier_value.values(), default=0.0))
    margin_v = _clip((margin or 0.0) / w.margin_cap)
    total = w.urgency + w.tier + w.margin
    return (w.urgency * urgency + w.tier * tier_v + w.margin * margin_v) / total


def tardiness_weight(score: float, weights: PriorityWeights | None = None) -> int:
    """Integer weight per minute late: 1 + round(score × (max_weight − 1))."""
    w = weights or PriorityWeights()
    return 1 + round(_clip(score) * (w.max_weight - 1))
