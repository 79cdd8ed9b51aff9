"""Forecast page, demand section: choose a granularity and a scope, see actuals against the forecast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboards.charts import forecast as charts
from dashboards.formatting import fmt_percent, is_missing, kpi_delta, model_name
from dashboards.i18n import t
from dashboards.queries import forecast as q

ALL = q.ALL
# freq → (periods of actuals shown before the forecast, pandas frequency)
GRANULARITIES = {"D": (120, "D"), "W": (26, "W-MON"), "MS": (12, "MS")}


# Label tables are functions: a page run translates them into the session's language.
def period_names() -> dict[str, str]:
    """freq → the radio label."""
    return {"D": t("Day"), "W": t("Week"), "MS": t("Month")}


def periods() -> dict[str, str]:
    """freq → the period ("the week")."""
    return {"D": t("day"), "W": t("week"), "MS": t("month")}


def periods_plural() -> dict[str, str]:
    """freq → the period's plural ("12 weeks")."""
    return {"D": t("days"), "W": t("weeks"), "MS": t("months")}


def all_or(names: dict[str, str] | None = None, both: bool = False) -> Callable[[str], str]:
    """A format_func: "All" in the user's language, other values as they are (tests and links select by
    them), with their name when ``names`` has one. "All" is translated here, in the run: a format_func
    may be called outside the run (AppTest does), where there is no session to read the language from.
    """
    all_label = t("All")

    def label(value: str) -> str:
        if value == ALL:
            return all_label
        if names is None or not names.get(value):
            return value
        return f"{value} · {names[value]}" if both else names[value]

    return label


def fmt_units(value: float | None) -> str:
    return "–" if is_missing(value) else t("{n} units", n=f"{value:,.0f}")


def period_start(day: date, freq: str) -> date:
    if freq == "W":
        return day - timedelta(days=day.weekday())
    if freq == "MS":
        return day.replace(day=1)
    return day


def period_end(start: date, freq: str) -> date:
    following = pd.Timestamp(start) + pd.tseries.frequencies.to_offset(GRANULARITIES[freq][1])
    return following.date() - timedelta(days=1)


def demand_section(present: dict[str, bool]) -> str:
    """The section under "Demand: actuals and forecast"; returns the chosen granularity (freq)."""
    as_of = q.newest_as_of("demand_forecast")
    if as_of is None:
        st.info(t("`forecasting.demand_forecast` is empty: the last `omniops run` produced no forecast."))
        return "W"
    st.caption(
        t(
            "Forecast as of **{as_of}** (the last day with actuals). "
            "Quantities in units of net demand (sold minus returned; a day with more returns than "
            "sales counts as zero, as in the forecast).",
            as_of=f"{as_of:%Y-%m-%d}",
        )
    )
    controls = st.columns([1.5, 1.4, 1.7, 1.2])
    # Weeks by default, set as state rather than index= so the language switch may re-set it.
    st.session_state.setdefault("fc_freq", list(GRANULARITIES)[1])
    freq = controls[0].radio(
        t("Granularity"),
        list(GRANULARITIES),
        format_func=period_names().get,
        horizontal=True,
        key="fc_freq",
    )
    categories = q.forecast_categories(as_of, freq)
    category = controls[1].selectbox(
        t("Category"), [ALL, *categories], format_func=all_or(), key="fc_category"
    )
    names = q.forecast_skus(as_of, freq, category)
    sku = controls[2].selectbox(
        t("SKU (optional)"), [ALL, *names], format_func=all_or(names, both=True), key="fc_sku"
    )
    channel_names = q.forecast_channels(as_of, freq, category, sku)
    channel = controls[3].selectbox(
        t("Channel (optional)"), [ALL, *channel_names], format_func=all_or(channel_names), key="fc_channel"
    )
    scope = q.where(product_category=category, sku=sku, channel=channel)
    forecast = q.forecast_sum(as_of, freq, scope)
    if forecast.empty:
        st.info(t("No forecast for this selection: the SKU has not sold in this channel."))
    else:
        actuals_against_forecast(present, as_of, freq, scope, forecast)
    return freq


def actuals_of(freq: str, as_of: date, scope: tuple[str, tuple]) -> pd.DataFrame:
    """Net demand per period over the history shown; periods without any sale are zero demand."""
    history_periods, pandas_freq = GRANULARITIES[freq]
    grid = pd.date_range(end=period_start(as_of, freq), periods=history_periods, freq=pandas_freq)
    if not q.has_demand_mart():
        return pd.DataFrame(columns=["ds", "units"])
    actuals = q.actuals(freq, grid[0].date(), as_of, scope)
    return (
        actuals.assign(ds=pd.to_datetime(actuals["ds"]))
        .set_index("ds")
        .reindex(grid, fill_value=0.0)
        .rename_axis("ds")
        .reset_index()
    )


def actuals_against_forecast(
    present: dict[str, bool], as_of: date, freq: str, scope: tuple[str, tuple], forecast: pd.DataFrame
) -> None:
    series = q.series_per_model(as_of, freq, scope)
    has_actuals = q.has_demand_mart()
    actuals = actuals_of(freq, as_of, scope)
    period, unit = periods()[freq], periods_plural()[freq]
    forecast["ds"] = pd.to_datetime(forecast["ds"])
    horizon = len(forecast)
    total = forecast["yhat"].sum()
    current = period_start(as_of, freq)
    partial = period_end(current, freq) > as_of
    complete = actuals[actuals["ds"] < pd.Timestamp(current)] if partial else actuals
    previous = complete["units"].tail(horizon).sum() if len(complete) >= horizon else None

    cards = st.columns(4)
    change = f"{100 * (total / previous - 1):+.0f} %" if previous else None
    cards[0].metric(
        t("Forecast, next {n} {unit}", n=horizon, unit=unit),
        fmt_units(total),
        **kpi_delta(change, t("vs the last {n} {unit}", n=horizon, unit=unit), lower_is_better=None),
    )
    cards[1].metric(
        t("Prediction interval"), f"{forecast['yhat_lower'].sum():,.0f} – {forecast['yhat_upper'].sum():,.0f}"
    )
    cards[2].metric(
        t("Actuals, last {n} {unit}", n=horizon, unit=unit), "–" if previous is None else fmt_units(previous)
    )
    n_series = int(series["series"].sum())
    cards[3].metric(t("Series (SKU × channel)"), f"{n_series:,}")

    figure = charts.demand(forecast, actuals, freq=freq, as_of=as_of, partial=partial, period=period)
    st.plotly_chart(figure, width="stretch", key="fc_demand_chart")

    notes = demand_notes(present, as_of, freq, scope, series, forecast, partial, has_actuals)
    st.caption(" ".join(notes))
    if n_series > 1:
        st.caption(
            t(
                "This sums {n} series. The band combines their intervals as if their errors "
                "were independent (the band grows more slowly than the sum), an approximation: errors "
                "that move together, such as a festival every series misses, make the true band wider.",
                n=f"{n_series:,}",
            )
        )


def demand_notes(
    present: dict[str, bool],
    as_of: date,
    freq: str,
    scope: tuple[str, tuple],
    series: pd.DataFrame,
    forecast: pd.DataFrame,
    partial: bool,
    has_actuals: bool,
) -> list[str]:
    """The notes under the demand chart: the interval, the models, incomplete periods, the backtest."""
    period, unit = periods()[freq], periods_plural()[freq]
    horizon, n_series = len(forecast), int(series["series"].sum())
    notes = [
        t("Shaded: the prediction interval (80 % by default). Dotted line: the as-of date."),
        t("Model: {model}.", model=f"{model_name(series['model'].iloc[0])} ({series['model'].iloc[0]})")
        if n_series == 1
        else t(
            "Models (series): {models}.",
            models=", ".join(f"{model_name(row.model)} ({row.series:,})" for row in series.itertuples()),
        ),
    ]
    if partial:
        notes.append(
            t(
                "The last {period} of actuals (open marker) is incomplete (up to {as_of}); "
                "the comparison uses the last {n} complete {unit}.",
                period=period,
                as_of=f"{as_of:%Y-%m-%d}",
                n=horizon,
                unit=unit,
            )
        )
    first = forecast["ds"].iloc[0].date()
    if first <= as_of:
        notes.append(
            t(
                "The first forecast {period} ({first}) is the current one: its forecast covers "
                "the whole period, including the days already in the actuals.",
                period=period,
                first=f"{first:%Y-%m-%d}",
            )
        )
    if not has_actuals:
        notes.append(t("No actuals: this warehouse has no daily demand history yet."))
    if n_series == 1 and present["forecast_accuracy_series"]:
        own = q.champion_accuracy(freq, scope)
        if not own.empty:
            notes.append(
                t(
                    "In the backtest (forecasting the past) the model {model} did best on this series: "
                    "off by {wape} of the actual volume, and the actuals fell inside its band {coverage} "
                    "of the time.",
                    model=model_name(own["model"].iloc[0]),
                    wape=fmt_percent(own["wape"].iloc[0]),
                    coverage=fmt_percent(own["coverage"].iloc[0], 0),
                )
            )
    return notes
