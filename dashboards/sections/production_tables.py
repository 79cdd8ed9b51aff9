"""The production page's words and tables: headers and the pipeline's values in the user's language, and
plant time (the plan's UTC times as people read them on the floor)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards import export
from dashboards.components import table_height
from dashboards.formatting import as_percent_points, fmt_days_left, percent_column, solver_states
from dashboards.i18n import t

LEVELS = ("T-3", "T-2", "T-1", "overdue")


# Label tables are functions: a page run translates them into the session's language.
def methods() -> dict[str, str]:
    return {
        "cpsat": t("CP-SAT (optimised)"),
        "edd": t("Earliest due date (dispatch rule)"),
        "atc": t("ATC (dispatch rule)"),
    }


def level_names() -> dict[str, str]:
    return {"T-3": "T-3", "T-2": "T-2", "T-1": "T-1", "overdue": t("overdue")}


def solver_status() -> dict[str, str]:
    return solver_states()


def weekdays() -> tuple[str, ...]:
    return (t("Mon"), t("Tue"), t("Wed"), t("Thu"), t("Fri"), t("Sat"), t("Sun"))


def values() -> dict[str, dict[str, str]]:
    """Words the pipeline writes into the tables (scheduling/t3.py, scheduling/daily_close.py, the
    solver), per column; anything else is shown as stored."""
    return {
        "status": {"open": t("open"), "closed": t("closed")},
        "level": level_names(),
        "escalated_to": {
            "work-center owner": t("work-center owner"),
            "production manager": t("production manager"),
            "plant manager": t("plant manager"),
        },
        "reason": {
            "not started": t("not started"),
            "unplanned output": t("unplanned output"),
            "scrap": t("scrap"),
            "breakdown": t("breakdown"),
            "waiting for material": t("waiting for material"),
            "ahead of plan": t("ahead of plan"),
            "slow running": t("slow running"),
        },
    }


def headers() -> dict:
    """Column headers of every table on the page; the data keeps its column names (tests read them)."""
    return {
        "method": t("plan"),
        "status": st.column_config.TextColumn(
            t("status"), help=", ".join(f"{code}: {word}" for code, word in solver_states().items())
        ),
        "weighted_tardiness": t("weighted tardiness (weight × min)"),
        "bound": t("lower bound"),
        "gap": percent_column(t("gap")),
        "late_orders": t("late orders"),
        "makespan_minutes": t("makespan (min)"),
        "makespan_at_utc": t("plan ends"),
        "seconds": t("seconds"),
        "note": t("note"),
        "priority_rank": t("priority"),
        "production_order_id": t("order"),
        "sku": "SKU",
        "customer_tier": t("tier"),
        "weight": t("weight"),
        "due_at_utc": t("due"),
        "planned_completion_utc": t("planned completion"),
        "lateness_hours": st.column_config.NumberColumn(t("late (h)"), format="%.1f"),
        "open_operations": t("open ops"),
        "rank": t("rank"),
        "work_center": t("work center"),
        "work_center_name": t("name"),
        "owner": t("owner"),
        "machines": t("machines"),
        "load_minutes": t("load (min)"),
        "capacity_minutes": t("capacity (min)"),
        "load_ratio": percent_column(t("load")),
        "warning_id": t("warning no."),
        "level": t("level"),
        "due_at": t("due"),
        "days_left": t("days left"),
        "blocking_operation": t("blocking operation"),
        "machine_id": t("machine"),
        "escalated_to": t("escalated to"),
        "unfinished_operations": t("unfinished ops"),
        "planned_completion": t("planned completion"),
        "projected_late": t("will be late"),
        "opened_at": t("open since"),
        "last_seen_at": t("last seen"),
        "closed_at": t("closed"),
        "operation_seq": t("operation"),
        "operation_name": t("operation name"),
        "planned_machines": t("planned machines"),
        "actual_machines": t("actual machines"),
        "planned_qty": t("planned"),
        "good_count": t("good"),
        "scrap": t("scrap"),
        "variance": t("variance"),
        "variance_pct": percent_column(t("variance %")),
        "reason": t("reason"),
        "reason_detail": t("detail"),
        "component": t("component"),
        "standard_qty": t("standard"),
        "actual_qty": t("actual"),
        "scrap_allowance": t("scrap allowance"),
        "unexplained": t("unexplained"),
        "delay_hours": st.column_config.NumberColumn(t("delay (h)"), format="%.1f"),
        "late_before": t("late before"),
        "late_after": t("late after"),
        "completion_after": t("completion after"),
    }


def tradeoff_note(late: pd.DataFrame, rule: str, rule_name: str) -> str | None:
    """Why the optimised plan may have more late orders than a dispatch rule: it minimises weighted
    tardiness (Σ priority weight × minutes late), so it lets low-priority orders slip to keep
    high-priority ones on time. None when it has no more late orders than the rule."""
    by = late.pivot_table(index="customer_tier", columns="method", values="late", aggfunc="sum").fillna(0)
    if "cpsat" not in by or rule not in by or by["cpsat"].sum() <= by[rule].sum():
        return None
    tiers = sorted(by.index)
    top = tiers[0]
    return t(
        "Why more late orders than {rule}: the optimised plan weighs each late minute by the order's "
        "priority, so it lets low-priority orders slip to keep high-priority ones on time. Late orders by "
        "customer tier, optimised vs {rule}: {tiers}. Tier {top}: {cp} vs {other}.",
        rule=rule_name,
        tiers=", ".join(f"{tier} {int(by.at[tier, 'cpsat'])} vs {int(by.at[tier, rule])}" for tier in tiers),
        top=top,
        cp=int(by.at[top, "cpsat"]),
        other=int(by.at[top, rule]),
    )


def shown(column: pd.Series, words: dict[str, str]) -> pd.Series:
    return column.map(lambda value: words.get(value, value))


PERCENT_COLUMNS = ("gap", "load_ratio", "variance_pct")


def show_table(frame: pd.DataFrame, name: str | None = None) -> None:
    """A table with the page's headers, and the pipeline's words, in the user's language; shares as
    percentages, days left in words; every row shown (up to 30 before it scrolls), with its Excel
    download (sheet ``name``)."""
    names, words = headers(), values()
    config = {column: names[column] for column in frame.columns if column in names}
    data = {column: shown(frame[column], words[column]) for column in frame.columns if column in words}
    data |= {column: as_percent_points(frame[column]) for column in PERCENT_COLUMNS if column in frame}
    if "days_left" in frame:
        data["days_left"] = frame["days_left"].map(fmt_days_left)
    export.table(
        frame.assign(**data),
        name,
        hide_index=True,
        width="stretch",
        height=table_height(len(frame)),
        column_config=config,
    )


def plant_time(frame: pd.DataFrame, tz: str, *columns: str) -> pd.DataFrame:
    """UTC columns shown in the plant's time zone (naive, as people read them on the floor)."""
    out = frame.copy()
    for c in columns:
        out[c] = pd.to_datetime(out[c]).dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)
    return out


def plant_clock(utc: object, tz: str) -> pd.Timestamp:
    """One UTC time in plant time."""
    return plant_time(pd.DataFrame({"t": [utc]}), tz, "t")["t"].iloc[0]


@dataclass(frozen=True)
class Plant:
    """The plant's time zone and the plan's as-of time (UTC, and in plant time)."""

    tz: str
    as_of: pd.Timestamp

    @property
    def as_of_local(self) -> pd.Timestamp:
        return plant_clock(self.as_of, self.tz)

    def time(self, frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        return plant_time(frame, self.tz, *columns)

    def clock(self, utc: object) -> pd.Timestamp:
        return plant_clock(utc, self.tz)
