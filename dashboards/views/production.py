"""Production for planners (PMC): the plan as a Gantt chart by machine or by order, the bottlenecks, the
T-3 warnings, the daily close, and a rush-order what-if that re-solves the plan and lists whom it delays.

Reads only the published warehouse: the ``production`` tables the pipeline writes (docs/scheduling.md)
and the routings in ``staging``. The what-if re-solves, in this process, the very problem the pipeline
stored (``production.plan_problem``), with the ``scheduling`` library.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.components import page_header
from dashboards.formatting import (
    fmt_datetime,
    fmt_percent,
    kpi_delta,
    solver_state,
    status_note,
    technical_name,
)
from dashboards.i18n import t
from dashboards.queries import production as q
from dashboards.sections.kpi_how import production_how
from dashboards.sections.production_floor import close_tab, t3_tab
from dashboards.sections.production_plan import gantt_tab, load_tab
from dashboards.sections.production_rush import rush_tab
from dashboards.sections.production_tables import (
    Plant,
    methods,
    show_table,
    shown,
    solver_status,
    tradeoff_note,
)

page_header(t("Production"))

present = q.present_tables()
if not present["schedule_runs"]:
    st.info(
        t(
            "No production plan in this warehouse yet. The pipeline's production step writes the schedule, "
            "the T-3 warnings and the daily close to the schema `production`: run `omniops run` (or "
            "`make demo`) and reload this page."
        )
    )
    st.stop()

tz = q.plant_time_zone()
runs = q.schedule_runs()
plant = Plant(tz, pd.Timestamp(runs["as_of"].iloc[0]))
cp = runs.loc["cpsat"]
best_rule = runs.drop(index="cpsat")["weighted_tardiness"].idxmin()
rule = runs.loc[best_rule]
st.caption(
    t(
        "Plan as of **{as_of}** ({tz}), the newest MES record; times on this page are plant time. "
        "{orders} open production orders, {operations} open operations. Weighted tardiness = "
        "Σ priority weight × plant minutes late; CP-SAT minimises it first, then the makespan.",
        as_of=f"{plant.as_of_local:%Y-%m-%d %H:%M}",
        tz=tz,
        orders=int(cp.orders),
        operations=int(cp.operations),
    )
)
gain = None if rule.weighted_tardiness == 0 else 1 - cp.weighted_tardiness / rule.weighted_tardiness
k = st.columns(5)
versus = t("vs {rule}", rule=methods()[best_rule])
k[0].metric(
    t("Late orders (optimised plan)"),
    f"{int(cp.late_orders)}",
    **kpi_delta(f"{int(cp.late_orders - rule.late_orders):+d}", versus, lower_is_better=True),
)
k[1].metric(
    t("Weighted tardiness"),
    t("{n} weight × min", n=f"{int(cp.weighted_tardiness):,}"),
    help=t("Σ priority weight × minutes late, over the open orders"),
    **kpi_delta(None if gain is None else f"{-gain:+.0%}", versus, lower_is_better=True),
)
k[2].metric(
    t("Solver"),
    solver_state(cp.status),
    help=technical_name(cp.status) + " · " + t("optimality gap {gap}", gap=fmt_percent(cp.gap)),
    **status_note(t("at most {gap} from the best possible", gap=fmt_percent(cp.gap))),
)
k[3].metric(t("Plan ends"), fmt_datetime(plant.clock(cp.makespan_at_utc)))
load = q.work_center_load() if present["work_center_load"] else None
if load is not None and len(load):
    top = load.iloc[0]
    k[4].metric(
        t("Bottleneck"),
        str(top.work_center),
        **status_note(t("{ratio} loaded", ratio=fmt_percent(top.load_ratio))),
    )

why = tradeoff_note(q.late_by_tier(), best_rule, methods()[best_rule])
if why:
    st.info(why)
production_how(tz)

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
    show["method"] = show["method"].map(methods())
    show["status"] = shown(show["status"], solver_status())
    show_table(plant.time(show, "makespan_at_utc"))

tab_gantt, tab_load, tab_t3, tab_close, tab_rush = st.tabs(
    [t("Gantt"), t("Bottlenecks"), t("T-3 warnings"), t("Daily close"), t("Rush order what-if")],
    key="pr_tabs",
)
with tab_gantt:
    gantt_tab(plant)
with tab_load:
    load_tab(load)
with tab_t3:
    if not present["t3_warnings"]:
        st.info(t("No T-3 register in this warehouse."))
    else:
        t3_tab(plant)
with tab_close:
    if not present["daily_close"]:
        st.info(t("No daily close in this warehouse."))
    else:
        close_tab()
with tab_rush:
    rush_tab(plant)
