"""Figures of the KPI overview: a card's trend, bars against a target, late reasons, the six big losses."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.formatting import STATUS_COLOURS
from dashboards.i18n import t
from kpis.formulas import target_status

# availability (breakdowns, setups), performance (minor stops, reduced speed), quality
LOSS_COLOURS = ["#cf222e", "#cf222e", "#bf8700", "#bf8700", "#8250df"]
MARGIN = dict(l=5, r=5, t=5, b=5)


def status_colours(values: pd.Series, direction: str, target=None, low=None, high=None) -> list[str]:
    """One status colour per value (green on target, red off, grey without a value or target)."""
    return [
        STATUS_COLOURS[target_status(None if pd.isna(v) else float(v), direction, target, low, high)]
        for v in values
    ]


MIN_SPAN_POINTS = 20.0  # a share's trend axis spans at least 20 percentage points
MIN_SPAN_SHARE = 0.4  # other trends at least 40 % of their largest value


def axis_range(values: list[float], lines: list[float], *, percent: bool) -> tuple[float, float]:
    """The y range of a trend: its values and target lines, widened to a minimum span around their middle
    so that a wobble of one point (OEE 79–80.3 %) does not fill the card like a cliff. Shares stay within
    0–100 %, other values above 0."""
    shown = [v for v in [*values, *lines] if v is not None and v == v]
    if not shown:
        return (0.0, 100.0) if percent else (0.0, 1.0)
    low, high = min(shown), max(shown)
    span = MIN_SPAN_POINTS if percent else MIN_SPAN_SHARE * max(abs(high), 1e-9)
    pad = max(span - (high - low), 0) / 2 + 0.05 * (high - low)
    low, high = low - pad, high + pad
    floor, ceiling = 0.0, 100.0 if percent else float("inf")
    if low < floor:
        low, high = floor, high + (floor - low)
    if high > ceiling:
        low, high = max(floor, low - (high - ceiling)), ceiling
    return low, high


def trend_figure(
    trend: pd.DataFrame,
    label: str,
    *,
    scale: float,
    axis: str,
    bucket: str,
    target_lines: tuple[float | None, float | None],
    band: bool,
) -> go.Figure:
    """The KPI by bucket with its target line (or the benchmark band for inventory days)."""
    figure = go.Figure()
    figure.add_scatter(
        x=trend["bucket"], y=trend["value"] * scale, mode="lines+markers", name=label, line_color="#0969da"
    )
    low, high = target_lines
    if band and low is not None and high is not None:
        figure.add_hrect(y0=low, y1=high, fillcolor=STATUS_COLOURS["on_target"], opacity=0.12, line_width=0)
    elif low is not None:
        figure.add_hline(y=low * scale, line_dash="dash", line_color=STATUS_COLOURS["off_target"])
    lines = [v * scale for v in target_lines if v is not None]  # the band's scale is 1 (days)
    y_range = axis_range(list(trend["value"] * scale), lines, percent=scale == 100.0)
    figure.update_layout(
        height=170,
        margin=MARGIN,
        showlegend=False,
        yaxis_title=axis,
        yaxis_range=list(y_range),
        xaxis=dict(type="category", title=t("week from") if bucket == "week" else None),
    )
    return figure


def bars_against_target(
    frame: pd.DataFrame, x: str, y: str, scale: float, axis: str, target: float | None, direction: str
) -> go.Figure:
    """Bars coloured by status against the KPI's target, with the target as a dashed line."""
    figure = go.Figure()
    figure.add_bar(x=frame[x], y=frame[y] * scale, marker_color=status_colours(frame[y], direction, target))
    if target is not None:
        figure.add_hline(y=target * scale, line_dash="dash", line_color=STATUS_COLOURS["off_target"])
    figure.update_layout(height=260, margin=MARGIN, yaxis_title=axis)
    return figure


def late_reasons(by_channel: pd.DataFrame, reason_labels: dict[str, str]) -> go.Figure:
    """Late orders per channel, stacked by reason."""
    reasons = by_channel.melt(id_vars="channel", value_vars=list(reason_labels), var_name="reason")
    figure = go.Figure()
    for reason, label in reason_labels.items():
        part = reasons[reasons["reason"] == reason]
        figure.add_bar(x=part["channel"], y=part["value"], name=label)
    figure.update_layout(barmode="stack", height=260, margin=MARGIN, yaxis_title=t("late orders"))
    return figure


def six_big_losses(losses: pd.DataFrame) -> go.Figure:
    """Minutes per loss, coloured by the OEE factor it lowers."""
    figure = go.Figure(
        go.Bar(x=losses["minutes"], y=losses["loss"], orientation="h", marker_color=LOSS_COLOURS)
    )
    figure.update_layout(
        height=280, margin=MARGIN, xaxis_title=t("minutes"), yaxis=dict(autorange="reversed")
    )
    return figure


def inventory_days_bars(
    days: pd.Series, labels: pd.Series, low: float | None, high: float | None
) -> go.Figure:
    """Inventory days per row, coloured against the benchmark band drawn behind the bars."""
    colours = status_colours(days, "band", low=low, high=high)
    figure = go.Figure(go.Bar(x=days, y=labels, orientation="h", marker_color=colours))
    if low is not None and high is not None:
        figure.add_vrect(
            x0=low, x1=high, fillcolor=STATUS_COLOURS["on_target"], opacity=0.12, line_width=0, layer="below"
        )
    figure.update_layout(
        height=max(220, 22 * len(days)),
        margin=MARGIN,
        xaxis_title=t("days"),
        yaxis=dict(autorange="reversed"),
    )
    return figure
