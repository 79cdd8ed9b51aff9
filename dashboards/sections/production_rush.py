"""Production page, rush-order what-if: insert an urgent order, re-solve with CP-SAT, list whom it delays.

The what-if re-solves, in this process, the very problem the pipeline stored (``production.plan_problem``),
with the ``scheduling`` library, always with the same time limit (a limit chosen per try gave 13 or 39
delayed orders for the same order). Each solve holds a CPU for seconds: a user may run
``WHAT_IFS_PER_WINDOW`` of them in ``WINDOW_MIN`` minutes. When the rush order would be late, a second solve
with the rush order first gives the earliest date it can be done and where it waits.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.auth import current_user
from dashboards.charts import production as charts
from dashboards.formatting import fmt_datetime, solver_state, status_note, technical_name
from dashboards.i18n import t
from dashboards.queries import production as q
from dashboards.sections.production_tables import Plant, show_table
from dashboards.throttle import Throttle
from decisions.rush_loop import EARLIEST_WEIGHT
from scheduling import RUSH_TIME_LIMIT_S
from scheduling.frames import calendar_from_frame
from scheduling.whatif import longest_wait, rush_what_if

NEW_PLAN_DAYS = 14
WHAT_IFS_PER_WINDOW = 5
WINDOW_MIN = 10
# Per user name, shared by every session of the server (a second tab does not reset it).
WHAT_IFS = Throttle(WHAT_IFS_PER_WINDOW, WINDOW_MIN * 60)


def allowed_now(username: str) -> float:
    """Seconds until ``username`` may run the next what-if (0: now, and this one is counted)."""
    wait = WHAT_IFS.wait_s(f"user:{username}")
    if wait <= 0:
        WHAT_IFS.fail(f"user:{username}")
    return wait


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
        c[2].caption(
            t(
                "Each try re-plans for up to {s:.0f} s; {n} tries per {m} minutes per user.",
                s=RUSH_TIME_LIMIT_S,
                n=WHAT_IFS_PER_WINDOW,
                m=WINDOW_MIN,
            )
        )
        go_rush = st.form_submit_button(t("Insert and re-plan"), key="rush_submit")
    if not go_rush:
        return
    user = current_user()
    wait = allowed_now(user.username if user else "anonymous")
    if wait > 0:
        st.warning(
            t(
                "You have tried {n} rush orders in the last {m} minutes, the most a user may: each one "
                "re-plans the whole plant. The next try is possible in {wait} minutes.",
                n=WHAT_IFS_PER_WINDOW,
                m=WINDOW_MIN,
                wait=f"{wait / 60:.0f}" if wait >= 60 else "1",
            )
        )
        return
    tables = q.plan_tables()
    due_utc = (
        (pd.Timestamp(due_day) + pd.Timedelta(hours=18))
        .tz_localize(plant.tz)
        .tz_convert("UTC")
        .tz_localize(None)
    )
    args = dict(
        quantity=int(qty),
        due_at=due_utc,
        tier=tier,
        frozen_minutes=int(frozen_h * 60),
        time_limit=RUSH_TIME_LIMIT_S,
        efficiency=q.time_efficiency(),
    )
    try:
        with st.spinner(t("Re-planning…")):
            result = rush_what_if(tables, q.routing(sku), **args)
            rush = result.moves.loc[result.moves["is_rush_order"]].iloc[0]
            first = (
                rush_what_if(tables, q.routing(sku), **args, weight=EARLIEST_WEIGHT)
                if rush.late_after
                else None
            )
    except ValueError as err:
        st.error(t("Cannot insert this order: {error}", error=err))
    else:
        show_result(plant, tables, result, first)


def earliest_note(plant: Plant, calendar, first) -> str:
    """When a late rush order could be done at the earliest (it first, everyone else after) and why not
    sooner: the work center where it waits longest even then."""
    rush = first.moves.loc[first.moves["is_rush_order"]].iloc[0]
    earliest = calendar.to_clock(int(rush.completion_after), end=True)
    minutes, operation, work_center = longest_wait(first, rush.production_order_id)
    return t(
        "Late: the earliest it can be done, even ahead of every other order, is {earliest} "
        "(plant time); even then it waits {minutes} plant minutes for {work_center} (operation "
        "{operation}).",
        earliest=fmt_datetime(plant.clock(earliest)),
        minutes=f"{minutes:,}",
        work_center=work_center,
        operation=operation,
    )


def show_result(plant: Plant, tables: dict[str, pd.DataFrame], result, first=None) -> None:
    """When the rush order is done (and, when late, the earliest it could be), whom it delays with their
    due date, tier and product, and the new plan's first days."""
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
    if first is not None:
        st.warning(earliest_note(plant, calendar, first))
    c[1].metric(t("Orders delayed"), len(delayed))
    c[2].metric(t("Made late by it"), len(newly_late))
    c[3].metric(
        t("Solved in"),
        f"{result.plan.seconds:.1f} s",
        help=technical_name(result.plan.status),
        **status_note(solver_state(result.plan.status)),
    )
    orders = q.schedule_orders("cpsat")[["production_order_id", "sku", "customer_tier", "due_at_utc"]]
    table = delayed.assign(
        delay_hours=delayed["delay_minutes"] / 60.0,
        completion_after=[calendar.to_clock(int(m), end=True) for m in delayed["completion_after"]],
    ).merge(orders, on="production_order_id", how="left")
    st.markdown(t("**Orders the rush order delays: {n}** (plant time)", n=len(table)))
    show_table(
        plant.time(table.sort_values("delay_hours", ascending=False), "completion_after", "due_at_utc")[
            [
                "production_order_id",
                "customer_tier",
                "sku",
                "due_at_utc",
                "completion_after",
                "delay_hours",
                "late_before",
                "late_after",
            ]
        ],
        t("Orders delayed"),
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
