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

from dashboards.components import page_header
from dashboards.formatting import fmt_percent
from dashboards.i18n import t
from dashboards.warehouse import query, table_exists
from scheduling.frames import calendar_from_frame
from scheduling.whatif import rush_what_if

# The page is a script Streamlit reruns, so texts built at its top follow the session's language.
METHODS = {
    "cpsat": t("CP-SAT (optimised)"),
    "edd": t("Earliest due date (dispatch rule)"),
    "atc": t("ATC (dispatch rule)"),
}
LEVEL_COLOURS = {"T-3": "#bf8700", "T-2": "#d1242f", "T-1": "#a40e26", "overdue": "#6e7781"}
LEVEL_NAMES = {"T-3": "T-3", "T-2": "T-2", "T-1": "T-1", "overdue": t("overdue")}
# Words the pipeline writes into the tables (scheduling/t3.py, scheduling/daily_close.py, the solver), shown
# in the user's language; anything else is shown as stored.
VALUES = {
    "status": {"open": t("open"), "closed": t("closed")},
    "level": LEVEL_NAMES,
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
SOLVER_STATUS = {
    "OPTIMAL": t("OPTIMAL"),
    "FEASIBLE": t("FEASIBLE"),
    "HEURISTIC": t("HEURISTIC"),
    "INFEASIBLE": t("INFEASIBLE"),
    "UNKNOWN": t("UNKNOWN"),
}
WEEKDAYS = (t("Mon"), t("Tue"), t("Wed"), t("Thu"), t("Fri"), t("Sat"), t("Sun"))
# Column headers of every table on the page; the data keeps its column names (tests read them).
HEADERS = {
    "method": t("plan"),
    "status": t("status"),
    "weighted_tardiness": t("weighted tardiness"),
    "bound": t("lower bound"),
    "gap": t("gap"),
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
    "load_ratio": st.column_config.NumberColumn(t("load"), format="percent"),
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
    "variance_pct": t("variance %"),
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
PALETTE = px.colors.qualitative.Plotly
TABLES = ("schedule", "schedule_orders", "schedule_runs", "work_center_load", "t3_warnings", "daily_close")


def shown(column: pd.Series, words: dict[str, str]) -> pd.Series:
    return column.map(lambda value: words.get(value, value))


def show_table(frame: pd.DataFrame) -> None:
    """A table with the page's headers, and the pipeline's words, in the user's language."""
    config = {column: HEADERS[column] for column in frame.columns if column in HEADERS}
    words = {column: shown(frame[column], VALUES[column]) for column in frame.columns if column in VALUES}
    st.dataframe(frame.assign(**words), hide_index=True, width="stretch", column_config=config)


page_header(t("Production"))

present = {t: table_exists("production", t) for t in TABLES}
if not present["schedule_runs"]:
    st.info(
        t(
            "No production plan in this warehouse yet. The pipeline's production step writes the schedule, "
            "the T-3 warnings and the daily close to the schema `production`: run `omniops run` (or "
            "`make demo`) and reload this page."
        )
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
    t(
        "Plan as of **{as_of}** ({tz}), the newest MES record; times on this page are plant time. "
        "{orders} open production orders, {operations} open operations. Weighted tardiness = "
        "Σ priority weight × plant minutes late; CP-SAT minimises it first, then the makespan.",
        as_of=f"{as_of_local:%Y-%m-%d %H:%M}",
        tz=tz,
        orders=int(cp.orders),
        operations=int(cp.operations),
    )
)
gain = None if rule.weighted_tardiness == 0 else 1 - cp.weighted_tardiness / rule.weighted_tardiness
k = st.columns(5)
k[0].metric(
    t("Late orders (CP-SAT)"),
    f"{int(cp.late_orders)}",
    t("{change} vs {rule}", change=f"{int(cp.late_orders - rule.late_orders):+d}", rule=best_rule.upper()),
    delta_color="inverse",
)
k[1].metric(
    t("Weighted tardiness"),
    f"{int(cp.weighted_tardiness):,}",
    None if gain is None else t("{change} vs {rule}", change=f"{-gain:+.0%}", rule=best_rule.upper()),
    delta_color="inverse",
)
k[2].metric(
    t("Solver"),
    SOLVER_STATUS.get(cp.status, str(cp.status)),
    t("gap {gap}", gap=fmt_percent(cp.gap)),
    delta_color="off",
)
k[3].metric(
    t("Plan ends"), f"{local(pd.DataFrame({'t': [cp.makespan_at_utc]}), 't')['t'].iloc[0]:%m-%d %H:%M}"
)
load = (
    query("select * from production.work_center_load order by rank") if present["work_center_load"] else None
)
if load is not None and len(load):
    top = load.iloc[0]
    k[4].metric(
        t("Bottleneck"),
        str(top.work_center),
        t("{ratio} loaded", ratio=f"{top.load_ratio:.0%}"),
        delta_color="off",
    )

with st.expander(t("Plans compared: CP-SAT against the dispatch rules"), key="pr_plans"):
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
    show["status"] = shown(show["status"], SOLVER_STATUS)
    show_table(local(show, "makespan_at_utc"))

tab_gantt, tab_load, tab_t3, tab_close, tab_rush = st.tabs(
    [t("Gantt"), t("Bottlenecks"), t("T-3 warnings"), t("Daily close"), t("Rush order what-if")],
    key="pr_tabs",
)


def gantt(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Bars from planned start to end, a row per machine or order; late orders' bars outlined in red.

    Built with graph objects, a trace per legend entry, because ``px.timeline`` makes a trace per colour
    (a hundred orders: about 0.7 s of figure validation on every rerun).
    """
    f = local(frame, "planned_start_utc", "planned_end_utc", "due_at_utc")
    row = "machine_id" if by == "machine" else "production_order_id"
    colour = "production_order_id" if by == "machine" else "machine_id"
    keys = sorted(f[colour].unique())
    palette = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    clock = {
        column: f[column].dt.strftime("%m-%d %H:%M").fillna("")
        for column in ("planned_start_utc", "planned_end_utc", "due_at_utc")
    }
    hover = "<br>".join(
        [
            f"{HEADERS['production_order_id']}: %{{customdata[0]}} · %{{customdata[1]}} %{{customdata[2]}}",
            f"{HEADERS['machine_id']}: %{{customdata[3]}}",
            f"{t('start')}: %{{customdata[4]}} · {t('end')}: %{{customdata[5]}}",
            f"{HEADERS['due_at_utc']}: %{{customdata[6]}} · {HEADERS['customer_tier']}: %{{customdata[7]}}",
            "%{customdata[8]}<extra></extra>",
        ]
    )
    fig = go.Figure()
    f["duration_ms"] = (f["planned_end_utc"] - f["planned_start_utc"]).dt.total_seconds() * 1000
    # By machine the colour only tells orders apart (no legend), so one trace holds every bar.
    groups = f.groupby(colour, sort=True) if by == "order" else [(None, f)]
    for name, part in groups:
        late = part["production_order_id"].isin(late_orders)
        fig.add_bar(
            base=part["planned_start_utc"],
            x=part["duration_ms"],
            y=part[row],
            orientation="h",
            name=name,
            showlegend=by == "order",
            marker=dict(color=[palette[key] for key in part[colour]]),
            customdata=list(
                zip(
                    part["production_order_id"],
                    part["operation_seq"],
                    part["operation_name"].fillna(""),
                    part["machine_id"],
                    clock["planned_start_utc"][part.index],
                    clock["planned_end_utc"][part.index],
                    clock["due_at_utc"][part.index],
                    part["customer_tier"].fillna(""),
                    [t("planned late") if x else "" for x in late],
                    strict=True,
                )
            ),
            hovertemplate=hover,
        )
    # The late orders' bars once more on top, empty with a red outline: one legend entry explains it.
    late = f.loc[f["production_order_id"].isin(late_orders)]
    fig.add_bar(
        base=late["planned_start_utc"],
        x=late["duration_ms"],
        y=late[row],
        orientation="h",
        name=t("planned late"),
        marker=dict(color="rgba(0,0,0,0)", line=dict(color="#cf222e", width=2)),
        hoverinfo="skip",
    )
    fig.update_xaxes(type="date")
    fig.update_yaxes(
        title=None,
        automargin=True,
        categoryorder="array",
        categoryarray=sorted(f[row].unique(), reverse=True),
    )
    fig.update_layout(
        title=title,
        barmode="overlay",
        showlegend=True,
        height=max(320, 22 * f[row].nunique() + 120),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.add_vline(x=as_of_local, line_dash="dot", line_color="#57606a")
    return fig


with tab_gantt:
    c = st.columns([2, 1.3, 1.3, 2])
    method = c[0].selectbox(t("Plan"), list(METHODS), format_func=METHODS.get, key="pr_method")
    rows = {"machine": t("machine"), "order": t("order")}
    by = c[1].radio(t("Rows"), list(rows), format_func=rows.get, horizontal=True, key="pr_by")
    days = c[2].slider(t("Days shown"), 1, 42, 14, key="pr_days")
    sched = query(
        "select * from production.schedule where method = ? order by machine_id, start_minute", (method,)
    )
    orders = query(
        "select * from production.schedule_orders where method = ? order by priority_rank", (method,)
    )
    late_orders = set(orders.loc[orders["is_late"], "production_order_id"])
    wcs = sorted(sched["work_center"].unique())
    chosen = c[3].multiselect(t("Work centers"), wcs, default=wcs, key="pr_wc")
    cut = as_of + pd.Timedelta(days=days)
    view = sched.loc[sched["work_center"].isin(chosen) & (pd.to_datetime(sched["planned_start_utc"]) < cut)]
    if by == "order":
        first = orders["production_order_id"].head(40)
        view = view.loc[view["production_order_id"].isin(first)]
        st.caption(t("The 40 orders with the highest priority; late orders are listed below the chart."))
    if view.empty:
        st.info(t("No operations in this window."))
    else:
        st.plotly_chart(gantt(view, by, METHODS[method]), width="stretch", key="pr_gantt")
    late = orders.loc[orders["is_late"]]
    st.markdown(t("**Orders planned late: {late}** of {orders}", late=len(late), orders=len(orders)))
    show_table(
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
        ]
    )

with tab_load:
    if load is None or load.empty:
        st.info(t("No work-center load in this warehouse."))
    else:
        st.caption(
            t(
                "Open work against machine time (shifts minus downtime) up to the last due date. Above "
                "100 % the work center cannot finish its open work in time even without idling."
            )
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
        fig.update_layout(
            xaxis_tickformat=".0%",
            xaxis_title=t("load (open work ÷ machine time)"),
            height=60 + 40 * len(load),
            margin={"t": 10, "b": 10},
        )
        st.plotly_chart(fig, width="stretch", key="pr_load")
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

with tab_t3:
    if not present["t3_warnings"]:
        st.info(t("No T-3 register in this warehouse."))
    else:
        reg = query("select * from production.t3_warnings order by status desc, due_at, production_order_id")
        reg = local(reg, "due_at", "planned_completion", "opened_at", "last_seen_at", "closed_at")
        open_w = reg.loc[reg["status"] == "open"]
        counts = open_w["level"].value_counts()
        cols = st.columns(len(LEVEL_COLOURS) + 1)
        cols[0].metric(t("Open warnings"), len(open_w))
        for col, level in zip(cols[1:], LEVEL_COLOURS, strict=True):
            col.metric(LEVEL_NAMES[level], int(counts.get(level, 0)))
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

with tab_close:
    if not present["daily_close"]:
        st.info(t("No daily close in this warehouse."))
    else:
        days_avail = query("select distinct shift_date from production.daily_close order by 1 desc")[
            "shift_date"
        ]
        day = st.selectbox(
            t("Date"),
            days_avail.tolist(),
            format_func=lambda d: f"{pd.Timestamp(d):%Y-%m-%d} {WEEKDAYS[pd.Timestamp(d).weekday()]}",
            key="pr_day",
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
        c[0].metric(t("Planned (units)"), f"{int(out['planned_qty'].sum()):,}")
        c[1].metric(
            t("Good (units)"), f"{int(out['good_count'].sum()):,}", f"{int(out['variance'].sum()):+,}"
        )
        c[2].metric(t("Outside tolerance"), int((~out["within_tolerance"]).sum()))
        c[3].metric(t("Material lines flagged"), len(mat))
        trend = query(
            "select shift_date, sum(planned_qty) as planned, sum(good_count) as good "
            "from production.daily_close group by 1 order by 1 desc limit 30"
        )
        fig = go.Figure(
            [
                go.Bar(x=trend["shift_date"], y=trend["planned"], name=t("planned"), marker_color="#8c959f"),
                go.Bar(x=trend["shift_date"], y=trend["good"], name=t("good"), marker_color="#1a7f37"),
            ]
        )
        fig.update_layout(
            barmode="group", height=260, margin={"t": 10, "b": 10}, title=None, yaxis_title=t("units")
        )
        st.plotly_chart(fig, width="stretch", key="pr_close_trend")
        reasons = query(
            "select reason, count(*) as variances from production.daily_close where reason is not null "
            "and shift_date > cast(? as date) - interval 30 day group by 1 order by 2 desc",
            (day,),
        )
        if len(reasons):
            reasons["reason"] = shown(reasons["reason"], VALUES["reason"])
            st.plotly_chart(
                px.bar(
                    reasons,
                    x="variances",
                    y="reason",
                    orientation="h",
                    title=t("Reasons, last 30 days"),
                    labels={"variances": t("variances"), "reason": HEADERS["reason"]},
                )
                .update_yaxes(autorange="reversed", title=None)
                .update_layout(height=80 + 32 * len(reasons), margin={"t": 40, "b": 10}),
                width="stretch",
                key="pr_close_reasons",
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

with tab_rush:
    st.caption(
        t(
            "Insert an urgent order (rush order): started work and everything starting inside the frozen "
            "window stays; the rest is re-planned around the new order with CP-SAT, starting from the "
            "current plan."
        )
    )
    routed = query("select distinct sku from staging.stg_erp__routings order by 1")["sku"].tolist()
    with st.form("rush"):
        c = st.columns(3)
        sku = c[0].selectbox(t("Product"), routed, key="rush_sku")
        qty = c[1].number_input(
            t("Quantity"), min_value=1, max_value=100_000, value=100, step=10, key="rush_qty"
        )
        tier = c[2].selectbox(t("Customer tier"), ["A", "B", "C"], key="rush_tier")
        c = st.columns(3)
        due_day = c[0].date_input(
            t("Due date"), value=(as_of_local + pd.Timedelta(days=4)).date(), key="rush_due"
        )
        frozen_h = c[1].number_input(t("Frozen window (plant hours)"), 0, 72, 8, key="rush_frozen")
        limit = c[2].number_input(t("Time limit (s)"), 1, 30, 4, key="rush_limit")
        go_rush = st.form_submit_button(t("Insert and re-plan"), key="rush_submit")
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
            with st.spinner(t("Re-planning…")):
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
            st.error(t("Cannot insert this order: {error}", error=err))
        else:
            moves = result.moves
            rush_row = moves.loc[moves["is_rush_order"]].iloc[0]
            done_at = calendar.to_clock(int(rush_row.completion_after), end=True)
            delayed = result.delayed.loc[~result.delayed["is_rush_order"]]
            newly_late = delayed.loc[delayed["late_after"] & ~delayed["late_before"].astype(bool)]
            c = st.columns(4)
            c[0].metric(
                t("Rush order done"),
                f"{local(pd.DataFrame({'t': [done_at]}), 't')['t'].iloc[0]:%m-%d %H:%M}",
                t("late") if rush_row.late_after else t("on time"),
                delta_color="off",
            )
            c[1].metric(t("Orders delayed"), len(delayed))
            c[2].metric(t("Made late by it"), len(newly_late))
            c[3].metric(
                t("Solved in"),
                f"{result.plan.seconds:.1f} s",
                SOLVER_STATUS.get(result.plan.status, result.plan.status),
                delta_color="off",
            )
            table = delayed.assign(
                delay_hours=delayed["delay_minutes"] / 60.0,
                completion_after=[calendar.to_clock(int(m), end=True) for m in delayed["completion_after"]],
            )
            st.markdown(t("**Orders the rush order delays** (plant hours)"))
            show_table(
                local(table, "completion_after")[
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
                sched_cp[
                    ["production_order_id", "operation_seq", "operation_name", "due_at_utc", "customer_tier"]
                ],
                on=["production_order_id", "operation_seq"],
                how="left",
            )
            late_orders = set(moves.loc[moves["late_after"].astype(bool), "production_order_id"])
            window = new.loc[pd.to_datetime(new["planned_start_utc"]) < as_of + pd.Timedelta(days=14)]
            st.plotly_chart(
                gantt(window, "machine", t("New plan (14 days)")), width="stretch", key="rush_gantt"
            )
            if result.violations:
                st.error(t("The new plan breaks rules: {rules}", rules="; ".join(result.violations[:5])))
