"""The T-3 closed loop's KPIs (issue 18) as pure functions over the warnings of the operational store.

Input: one row per warning (``ops.t3_warnings``) with ``production_order_id``, ``state``, ``due_at``,
``opened_at``, ``acknowledged_at``, ``closed_at``, plus two facts of its order from the warehouse:
``order_due_date`` (the ERP deadline, company date) and ``order_finished_on`` (the company date its last
operation was counted; empty while unfinished) and ``order_cancelled``. ``kpis.t3_loop_query`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpis.formulas import Ratio


@dataclass(frozen=True)
class T3LoopKpis:
    resolved_before_due: Ratio
    median_hours_to_acknowledge: float | None
    acknowledged: int  # the warnings the median is over
    orders_saved: int
    orders_late: int
    orders_pending: int  # warned, not cancelled, not finished yet

    @property
    def saved_share(self) -> float | None:
        return Ratio(self.orders_saved, self.orders_saved + self.orders_late).value


def resolved_before_due(warnings: pd.DataFrame, as_of: pd.Timestamp) -> Ratio:
    """Warnings resolved by their owner on or before the due date ÷ warnings that came due.

    numerator: ``state = resolved`` and ``closed_at ≤ due_at``; denominator: warnings not cancelled whose
    due date has passed at ``as_of`` (``due_at ≤ as_of``), plus those of the numerator still due later
    (resolving early is not held against the loop). A warning the pipeline closed because the order
    ended counts in the denominator only: nobody closed the loop."""
    due = pd.to_datetime(warnings["due_at"])
    closed = pd.to_datetime(warnings["closed_at"])
    in_time = (warnings["state"] == "resolved") & closed.notna() & (closed <= due)
    came_due = (warnings["state"] != "cancelled") & ((due <= pd.Timestamp(as_of)) | in_time)
    return Ratio(float(in_time.sum()), float(came_due.sum()))


def median_hours_to_acknowledge(warnings: pd.DataFrame) -> tuple[float | None, int]:
    """median(acknowledged_at − opened_at) in hours over the warnings acknowledged (also those resolved
    since); returns (median, how many). A reopened warning counts its latest acknowledgement from its
    first opening."""
    acked = warnings.loc[warnings["acknowledged_at"].notna()]
    hours = (pd.to_datetime(acked["acknowledged_at"]) - pd.to_datetime(acked["opened_at"])).dt.total_seconds()
    return (float((hours / 3600).median()) if len(hours) else None), len(hours)


def orders_saved_and_late(warnings: pd.DataFrame) -> tuple[int, int, int]:
    """Orders with a warning not cancelled, the order not cancelled either: (saved, late, pending).

    saved: finished on or before the deadline (``order_finished_on ≤ order_due_date``); late: finished
    after it; pending: not finished yet. Each order counts once however many warnings it had."""
    kept = warnings.loc[
        (warnings["state"] != "cancelled") & ~warnings["order_cancelled"].fillna(False).astype(bool)
    ]
    orders = kept.groupby("production_order_id").agg(
        due=("order_due_date", "first"), finished=("order_finished_on", "first")
    )
    finished = pd.to_datetime(orders["finished"])
    done = finished.notna()
    saved = done & (finished <= pd.to_datetime(orders["due"]))
    return int(saved.sum()), int((done & ~saved).sum()), int((~done).sum())


def t3_loop_kpis(warnings: pd.DataFrame, as_of: pd.Timestamp) -> T3LoopKpis:
    median, acknowledged = median_hours_to_acknowledge(warnings)
    saved, late, pending = orders_saved_and_late(warnings)
    return T3LoopKpis(resolved_before_due(warnings, as_of), median, acknowledged, saved, late, pending)
