"""Forecast page, accuracy section: the model's backtest against the baselines and the sales team."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts import forecast as charts
from dashboards.formatting import fmt_percent, is_missing
from dashboards.i18n import t
from dashboards.queries import forecast as q

BASELINES = charts.BASELINES


def forecasters() -> dict[str, str]:
    """The forecasters in table order, in the user's language."""
    return {
        "champion": t("Model (champion)"),
        "SeasonalNaive": t("SeasonalNaive (baseline)"),
        "Naive": t("Naive (baseline, for histories shorter than a season)"),
        "WindowAverage": t("WindowAverage (baseline)"),
        "sales_team": t("Sales team (ERP forecast)"),
    }


def fmt_points(value: float | None) -> str:
    return "–" if is_missing(value) else t("{n} pts", n=f"{100 * value:+.1f}")


def accuracy_section(freq: str, period: str) -> None:
    """The section under "Forecast accuracy", for the granularity chosen in the demand section."""
    acc_as_of = q.newest_as_of("forecast_accuracy_summary")
    summary = q.accuracy_summary(acc_as_of, freq)
    if summary.empty:
        st.info(t("No accuracy scores for the {period} forecast in this warehouse.", period=period))
        return
    overall = summary[summary["scope"] == "all"].set_index("forecaster")

    def value(forecaster: str, column: str) -> float | None:
        return overall.at[forecaster, column] if forecaster in overall.index else None

    baselines = overall[overall.index.isin(BASELINES) & overall["revenue_weighted_wape"].notna()]
    best = baselines["revenue_weighted_wape"].idxmin() if not baselines.empty else None
    cards = st.columns(4)
    cards[0].metric(t("Model WAPE"), fmt_percent(value("champion", "revenue_weighted_wape")))
    cards[1].metric(
        t("Best baseline WAPE"),
        fmt_percent(value(best, "revenue_weighted_wape")) if best else "–",
        help=f"{best}" if best else None,
    )
    cards[2].metric(t("Interval coverage"), fmt_percent(value("champion", "coverage")))
    cards[3].metric(
        t("FVA vs sales team"),
        fmt_points(value("champion", "fva_vs_sales_team")),
        help=t("Sales team WAPE − model WAPE; the ERP sales forecast is monthly."),
    )
    st.caption(
        t(
            "Backtest of the {period} forecast as of {as_of}, all series. "
            "**WAPE** (weighted absolute percentage error) = Σ|forecast − actual| ÷ Σ actual, in money: "
            "the share of revenue the forecast missed, lower is better. Per SKU × channel and day it is "
            "above 100 %: most days sell nothing, so every forecast above zero misses on most days. "
            "**Bias** = Σ(forecast − actual) ÷ Σ actual: positive means over-forecast (too much stock). "
            "**Coverage** = share of actuals inside the prediction interval (about 80 % is right). "
            "**FVA** (forecast value added) = sales team WAPE − model WAPE: positive points mean the "
            "model is more accurate than the sales team's forecast.",
            period=period,
            as_of=f"{acc_as_of:%Y-%m-%d}",
        )
    )
    breakdowns = {
        "All series": t("All series"),
        "By channel": t("By channel"),
        "By category": t("By category"),
    }
    breakdown = st.radio(
        t("Accuracy for"), list(breakdowns), format_func=breakdowns.get, horizontal=True, key="acc_scope"
    )
    scope = {"All series": "all", "By channel": "channel", "By category": "category"}[breakdown]
    rows = summary[(summary["scope"] == scope) & (summary["series"] > 0)].copy()
    rows["wape_pct"] = 100 * rows["revenue_weighted_wape"]
    rows["bias_pct"] = 100 * rows["bias"]
    rows["coverage_pct"] = 100 * rows["coverage"]
    rows["fva_pts"] = 100 * rows["fva_vs_sales_team"]
    if scope == "all":
        per_forecaster(rows)
    else:
        per_scope_value(rows, scope)
    notes = []
    if freq != "MS":
        notes.append(t("The sales team forecasts by month: choose Month above to compare with it."))
    if summary["coverage"].isna().all():
        notes.append(t("No interval coverage was scored for the {period} forecast.", period=period))
    if notes:
        st.caption(" ".join(notes))


def per_forecaster(rows: pd.DataFrame) -> None:
    """One row per forecaster over all series."""
    labels = forecasters()
    rows["forecaster_label"] = rows["forecaster"].map(labels).fillna(rows["forecaster"])
    rows["order"] = rows["forecaster"].map({f: i for i, f in enumerate(labels)})
    shown = ["forecaster_label", "wape_pct", "bias_pct", "coverage_pct", "series", "fva_pts"]
    # A measure nobody has at this granularity (FVA outside months, maybe coverage) is left out.
    shown = [column for column in shown if not rows[column].isna().all()]
    st.dataframe(
        rows.sort_values("order")[shown],
        hide_index=True,
        width="stretch",
        column_config={
            "forecaster_label": st.column_config.TextColumn(t("Forecaster")),
            "wape_pct": st.column_config.NumberColumn(t("WAPE (revenue-weighted)"), format="%.1f %%"),
            "bias_pct": st.column_config.NumberColumn(t("Bias"), format="%+.1f %%"),
            "coverage_pct": st.column_config.NumberColumn(t("Interval coverage"), format="%.1f %%"),
            "series": st.column_config.NumberColumn(t("Series"), format="%d"),
            "fva_pts": st.column_config.NumberColumn(t("FVA vs sales team (pts)"), format="%+.1f"),
        },
    )


def per_scope_value(rows: pd.DataFrame, scope: str) -> None:
    """One row per channel or category: each forecaster's WAPE, and the model's bias, coverage and FVA."""
    labels = forecasters()
    wide = rows.pivot_table(index="scope_value", columns="forecaster", values="wape_pct").reindex(
        columns=[f for f in labels if f in set(rows["forecaster"])]
    )
    champion = rows[rows["forecaster"] == "champion"].set_index("scope_value")
    wide = wide.join(champion[["bias_pct", "coverage_pct", "fva_pts", "series"]]).reset_index()
    wide = wide.drop(columns=[c for c in ("coverage_pct", "fva_pts") if wide[c].isna().all()])
    short = {"champion": t("Model"), "sales_team": t("Sales team")}
    scope_names = {"channel": t("Channel"), "category": t("Category")}
    config = {"scope_value": st.column_config.TextColumn(scope_names[scope])}
    for forecaster in labels:
        config[forecaster] = st.column_config.NumberColumn(
            short.get(forecaster, forecaster),
            format="%.1f %%",
            help=t("WAPE of {forecaster}", forecaster=labels[forecaster]),
        )
    config |= {
        "bias_pct": st.column_config.NumberColumn(t("Model bias"), format="%+.1f %%"),
        "coverage_pct": st.column_config.NumberColumn(t("Coverage"), format="%.1f %%"),
        "fva_pts": st.column_config.NumberColumn(t("FVA (pts)"), format="%+.1f"),
        "series": st.column_config.NumberColumn(t("Series"), format="%d"),
    }
    st.caption(t("WAPE per forecaster (revenue-weighted); bias, coverage and FVA are the model's."))
    st.dataframe(wide, hide_index=True, width="stretch", column_config=config)


def champion_mix_section(freq: str, period: str) -> None:
    """How many series each model won (under the accuracy section)."""
    mix = q.champion_mix(freq)
    if mix.empty:
        return
    st.plotly_chart(charts.champion_mix(mix, period), width="stretch", key="fc_champion_mix")
    st.caption(
        t(
            "How many series each model won in the backtest (it then forecasts them). Grey bars are the "
            "baselines: a series a baseline wins has no pattern the other models could use."
        )
    )
