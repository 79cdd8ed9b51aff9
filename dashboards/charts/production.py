"""Figures of the production page: the Gantt chart, the work-center load and the daily close."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboards.formatting import fmt_percent
from dashboards.i18n import t
from dashboards.sections.production_tables import headers, plant_time

PALETTE = px.colors.qualitative.Plotly
RUSH_COLOUR = "#fb8500"


def gantt(
    frame: pd.DataFrame,
    by: str,
    title: str,
    *,
    late_orders: set,
    tz: str,
    as_of_local: pd.Timestamp,
    rush_orders: frozenset[str] = frozenset(),
) -> go.Figure:
    """Bars from planned start to end, a row per machine or order; late orders' bars outlined in red,
    approved rush orders (in the plan as ``RUSH-…``) in a thick orange frame.

    Built with graph objects, a trace per legend entry, because ``px.timeline`` makes a trace per colour
    (a hundred orders: about 0.7 s of figure validation on every rerun).
    """
    names = headers()
    f = plant_time(frame, tz, "planned_start_utc", "planned_end_utc", "due_at_utc")
    row = "machine_id" if by == "machine" else "production_order_id"
    colour = "production_order_id" if by == "machine" else "machine_id"
    keys = sorted(f[colour].unique())
    palette = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    clock = {
        column: f[column].dt.strftime("%Y-%m-%d %H:%M").fillna("")
        for column in ("planned_start_utc", "planned_end_utc", "due_at_utc")
    }
    hover = "<br>".join(
        [
            f"{names['production_order_id']}: %{{customdata[0]}} · %{{customdata[1]}} %{{customdata[2]}}",
            f"{names['machine_id']}: %{{customdata[3]}}",
            f"{t('start')}: %{{customdata[4]}} · {t('end')}: %{{customdata[5]}}",
            f"{names['due_at_utc']}: %{{customdata[6]}} · {names['customer_tier']}: %{{customdata[7]}}",
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
    # The late orders' bars once more on top, empty with a red outline: one legend entry explains it;
    # likewise the rush orders in the plan, in a thick orange frame.
    _frame(fig, f, row, late_orders, t("planned late"), "#cf222e", 2)
    if f["production_order_id"].isin(rush_orders).any():
        _frame(fig, f, row, rush_orders, t("rush order"), RUSH_COLOUR, 4)
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


def _frame(fig: go.Figure, f: pd.DataFrame, row: str, orders, name: str, colour: str, width: int) -> None:
    """The bars of ``orders`` again, empty with a coloured outline, as one legend entry."""
    framed = f.loc[f["production_order_id"].isin(orders)]
    fig.add_bar(
        base=framed["planned_start_utc"],
        x=framed["duration_ms"],
        y=framed[row],
        orientation="h",
        name=name,
        marker=dict(color="rgba(0,0,0,0)", line=dict(color=colour, width=width)),
        hoverinfo="skip",
    )


def work_center_load(load: pd.DataFrame) -> go.Figure:
    """Load per work center (open work ÷ machine time); bottlenecks in red, 100 % dashed."""
    fig = go.Figure(
        go.Bar(
            x=load["load_ratio"],
            y=load["work_center"] + " · " + load["work_center_name"].fillna(""),
            orientation="h",
            marker_color=["#cf222e" if b else "#0969da" for b in load["is_bottleneck"]],
            text=[fmt_percent(r) for r in load["load_ratio"]],
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
    return fig


def planned_and_good(trend: pd.DataFrame) -> go.Figure:
    """Planned against good units per closed day."""
    fig = go.Figure(
        [
            go.Bar(x=trend["shift_date"], y=trend["planned"], name=t("planned"), marker_color="#8c959f"),
            go.Bar(x=trend["shift_date"], y=trend["good"], name=t("good"), marker_color="#1a7f37"),
        ]
    )
    fig.update_layout(
        barmode="group", height=260, margin={"t": 10, "b": 10}, title=None, yaxis_title=t("units")
    )
    return fig


def variance_reasons(reasons: pd.DataFrame, reason_header: str) -> go.Figure:
    """How often each variance reason was given."""
    return (
        px.bar(
            reasons,
            x="variances",
            y="reason",
            orientation="h",
            title=t("Reasons, last 30 days"),
            labels={"variances": t("variances"), "reason": reason_header},
        )
        .update_yaxes(autorange="reversed", title=None)
        .update_layout(height=80 + 32 * len(reasons), margin={"t": 40, "b": 10})
    )
