"""Production page, rush-order what-if: insert an urgent order, re-solve with CP-SAT, list whom it delays.

The what-if re-solves, in this process, the very problem the pipeline stored (``production.plan_problem``),
with the ``scheduling`` library.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts import production as charts
from dashboards.formatting import fmt_datetime, solver_state, status_note, technical_name
from dashboards.i18n import t
from dashboards.queries import production as q
from dashboards.sections.production_tables import Plant, show_table
from scheduling.frames import calendar_from_frame
from scheduling.whatif import rush_what_if

NEW_PLAN_DAYS = 14


def rush_tab(plant: Plant) -> None:
    st.caption(
        t(
            "Insert an urgent order (rush order): started work and everything starting inside the frozen "
            "window stays; the rest is re-planned around the new order with CP-SAT, starting from the "
            "current plan."
        )
    )
    st.caption(
        t("This what-if is not saved: to propose a rush order for PMC to decide, use the Rush orders page.")
    )
    routed = q.routed_skus()
    with st.form("rush"):
        c = st.columns(3)
        sku = c[0].selectbox(t("Product"), routed, key="rush_sku")
        qty = c[1].number_input(
            t("Quantity"), min_value=1, max_value=100_000, value=100, step=10, key="rush_qty"
        )
        tier = c[2].selectbox(t("Customer tier"), ["A", "B", "C"], key="rush_tier")
        c = st.columns(3)
        due_day = c[0].date_input(
            t("Due date"), value=(plant.as_of_local + pd.Timedelta(days=4)).date(), key="rush_due"
        )
        frozen_h = c[1].number_input(t("Frozen window (plant hours)"), 0, 72, 8, key="rush_frozen")
        limit = c[2].number_input(t("Time limit (s)"), 1, 30, 4, key="rush_limit")
        go_rush = st.form_submit_button(t("Insert and re-plan"), key="rush_submit")
    if not go_rush:
        return
    tables = q.plan_tables()
    due_utc = (
        (pd.Timestamp(due_day) + pd.Timedelta(hours=18))
        .tz_localize(plant.tz)
        .tz_convert("UTC")
        .tz_localize(None)
    )
    try:
        with st.spinner(t("Re-planning…")):
            result = rush_what_if(
                tables,
                q.routing(sku),
                quantity=int(qty),
                due_at=due_utc,
                tier=tier,
                frozen_minutes=int(frozen_h * 60),
                time_limit=float(limit),
                efficiency=q.time_efficiency(),
            )
    except ValueError as err:
        st.error(t("Cannot insert this order: {error}", error=err))
    else:
        show_result(plant, tables, result)


def show_result(plant: Plant, tables: dict[str, pd.DataFrame], result) -> None:
    """When the rush order is done, whom it delays and the new plan's first days."""
    calendar = calendar_from_frame(tables["plan_calendar"])
    moves = result.moves
    rush_row = moves.loc[moves["is_rush_order"]].iloc[0]
    done_at = calendar.to_clock(int(rush_row.completion_after), end=True)
    delayed = result.delayed.loc[~result.delayed["is_rush_order"]]
    newly_late = delayed.loc[delayed["late_after"] & ~delayed["late_before"].astype(bool)]
    c = st.columns(4)
    c[0].metric(
        t("Rush order done"),
        fmt_datetime(plant.clock(done_at)),
        **status_note(t("late") if rush_row.late_after else t("on time")),
    )
    c[1].metric(t("Orders delayed"), len(delayed))
    c[2].metric(t("Made late by it"), len(newly_late))
    c[3].metric(
        t("Solved in"),
        f"{result.plan.seconds:.1f} s",
        help=technical_name(result.plan.status),
        **status_note(solver_state(result.plan.status)),
    )
    table = delayed.assign(
        delay_hours=delayed["delay_minutes"] / 60.0,
        completion_after=[calendar.to_clock(int(m), end=True) for m in delayed["completion_after"]],
    )
    st.markdown(t("**Orders the rush order delays** (plant hours)"))
    show_table(
        plant.time(table, "completion_after")[
            ["production_order_id", "delay_hours", "late_before", "late_after", "completion_after"]
        ]
    )
    new = pd.DataFrame(
        [
            {
                "production_order_id": k[0],
                "operation_seq": k[1],
                "machine_id": a.machine,
                "planned_start_utc": calendar.to_clock(a.start),
                "planned_end_utc": calendar.to_clock(a.end, end=True),
            }
            for k, a in result.plan.assignments.items()
        ]
    ).merge(
        tables["schedule"][
            ["production_order_id", "operation_seq", "operation_name", "due_at_utc", "customer_tier"]
        ],
        on=["production_order_id", "operation_seq"],
        how="left",
    )
    late_orders = set(moves.loc[moves["late_after"].astype(bool), "production_order_id"])
    window = new.loc[
        pd.to_datetime(new["planned_start_utc"]) < plant.as_of + pd.Timedelta(days=NEW_PLAN_DAYS)
    ]
    figure = charts.gantt(
        window,
        "machine",
        t("New plan (14 days)"),
        late_orders=late_orders,
        tz=plant.tz,
        as_of_local=plant.as_of_local,
    )
    st.plotly_chart(figure, width="stretch", key="rush_gantt")
    if result.violations:
        st.error(t("The new plan breaks rules: {rules}", rules="; ".join(result.violations[:5])))
