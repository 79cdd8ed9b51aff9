"""Production for planners (PMC): the plan as a Gantt chart by machine or by order, the bottlenecks, the
T-3 warnings, the daily close, and a rush-order what-if that re-solves the plan and lists whom it delays.

Reads only the published warehouse: the ``production`` tables the pipeline writes (docs/scheduling.md)
and the routings in ``staging``. The what-if re-solves, in this process, the very problem the pipeline
stored (``production.plan_problem``), with the ``scheduling`` library.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.formatting import fmt_percent
from dashboards.warehouse import query, table_exists
from scheduling.frames import calendar_from_frame
from scheduling.whatif import rush_what_if

METHODS = {
    "cpsat": "CP-SAT (optimised)",
    "edd": "Earliest due date (dispatch rule)",
    "atc": "ATC (dispatch rule)",
}
LEVEL_COLOURS = {"T-3": "#bf8700", "T-2": "#d1242f", "T-1": "#a40e26", "overdue": "#6e7781"}
DISPLAY = {
    "priority_rank": "priority",
    "production_order_id": "order",
    "customer_tier": "tier",
    "due_at_utc": "due",
    "planned_completion_utc": "planned completion",
    "lateness_hours": "late (h)",
    "open_operations": "open ops",
    "due_at": "due",
    "days_left": "days left",
    "blocking_operation": "blocking operation",
    "work_center": "work center",
    "machine_id": "machine",
    "escalated_to": "escalated to",
    "unfinished_operations": "unfinished ops",
    "planned_completion": "planned completion",
    "projected_late": "will be late",
    "opened_at": "open since",
}
TABLES = ("schedule", "schedule_orders", "schedule_runs", "work_center_load", "t3_warnings", "daily_close")

st.title("Production")

present = {t: table_exists("production", t) for t in TABLES}
if not present["schedule_runs"]:
    st.info(
        "No production plan in this warehouse yet. The pipeline's production step writes the schedule, "
        "the T-3 warnings and the daily close to the schema `production`: run `omniops run` (or "
        "`make demo`) and reload this page."
    )
    st.stop()

tz = query("select any_value(source_time_zone) as tz from staging.stg_erp__shift_calendar")["tz"].iloc[0]
tz = tz or "UTC"


def local(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """UTC columns shown in the plant's time zone (naive, as people read them on the floor)."""
    out = frame.copy()
    for c in columns:
        out[c] = pd.to_datetime(out[c]).dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)
    return out


runs = query("select * from production.schedule_runs order by is_chosen desc, method").set_index("method")
as_of = pd.Timestamp(runs["as_of"].iloc[0])
as_of_local = local(pd.DataFrame({"t": [as_of]}), "t")["t"].iloc[0]
cp = runs.loc["cpsat"]
best_rule = runs.drop(index="cpsat")["weighted_tardiness"].idxmin()
rule = runs.loc[best_rule]
st.caption(
    f"Plan as of **{as_of_local:%Y-%m-%d %H:%M}** ({tz}), the newest MES record. "
    f"{int(cp.orders)} open production orders, {int(cp.operations)} open operations. Weighted tardiness = "
    "Σ priority weight × plant minutes late; CP-SAT minimises it first, then the makespan."
)
gain = None if rule.weighted_tardiness == 0 else 1 - cp.weighted_tardiness / rule.weighted_tardiness
k = st.columns(5)
k[0].metric(
    "Late orders (CP-SAT)",
    f"{int(cp.late_orders)}",
    f"{int(cp.late_orders - rule.late_orders):+d} vs {best_rule.upper()}",
    delta_color="inverse",
)
k[1].metric(
    "Weighted tardiness",
    f"{int(cp.weighted_tardiness):,}",
    None if gain is None else f"{-gain:+.0%} vs {best_rule.upper()}",
    delta_color="inverse",
)
k[2].metric("Solver", str(cp.status), f"gap {fmt_percent(cp.gap)}", delta_color="off")
k[3].metric("Plan ends", f"{local(pd.DataFrame({'t': [cp.makespan_at_utc]}), 't')['t'].iloc[0]:%m-%d %H:%M}")
load = (
    query("select * from production.work_center_load order by rank") if present["work_center_load"] else None
)
if load is not None and len(load):
    top = load.iloc[0]
    k[4].metric("Bottleneck", str(top.work_center), f"{top.load_ratio:.0%} loaded", delta_color="off")

with st.expander("Plans compared: CP-SAT against the dispatch rules"):
    show = runs.reset_index()[
        [
            "method",
            "status",
            "weighted_tardiness",
            "bound",
            "gap",
            "late_orders",
            "makespan_minutes",
            "makespan_at_utc",
            "seconds",
            "note",
        ]
    ]
    show["method"] = show["method"].map(METHODS)
    st.dataframe(local(show, "makespan_at_utc"), hide_index=True, width="stretch")

tab_gantt, tab_load, tab_t3, tab_close, tab_rush = st.tabs(
    ["Gantt", "Bottlenecks", "T-3 warnings", "Daily close", "Rush order what-if"]
)


def gantt(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    f = local(frame, "planned_start_utc", "planned_end_utc", "due_at_utc")
    f["late"] = f["production_order_id"].isin(late_orders)
    row = "machine_id" if by == "machine" else "production_order_id"
    colour = "production_order_id" if by == "machine" else "machine_id"
    fig = px.timeline(
        f,
        x_start="planned_start_utc",
        x_end="planned_end_utc",
        y=row,
        color=colour,
        hover_data={
            "production_order_id": True,
            "operation_seq": True,
            "operation_name": True,
            "machine_id": True,
            "due_at_utc": True,
            "customer_tier": True,
        },
        labels={
            "planned_start_utc": "start",
            "planned_end_utc": "end",
            "machine_id": "machine",
            "production_order_id": "order",
            "due_at_utc": "due",
        },
        category_orders={row: sorted(f[row].unique())},
    )
    fig.update_yaxes(title=None)
    fig.update_layout(
        title=title,
        showlegend=by == "order",
        height=max(320, 22 * f[row].nunique() + 120),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.add_vline(x=as_of_local, line_dash="dot", line_color="#57606a")
    return fig


with tab_gantt:
    c = st.columns([2, 1.3, 1.3, 2])
    method = c[0].selectbox("Plan", list(METHODS), format_func=METHODS.get, key="pr_method")
    by = c[1].radio("Rows", ["machine", "order"], horizontal=True, key="pr_by")
    days = c[2].slider("Days shown", 1, 42, 14, key="pr_days")
    sched = query(
        "select * from production.schedule where method = ? order by machine_id, start_minute", (method,)
    )
    orders = query(
        "select * from production.schedule_orders where method = ? order by priority_rank", (method,)
    )
    late_orders = set(orders.loc[orders["is_late"], "production_order_id"])
    wcs = sorted(sched["work_center"].unique())
    chosen = c[3].multiselect("Work centers", wcs, default=wcs, key="pr_wc")
    cut = as_of + pd.Timedelta(days=days)
    view = sched.loc[sched["work_center"].isin(chosen) & (pd.to_datetime(sched["planned_start_utc"]) < cut)]
    if by == "order":
        first = orders["production_order_id"].head(40)
        view = view.loc[view["production_order_id"].isin(first)]
        st.caption("The 40 orders with the highest priority; late orders are listed below the chart.")
    if view.empty:
        st.info("No operations in this window.")
    else:
        st.plotly_chart(gantt(view, by, METHODS[method]), width="stretch", key="pr_gantt")
    late = orders.loc[orders["is_late"]]
    st.markdown(f"**Orders planned late: {len(late)}** of {len(orders)}")
    st.dataframe(
        local(late, "due_at_utc", "planned_completion_utc")[
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
        ].rename(columns=DISPLAY),
        hide_index=True,
        width="stretch",
        column_config={"late (h)": st.column_config.NumberColumn(format="%.1f")},
    )

with tab_load:
    if load is None or load.empty:
        st.info("No work-center load in this warehouse.")
    else:
        st.caption(
            "Open work against machine time (shifts minus downtime) up to the last due date. Above "
            "100 % the work center cannot finish its open work in time even without idling."
        )
        fig = go.Figure(
            go.Bar(
                x=load["load_ratio"],
                y=load["work_center"] + " · " + load["work_center_name"].fillna(""),
                orientation="h",
                marker_color=["#cf222e" if b else "#0969da" for b in load["is_bottleneck"]],
                text=[f"{r:.0%}" for r in load["load_ratio"]],
                textposition="outside",
            )
        )
        fig.add_vline(x=1.0, line_dash="dash", line_color="#57606a")
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(xaxis_tickformat=".0%", height=60 + 40 * len(load), margin={"t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch", key="pr_load")
        st.dataframe(
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
            ],
            hide_index=True,
            width="stretch",
        )

with tab_t3:
    if not present["t3_warnings"]:
        st.info("No T-3 register in this warehouse.")
    else:
        reg = query("select * from production.t3_warnings order by status desc, due_at, production_order_id")
        reg = local(reg, "due_at", "planned_completion", "opened_at", "last_seen_at", "closed_at")
        open_w = reg.loc[reg["status"] == "open"]
        counts = open_w["level"].value_counts()
        cols = st.columns(len(LEVEL_COLOURS) + 1)
        cols[0].metric("Open warnings", len(open_w))
        for col, level in zip(cols[1:], LEVEL_COLOURS, strict=True):
            col.metric(level, int(counts.get(level, 0)))
        st.caption(
            "Every order due within 3 days with unfinished operations. A warning stays open until "
            "the order is finished or cancelled; T-1 escalates to the production manager, overdue to "
            "the plant manager."
        )
        st.dataframe(
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
            ].rename(columns=DISPLAY),
            hide_index=True,
            width="stretch",
        )
        if st.toggle("Show closed warnings", key="pr_closed"):
            st.dataframe(reg.loc[reg["status"] == "closed"], hide_index=True, width="stretch")

with tab_close:
    if not present["daily_close"]:
        st.info("No daily close in this warehouse.")
    else:
        days_avail = query("select distinct shift_date from production.daily_close order by 1 desc")[
            "shift_date"
        ]
        day = st.selectbox(
            "Day", days_avail.tolist(), format_func=lambda d: f"{pd.Timestamp(d):%Y-%m-%d %a}", key="pr_day"
        )
        out = query(
            "select * from production.daily_close where shift_date = ? order by production_order_id, "
            "operation_seq",
            (day,),
        )
        mat = query(
            "select * from production.daily_close_materials where shift_date = ? and flagged "
            "order by abs(unexplained) desc",
            (day,),
        )
        c = st.columns(4)
        c[0].metric("Planned (units)", f"{int(out['planned_qty'].sum()):,}")
        c[1].metric("Good (units)", f"{int(out['good_count'].sum()):,}", f"{int(out['variance'].sum()):+,}")
        c[2].metric("Outside tolerance", int((~out["within_tolerance"]).sum()))
        c[3].metric("Material lines flagged", len(mat))
        trend = query(
            "select shift_date, sum(planned_qty) as planned, sum(good_count) as good "
            "from production.daily_close group by 1 order by 1 desc limit 30"
        )
        fig = go.Figure(
            [
                go.Bar(x=trend["shift_date"], y=trend["planned"], name="planned", marker_color="#8c959f"),
                go.Bar(x=trend["shift_date"], y=trend["good"], name="good", marker_color="#1a7f37"),
            ]
        )
        fig.update_layout(barmode="group", height=260, margin={"t": 10, "b": 10}, title=None)
        st.plotly_chart(fig, width="stretch", key="pr_close_trend")
        reasons = query(
            "select reason, count(*) as variances from production.daily_close where reason is not null "
            "and shift_date > cast(? as date) - interval 30 day group by 1 order by 2 desc",
            (day,),
        )
        if len(reasons):
            st.plotly_chart(
                px.bar(reasons, x="variances", y="reason", orientation="h", title="Reasons, last 30 days")
                .update_yaxes(autorange="reversed", title=None)
                .update_layout(height=80 + 32 * len(reasons), margin={"t": 40, "b": 10}),
                width="stretch",
                key="pr_close_reasons",
            )
        st.markdown("**Output variances** (outside ±5 % of plan, at least one unit)")
        st.dataframe(
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
            ],
            hide_index=True,
            width="stretch",
        )
        st.markdown("**Material variances** (standard = BOM × good quantity)")
        st.dataframe(
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
            ],
            hide_index=True,
            width="stretch",
        )

with tab_rush:
    st.caption(
        "Insert an urgent order (插单): started work and everything starting inside the frozen window "
        "stays; the rest is re-planned around the new order with CP-SAT, starting from the current plan."
    )
    routed = query("select distinct sku from staging.stg_erp__routings order by 1")["sku"].tolist()
    with st.form("rush"):
        c = st.columns(3)
        sku = c[0].selectbox("Product", routed, key="rush_sku")
        qty = c[1].number_input(
            "Quantity", min_value=1, max_value=100_000, value=100, step=10, key="rush_qty"
        )
        tier = c[2].selectbox("Customer tier", ["A", "B", "C"], key="rush_tier")
        c = st.columns(3)
        due_day = c[0].date_input(
            "Due date", value=(as_of_local + pd.Timedelta(days=4)).date(), key="rush_due"
        )
        frozen_h = c[1].number_input("Frozen window (plant hours)", 0, 72, 8, key="rush_frozen")
        limit = c[2].number_input("Time limit (s)", 1, 30, 4, key="rush_limit")
        go_rush = st.form_submit_button("Insert and re-plan")
    if go_rush:
        tables = {
            t: query(f"select * from production.{t}")  # t from a fixed list, never user input
            for t in ("plan_problem", "plan_blocked", "plan_calendar")
        }
        tables["schedule"] = sched_cp = query("select * from production.schedule where method = 'cpsat'")
        calendar = calendar_from_frame(tables["plan_calendar"])
        routing = query(
            "select * from staging.stg_erp__routings where sku = ? order by operation_seq", (sku,)
        )
        eff = query(
            "select work_center, time_efficiency from staging.stg_erp__work_centers where time_efficiency > 0"
        )
        due_utc = (
            (pd.Timestamp(due_day) + pd.Timedelta(hours=18))
            .tz_localize(tz)
            .tz_convert("UTC")
            .tz_localize(None)
        )
        try:
            with st.spinner("Re-planning…"):
                result = rush_what_if(
                    tables,
                    routing,
                    quantity=int(qty),
                    due_at=due_utc,
                    tier=tier,
                    frozen_minutes=int(frozen_h * 60),
                    time_limit=float(limit),
                    efficiency=dict(
                        zip(eff["work_center"], eff["time_efficiency"].astype(float), strict=True)
                    ),
                )
        except ValueError as err:
            st.error(f"Cannot insert this order: {err}")
        else:
            moves = result.moves
            rush_row = moves.loc[moves["is_rush_order"]].iloc[0]
            done_at = calendar.to_clock(int(rush_row.completion_after), end=True)
            delayed = result.delayed.loc[~result.delayed["is_rush_order"]]
            newly_late = delayed.loc[delayed["late_after"] & ~delayed["late_before"].astype(bool)]
            c = st.columns(4)
            c[0].metric(
                "Rush order done",
                f"{local(pd.DataFrame({'t': [done_at]}), 't')['t'].iloc[0]:%m-%d %H:%M}",
                "late" if rush_row.late_after else "on time",
                delta_color="off",
            )
            c[1].metric("Orders delayed", len(delayed))
            c[2].metric("Made late by it", len(newly_late))
            c[3].metric("Solved in", f"{result.plan.seconds:.1f} s", result.plan.status, delta_color="off")
            table = delayed.assign(
                delay_hours=delayed["delay_minutes"] / 60.0,
                completion_after=[calendar.to_clock(int(m), end=True) for m in delayed["completion_after"]],
            )
            st.markdown("**Orders the rush order delays** (plant hours)")
            st.dataframe(
                local(table, "completion_after")[
                    ["production_order_id", "delay_hours", "late_before", "late_after", "completion_after"]
                ],
                hide_index=True,
                width="stretch",
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
                sched_cp[
                    ["production_order_id", "operation_seq", "operation_name", "due_at_utc", "customer_tier"]
                ],
                on=["production_order_id", "operation_seq"],
                how="left",
            )
            late_orders = set(moves.loc[moves["late_after"].astype(bool), "production_order_id"])
            window = new.loc[pd.to_datetime(new["planned_start_utc"]) < as_of + pd.Timedelta(days=14)]
            st.plotly_chart(gantt(window, "machine", "New plan (14 days)"), width="stretch", key="rush_gantt")
            if result.violations:
                st.error("The new plan breaks rules: " + "; ".join(result.violations[:5]))
