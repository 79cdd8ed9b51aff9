"""Production page, shop-floor tabs: the T-3 warnings and the daily close of a day."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts import production as charts
from dashboards.i18n import t
from dashboards.queries import production as q
from dashboards.sections.production_tables import (
    LEVELS,
    Plant,
    headers,
    level_names,
    show_table,
    shown,
    values,
)
from dashboards.sections.production_tables import weekdays as weekday_names


def t3_tab(plant: Plant) -> None:
    reg = plant.time(
        q.t3_warnings(), "due_at", "planned_completion", "opened_at", "last_seen_at", "closed_at"
    )
    open_w = reg.loc[reg["status"] == "open"]
    counts = open_w["level"].value_counts()
    cols = st.columns(len(LEVELS) + 1)
    cols[0].metric(t("Open warnings"), len(open_w))
    names = level_names()
    for col, level in zip(cols[1:], LEVELS, strict=True):
        col.metric(names[level], int(counts.get(level, 0)))
    st.caption(
        t(
            "Every order due within 3 days with unfinished operations. A warning stays open until "
            "the order is finished or cancelled; T-1 escalates to the production manager, overdue to "
            "the plant manager."
        )
    )
    show_table(
        open_w[
            [
                "warning_id",
                "level",
                "production_order_id",
                "sku",
                "customer_tier",
                "due_at",
                "days_left",
                "blocking_operation",
                "work_center",
                "machine_id",
                "owner",
                "escalated_to",
                "unfinished_operations",
                "planned_completion",
                "projected_late",
                "opened_at",
            ]
        ]
    )
    if st.toggle(t("Show closed warnings"), key="pr_closed"):
        show_table(reg.loc[reg["status"] == "closed"])


def close_tab() -> None:
    weekdays = weekday_names()
    day = st.selectbox(
        t("Date"),
        q.close_days(),
        format_func=lambda d: f"{pd.Timestamp(d):%Y-%m-%d} {weekdays[pd.Timestamp(d).weekday()]}",
        key="pr_day",
    )
    out = q.daily_close(day)
    mat = q.flagged_materials(day)
    c = st.columns(4)
    c[0].metric(t("Planned (units)"), f"{int(out['planned_qty'].sum()):,}")
    c[1].metric(t("Good (units)"), f"{int(out['good_count'].sum()):,}", f"{int(out['variance'].sum()):+,}")
    c[2].metric(t("Outside tolerance"), int((~out["within_tolerance"]).sum()))
    c[3].metric(t("Material lines flagged"), len(mat))
    st.plotly_chart(charts.planned_and_good(q.close_trend()), width="stretch", key="pr_close_trend")
    reasons = q.variance_reasons(day)
    if len(reasons):
        reasons["reason"] = shown(reasons["reason"], values()["reason"])
        st.plotly_chart(
            charts.variance_reasons(reasons, headers()["reason"]), width="stretch", key="pr_close_reasons"
        )
    st.markdown(t("**Output variances** (outside ±5 % of plan, at least one unit)"))
    show_table(
        out.loc[
            ~out["within_tolerance"],
            [
                "production_order_id",
                "operation_seq",
                "planned_machines",
                "actual_machines",
                "planned_qty",
                "good_count",
                "scrap",
                "variance",
                "variance_pct",
                "reason",
                "reason_detail",
            ],
        ]
    )
    st.markdown(t("**Material variances** (standard = BOM × good quantity)"))
    show_table(
        mat[
            [
                "production_order_id",
                "operation_seq",
                "sku",
                "component",
                "standard_qty",
                "actual_qty",
                "scrap_allowance",
                "unexplained",
                "variance_pct",
                "reason",
            ]
        ]
    )
