"""Figures of the forecast & inventory page: demand with its interval, the champion mix, turnover."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.formatting import model_name
from dashboards.i18n import t

TURNOVER_COLOURS = {"below": "#0969da", "within": "#1a7f37", "above": "#cf222e"}
BASELINES = ("SeasonalNaive", "Naive", "WindowAverage")


def demand(
    forecast: pd.DataFrame, actuals: pd.DataFrame, *, freq: str, as_of: date, partial: bool, period: str
) -> go.Figure:
    """Actuals, then the forecast with its shaded interval; a dotted line at the as-of date."""
    figure = go.Figure()
    band_x = list(forecast["ds"]) + list(forecast["ds"][::-1])
    band_y = list(forecast["yhat_upper"]) + list(forecast["yhat_lower"][::-1])
    figure.add_scatter(
        x=band_x,
        y=band_y,
        mode="lines",
        fill="toself",
        fillcolor="rgba(9,105,218,0.18)",
        line=dict(width=0),
        hoverinfo="skip",
        name=t("Prediction interval"),
    )
    if not actuals.empty:
        figure.add_scatter(
            x=actuals["ds"],
            y=actuals["units"],
            mode="lines+markers" if freq != "D" else "lines",
            line=dict(color="#24292f"),
            # An incomplete last period (up to the as-of date) gets an open marker.
            marker=dict(
                symbol=["circle"] * (len(actuals) - 1) + ["circle-open" if partial else "circle"],
                size=7,
            ),
            name=t("Actuals"),
            hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} " + t("units") + "<extra></extra>",
        )
    figure.add_scatter(
        x=forecast["ds"],
        y=forecast["yhat"],
        mode="lines+markers" if freq != "D" else "lines",
        line=dict(color="#0969da", dash="dash"),
        name=t("Forecast"),
        customdata=forecast[["yhat_lower", "yhat_upper"]],
        hovertemplate=(
            "%{x|%Y-%m-%d}: %{y:,.0f} "
            + t("units")
            + " (%{customdata[0]:,.0f} – %{customdata[1]:,.0f})<extra></extra>"
        ),
    )
    figure.add_vline(x=pd.Timestamp(as_of), line_dash="dot", line_color="#57606a")
    figure.update_layout(
        height=380,
        margin=dict(l=10, r=10, t=10, b=10),
        yaxis_title=t("units per {period}", period=period),
        yaxis_tickformat=",.0f",
        yaxis_rangemode="tozero",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        hovermode="x unified",
    )
    return figure


def champion_mix(mix: pd.DataFrame, period: str) -> go.Figure:
    """Series won per model; the baselines in grey."""
    figure = go.Figure(
        go.Bar(
            x=mix["series"].tolist(),
            y=[model_name(model) for model in mix["model"]],
            orientation="h",
            customdata=mix["model"].tolist(),
            hovertemplate="%{y}<br>"
            + t("Technical name: {code}", code="%{customdata}")
            + "<br>%{x}<extra></extra>",
            marker_color=["#8c959f" if model in BASELINES else "#0969da" for model in mix["model"]],
            text=mix["series"],
            textposition="auto",
        )
    )
    figure.update_layout(
        title=t("Champion mix: series won per model ({period})", period=period),
        height=80 + 36 * len(mix),
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title=t("series"),
        yaxis=dict(autorange="reversed"),
    )
    return figure


def turnover(turnover: pd.DataFrame, band_names: dict[str, str]) -> go.Figure:
    """Turnover days per category, coloured by band, with the benchmark and its band as whiskers."""
    figure = go.Figure()
    status = turnover["status"].where(turnover["status"].isin(list(TURNOVER_COLOURS)), "unknown")
    for name, colour in [*TURNOVER_COLOURS.items(), ("unknown", "#8c959f")]:
        part = turnover[status == name]
        if not part.empty:
            figure.add_bar(
                x=part["turnover_days"],
                y=part["product_category"],
                orientation="h",
                marker_color=colour,
                name=band_names[name],
                hovertemplate="%{y}: %{x:.0f} " + t("days") + "<extra></extra>",
            )
    figure.add_scatter(
        x=turnover["benchmark_days"],
        y=turnover["product_category"],
        mode="markers",
        marker=dict(symbol="line-ns-open", size=14, color="#24292f"),
        error_x=dict(
            type="data",
            symmetric=False,
            array=turnover["band_high"] - turnover["benchmark_days"],
            arrayminus=turnover["benchmark_days"] - turnover["band_low"],
            color="#24292f",
            thickness=1.5,
            width=6,
        ),
        name=t("benchmark and band"),
        hovertemplate=t("benchmark") + " %{x:.0f} " + t("days") + "<extra></extra>",
    )
    figure.update_layout(
        height=120 + 28 * len(turnover),
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title=t("turnover days (average stock ÷ cost of goods sold × 365)"),
        yaxis=dict(categoryorder="array", categoryarray=list(turnover["product_category"][::-1])),
        barmode="overlay",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
    )
    return figure
