"""Production page, plan tabs: the Gantt chart of a plan by machine or by order, and the bottlenecks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts import production as charts
from dashboards.i18n import t
from dashboards.queries import production as q
from dashboards.sections.production_tables import Plant, methods, show_table

GANTT_ORDERS = 40
RUSH_PREFIX = "RUSH-"  # approved rush proposals enter the plan under their proposal number


def gantt_tab(plant: Plant) -> None:
    c = st.columns([2, 1.3, 1.3, 2])
    plans = methods()
    method = c[0].selectbox(t("Plan"), list(plans), format_func=plans.get, key="pr_method")
    rows = {"machine": t("machine"), "order": t("order")}
    by = c[1].radio(t("Rows"), list(rows), format_func=rows.get, horizontal=True, key="pr_by")
    days = c[2].slider(t("Days shown"), 1, 42, 14, key="pr_days")
    sched = q.schedule(method)
    orders = q.schedule_orders(method)
    late_orders = set(orders.loc[orders["is_late"], "production_order_id"])
    rush = orders.loc[orders["production_order_id"].str.startswith(RUSH_PREFIX)]
    wcs = sorted(sched["work_center"].unique())
    chosen = c[3].multiselect(t("Work centers"), wcs, default=wcs, key="pr_wc")
    cut = plant.as_of + pd.Timedelta(days=days)
    view = sched.loc[sched["work_center"].isin(chosen) & (pd.to_datetime(sched["planned_start_utc"]) < cut)]
    if by == "order":
        first = orders["production_order_id"].head(GANTT_ORDERS)
        view = view.loc[view["production_order_id"].isin({*first, *rush["production_order_id"]})]
        st.caption(t("The 40 orders with the highest priority; late orders are listed below the chart."))
    if view.empty:
        st.info(t("No operations in this window."))
    else:
        figure = charts.gantt(
            view,
            by,
            plans[method],
            late_orders=late_orders,
            tz=plant.tz,
            as_of_local=plant.as_of_local,
            rush_orders=frozenset(rush["production_order_id"]),
        )
        st.plotly_chart(figure, width="stretch", key="pr_gantt")
    if len(rush):
        done = plant.time(rush, "planned_completion_utc")
        listed = ", ".join(
            f"{r.production_order_id} ({r.sku}, {r.planned_completion_utc:%Y-%m-%d %H:%M})"
            for r in done.itertuples()
        )
        st.markdown(t("**Rush orders in this plan** (orange frame): {orders}", orders=listed))
    late = orders.loc[orders["is_late"]]
    st.markdown(t("**Orders planned late: {late}** of {orders}", late=len(late), orders=len(orders)))
    show_table(
        plant.time(late, "due_at_utc", "planned_completion_utc")[
            [
                "priority_rank",
                "production_order_id",
                "sku",
                "customer_tier",
                "weight",
                "due_at_utc",
                "planned_completion_utc",
                "lateness_hours",
                "open_operations",
            ]
        ]
    )


def load_tab(load: pd.DataFrame | None) -> None:
    if load is None or load.empty:
        st.info(t("No work-center load in this warehouse."))
        return
    st.caption(
        t(
            "Open work against machine time (shifts minus downtime) up to the last due date. Above "
            "100 % the work center cannot finish its open work in time even without idling."
        )
    )
    st.plotly_chart(charts.work_center_load(load), width="stretch", key="pr_load")
    show_table(
        load[
            [
                "rank",
                "work_center",
                "work_center_name",
                "owner",
                "machines",
                "open_operations",
                "load_minutes",
                "capacity_minutes",
                "load_ratio",
            ]
        ]
    )
