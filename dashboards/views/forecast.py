"""Forecast & inventory for planners: actuals and forecast with its prediction interval for any SKU,
channel or category, how accurate the model is against the baselines and the sales team, the SKUs at
risk of a stock-out or overstocked with the replenishment proposals, and inventory turnover by category.

Reads only the published warehouse: the ``forecasting`` tables the pipeline writes and the mart
``marts.fct_demand_daily``. Until a warehouse has them, the page says so instead of failing.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.components import page_header
from dashboards.formatting import fmt_percent, is_missing
from dashboards.i18n import t
from dashboards.warehouse import query, table_exists

ALL = "All"
# Translated once per run: a format_func may be called outside the run (AppTest does), where there is no
# session to read the language from.
ALL_LABEL = t("All")
# freq → (periods of actuals shown before the forecast, pandas frequency)
GRANULARITIES = {"D": (120, "D"), "W": (26, "W-MON"), "MS": (12, "MS")}
# The forecast is of net demand (units sold minus units returned) per SKU × channel and day, a day with
# more returns than sales counting as zero; the actuals are the same measure (a mart row is one such day).
ACTUAL_UNITS = "greatest(net_quantity, 0)"
# The page is a script Streamlit reruns, so texts built at its top follow the session's language.
FORECASTERS = {
    "champion": t("Model (champion)"),
    "SeasonalNaive": t("SeasonalNaive (baseline)"),
    "Naive": t("Naive (baseline, for histories shorter than a season)"),
    "WindowAverage": t("WindowAverage (baseline)"),
    "sales_team": t("Sales team (ERP forecast)"),
}
# freq → the radio label, the period ("the week") and its plural ("12 weeks").
PERIOD_NAMES = {"D": t("Day"), "W": t("Week"), "MS": t("Month")}
PERIODS = {"D": t("day"), "W": t("week"), "MS": t("month")}
PERIODS_PLURAL = {"D": t("days"), "W": t("weeks"), "MS": t("months")}
BASELINES = ("SeasonalNaive", "Naive", "WindowAverage")
TURNOVER_COLOURS = {"below": "#0969da", "within": "#1a7f37", "above": "#cf222e"}
# The inventory plan's proposal types (planning/inventory_plan.py), in the user's language.
PROPOSAL_TYPES = {"purchase": t("purchase"), "production": t("production")}
BAND_NAMES = {
    "below": t("below the band"),
    "within": t("within the band"),
    "above": t("above the band"),
    "unknown": t("no status"),
}
FORECAST_TABLES = (
    "demand_forecast",
    "forecast_accuracy_summary",
    "forecast_accuracy_series",
    "inventory_plan",
    "inventory_turnover",
)

page_header(t("Forecast & inventory"))


def newest_as_of(table: str) -> date | None:
    # ``table`` is one of FORECAST_TABLES (never user input), so it may be spliced into the SQL.
    value = query(f"select max(as_of) as as_of from forecasting.{table}")["as_of"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def show_all(value: str) -> str:
    """Option values stay as they are (tests and links select by them); only "All" is translated."""
    return ALL_LABEL if value == ALL else value


def with_proposal_words(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(proposal_type=frame["proposal_type"].map(lambda v: PROPOSAL_TYPES.get(v, v)))


def where(prefix: str = "", **equals: str) -> tuple[str, tuple]:
    """`` and column = ?`` for every filter not set to ALL, with its parameters."""
    chosen = {column: value for column, value in equals.items() if value != ALL}
    return "".join(f" and {prefix}{column} = ?" for column in chosen), tuple(chosen.values())


def period_start(day: date, freq: str) -> date:
    if freq == "W":
        return day - timedelta(days=day.weekday())
    if freq == "MS":
        return day.replace(day=1)
    return day


def period_end(start: date, freq: str) -> date:
    following = pd.Timestamp(start) + pd.tseries.frequencies.to_offset(GRANULARITIES[freq][1])
    return following.date() - timedelta(days=1)


def fmt_units(value: float | None) -> str:
    return "–" if is_missing(value) else t("{n} units", n=f"{value:,.0f}")


def fmt_points(value: float | None) -> str:
    return "–" if is_missing(value) else t("{n} pts", n=f"{100 * value:+.1f}")


present = {table: table_exists("forecasting", table) for table in FORECAST_TABLES}
if not any(present.values()):
    st.info(
        t(
            "No forecast in this warehouse yet. The forecasting step of the pipeline writes the demand "
            "forecast, its accuracy and the inventory plan to the schema `forecasting`: run `omniops run` "
            "(or `make demo`) and reload this page."
        )
    )
    st.stop()


def missing(table: str, what: str) -> None:
    st.info(
        t(
            "This warehouse has no `forecasting.{table}` yet, so there is no {what} to show. "
            "Run `omniops run` and reload this page.",
            table=table,
            what=what,
        )
    )


# --- Demand: actuals and forecast ---------------------------------------------------------------------
st.subheader(t("Demand: actuals and forecast"))
freq = "W"
if not present["demand_forecast"]:
    missing("demand_forecast", t("demand forecast"))
else:
    as_of = newest_as_of("demand_forecast")
    if as_of is None:
        st.info(t("`forecasting.demand_forecast` is empty: the last `omniops run` produced no forecast."))
    else:
        st.caption(
            t(
                "Forecast as of **{as_of}** (the last day with actuals). "
                "Quantities in units of net demand (sold minus returned; a day with more returns than "
                "sales counts as zero, as in the forecast).",
                as_of=f"{as_of:%Y-%m-%d}",
            )
        )
        controls = st.columns([1.5, 1.4, 1.7, 1.2])
        freq = controls[0].radio(
            t("Granularity"),
            list(GRANULARITIES),
            index=1,
            format_func=PERIOD_NAMES.get,
            horizontal=True,
            key="fc_freq",
        )
        period, unit = PERIODS[freq], PERIODS_PLURAL[freq]
        history_periods, pandas_freq = GRANULARITIES[freq]
        categories = query(
            "select distinct product_category from forecasting.demand_forecast "
            "where as_of = ? and freq = ? order by 1",
            (as_of, freq),
        )["product_category"].tolist()
        category = controls[1].selectbox(
            t("Category"), [ALL, *categories], format_func=show_all, key="fc_category"
        )
        cat_sql, cat_params = where("f.", product_category=category)
        skus = query(
            "select f.sku, any_value(p.product_name) as product_name "
            "from forecasting.demand_forecast f left join marts.dim_products p using (sku) "
            f"where f.as_of = ? and f.freq = ?{cat_sql} "
            "group by f.sku order by f.sku",
            (as_of, freq, *cat_params),
        )
        names = dict(zip(skus["sku"], skus["product_name"], strict=True))
        sku = controls[2].selectbox(
            t("SKU (optional)"),
            [ALL, *names],
            format_func=lambda s: show_all(s) if s == ALL or not names.get(s) else f"{s} · {names[s]}",
            key="fc_sku",
        )
        sku_sql, sku_params = where("f.", product_category=category, sku=sku)
        channels = query(
            "select f.channel, any_value(c.channel_name) as channel_name "
            "from forecasting.demand_forecast f left join marts.dim_channels c using (channel) "
            f"where f.as_of = ? and f.freq = ?{sku_sql} group by f.channel order by f.channel",
            (as_of, freq, *sku_params),
        )
        channel_names = dict(zip(channels["channel"], channels["channel_name"], strict=True))
        channel = controls[3].selectbox(
            t("Channel (optional)"),
            [ALL, *channel_names],
            format_func=lambda c: show_all(c) if c == ALL or not channel_names.get(c) else channel_names[c],
            key="fc_channel",
        )
        scope_sql, scope_params = where(product_category=category, sku=sku, channel=channel)

        forecast = query(
            # Several series: their half-widths add as independent errors (√Σ squares), not linearly.
            "select ds, sum(yhat) as yhat, "
            "greatest(sum(yhat) - sqrt(sum((yhat - yhat_lower) ^ 2)), 0) as yhat_lower, "
            "sum(yhat) + sqrt(sum((yhat_upper - yhat) ^ 2)) as yhat_upper "
            "from forecasting.demand_forecast "
            f"where as_of = ? and freq = ?{scope_sql} group by ds order by ds",
            (as_of, freq, *scope_params),
        )
        if forecast.empty:
            st.info(t("No forecast for this selection: the SKU has not sold in this channel."))
        else:
            series = query(
                "select model, count(distinct unique_id) as series from forecasting.demand_forecast "
                f"where as_of = ? and freq = ?{scope_sql} group by model order by series desc, model",
                (as_of, freq, *scope_params),
            )
            periods = pd.date_range(end=period_start(as_of, freq), periods=history_periods, freq=pandas_freq)
            first_actual = periods[0].date()
            has_actuals = table_exists("marts", "fct_demand_daily")
            actuals = pd.DataFrame(columns=["ds", "units"])
            if has_actuals:
                actuals = query(
                    "select date_trunc(?, demand_date)::date as ds, "
                    f"sum({ACTUAL_UNITS})::double as units from marts.fct_demand_daily "
                    f"where demand_date between ? and ?{scope_sql} group by 1 order by 1",
                    ({"D": "day", "W": "week", "MS": "month"}[freq], first_actual, as_of, *scope_params),
                )
                # Periods without any sale are not in the mart: they are zero demand.
                actuals = (
                    actuals.assign(ds=pd.to_datetime(actuals["ds"]))
                    .set_index("ds")
                    .reindex(periods, fill_value=0.0)
                    .rename_axis("ds")
                    .reset_index()
                )
            forecast["ds"] = pd.to_datetime(forecast["ds"])
            horizon = len(forecast)
            total = forecast["yhat"].sum()
            current = period_start(as_of, freq)
            partial = period_end(current, freq) > as_of
            complete = actuals[actuals["ds"] < pd.Timestamp(current)] if partial else actuals
            previous = complete["units"].tail(horizon).sum() if len(complete) >= horizon else None

            cards = st.columns(4)
            delta = None
            if previous:
                delta = t(
                    "{change} vs the last {n} {unit}",
                    change=f"{100 * (total / previous - 1):+.0f} %",
                    n=horizon,
                    unit=unit,
                )
            cards[0].metric(
                t("Forecast, next {n} {unit}", n=horizon, unit=unit),
                fmt_units(total),
                delta=delta,
                delta_color="off",
            )
            cards[1].metric(
                t("Prediction interval"),
                f"{forecast['yhat_lower'].sum():,.0f} – {forecast['yhat_upper'].sum():,.0f}",
            )
            cards[2].metric(
                t("Actuals, last {n} {unit}", n=horizon, unit=unit),
                "–" if previous is None else fmt_units(previous),
            )
            n_series = int(series["series"].sum())
            cards[3].metric(t("Series (SKU × channel)"), f"{n_series:,}")

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
            st.plotly_chart(figure, width="stretch", key="fc_demand_chart")

            notes = [
                t("Shaded: the prediction interval (80 % by default). Dotted line: the as-of date."),
                t("Model: {model}.", model=series["model"].iloc[0])
                if n_series == 1
                else t(
                    "Models (series): {models}.",
                    models=", ".join(f"{row.model} ({row.series:,})" for row in series.itertuples()),
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
                notes.append(t("No actuals: this warehouse has no `marts.fct_demand_daily` yet."))
            if n_series == 1 and present["forecast_accuracy_series"]:
                own = query(
                    "select model, wape, coverage from forecasting.forecast_accuracy_series "
                    "where as_of = (select max(as_of) from forecasting.forecast_accuracy_series) "
                    f"and freq = ? and is_champion{scope_sql}",
                    (freq, *scope_params),
                )
                if not own.empty:
                    notes.append(
                        t(
                            "In the backtest {model} won this series with a WAPE of {wape} and an "
                            "interval coverage of {coverage}.",
                            model=own["model"].iloc[0],
                            wape=fmt_percent(own["wape"].iloc[0]),
                            coverage=fmt_percent(own["coverage"].iloc[0], 0),
                        )
                    )
            st.caption(" ".join(notes))
            if n_series > 1:
                st.caption(
                    t(
                        "This sums {n} series. The band combines their intervals as if their errors "
                        "were independent (half-widths add as √Σ squares), an approximation: errors that "
                        "move together, such as a festival every series misses, make the true band wider.",
                        n=f"{n_series:,}",
                    )
                )

# --- Forecast accuracy --------------------------------------------------------------------------------
st.subheader(t("Forecast accuracy"))
period = PERIODS[freq]
if not present["forecast_accuracy_summary"]:
    missing("forecast_accuracy_summary", t("accuracy"))
else:
    acc_as_of = newest_as_of("forecast_accuracy_summary")
    summary = query(
        "select scope, scope_value, forecaster, revenue_weighted_wape, bias, coverage, series, "
        "fva_vs_sales_team from forecasting.forecast_accuracy_summary "
        "where as_of = ? and freq = ? order by scope, scope_value, forecaster",
        (acc_as_of, freq),
    )
    if summary.empty:
        st.info(t("No accuracy scores for the {period} forecast in this warehouse.", period=period))
    else:
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
            rows["forecaster_label"] = rows["forecaster"].map(FORECASTERS).fillna(rows["forecaster"])
            rows["order"] = rows["forecaster"].map({f: i for i, f in enumerate(FORECASTERS)})
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
        else:
            wide = rows.pivot_table(index="scope_value", columns="forecaster", values="wape_pct").reindex(
                columns=[f for f in FORECASTERS if f in set(rows["forecaster"])]
            )
            champion = rows[rows["forecaster"] == "champion"].set_index("scope_value")
            wide = wide.join(champion[["bias_pct", "coverage_pct", "fva_pts", "series"]]).reset_index()
            wide = wide.drop(columns=[c for c in ("coverage_pct", "fva_pts") if wide[c].isna().all()])
            short = {"champion": t("Model"), "sales_team": t("Sales team")}
            scope_names = {"channel": t("Channel"), "category": t("Category")}
            config = {"scope_value": st.column_config.TextColumn(scope_names[scope])}
            for forecaster in FORECASTERS:
                config[forecaster] = st.column_config.NumberColumn(
                    short.get(forecaster, forecaster),
                    format="%.1f %%",
                    help=t("WAPE of {forecaster}", forecaster=FORECASTERS[forecaster]),
                )
            config |= {
                "bias_pct": st.column_config.NumberColumn(t("Model bias"), format="%+.1f %%"),
                "coverage_pct": st.column_config.NumberColumn(t("Coverage"), format="%.1f %%"),
                "fva_pts": st.column_config.NumberColumn(t("FVA (pts)"), format="%+.1f"),
                "series": st.column_config.NumberColumn(t("Series"), format="%d"),
            }
            st.caption(t("WAPE per forecaster (revenue-weighted); bias, coverage and FVA are the model's."))
            st.dataframe(wide, hide_index=True, width="stretch", column_config=config)
        notes = []
        if freq != "MS":
            notes.append(t("The sales team forecasts by month: choose Month above to compare with it."))
        if summary["coverage"].isna().all():
            notes.append(t("No interval coverage was scored for the {period} forecast.", period=period))
        if notes:
            st.caption(" ".join(notes))

if present["forecast_accuracy_series"]:
    mix = query(
        "select model, count(distinct unique_id) as series from forecasting.forecast_accuracy_series "
        "where as_of = (select max(as_of) from forecasting.forecast_accuracy_series) and freq = ? "
        "and is_champion group by model order by series desc, model",
        (freq,),
    )
    if not mix.empty:
        figure = go.Figure(
            go.Bar(
                x=mix["series"].tolist(),
                y=mix["model"].tolist(),
                orientation="h",
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
        st.plotly_chart(figure, width="stretch", key="fc_champion_mix")
        st.caption(
            t(
                "How many series each model won in the backtest (it then forecasts them). Grey bars are the "
                "baselines: a series a baseline wins has no pattern the other models could use."
            )
        )

# --- Inventory: stock-out risk, overstock and proposals -----------------------------------------------
st.subheader(t("Inventory: stock-out risk and overstock"))
if not present["inventory_plan"]:
    missing("inventory_plan", t("inventory plan"))
else:
    plan_as_of = newest_as_of("inventory_plan")
    warehouses = query(
        "select distinct warehouse_code from forecasting.inventory_plan where as_of = ? order by 1",
        (plan_as_of,),
    )["warehouse_code"].tolist()
    plan_categories = query(
        "select distinct product_category from forecasting.inventory_plan where as_of = ? order by 1",
        (plan_as_of,),
    )["product_category"].tolist()
    filters = st.columns(2)
    warehouse = filters[0].selectbox(
        t("Warehouse"), [ALL, *warehouses], format_func=show_all, key="inv_warehouse"
    )
    inv_category = filters[1].selectbox(
        t("Category"), [ALL, *plan_categories], format_func=show_all, key="inv_category"
    )
    inv_sql, inv_params = where(warehouse_code=warehouse, product_category=inv_category)
    base = f"from forecasting.inventory_plan where as_of = ?{inv_sql}"
    params = (plan_as_of, *inv_params)
    counts = (
        query(
            "select count(*) as positions, count(*) filter (where is_stockout_risk) as at_risk, "
            "count(*) filter (where is_overstock) as overstocked, "
            "count(*) filter (where proposal_qty > 0) as proposals, "
            f"coalesce(sum(proposal_qty), 0) as proposal_units {base}",
            params,
        )
        .iloc[0]
        .to_dict()
    )
    counts = {key: int(value) if key != "proposal_units" else value for key, value in counts.items()}
    cards = st.columns(4)
    cards[0].metric(t("Stock-out risk"), f"{counts['at_risk']:,}")
    cards[1].metric(t("Overstocked"), f"{counts['overstocked']:,}")
    cards[2].metric(t("Proposals"), f"{counts['proposals']:,}")
    cards[3].metric(t("Proposed quantity"), fmt_units(counts["proposal_units"]))
    if plan_as_of is not None:
        st.caption(
            t(
                "Plan as of {as_of} over {n} SKU × warehouse positions. "
                "ATP = on hand − reserved + inbound. Days of cover = ATP ÷ forecast daily demand.",
                as_of=f"{plan_as_of:%Y-%m-%d}",
                n=f"{counts['positions']:,}",
            )
        )
    # Lists are capped; a planner works from the top of each.
    limit = 500
    columns = {
        "warehouse_code": st.column_config.TextColumn(t("Warehouse")),
        "sku": st.column_config.TextColumn("SKU"),
        "product_name": st.column_config.TextColumn(t("Product")),
        "product_category": st.column_config.TextColumn(t("Category")),
        "atp": st.column_config.NumberColumn(t("ATP"), format="%.0f"),
        "forecast_daily_demand": st.column_config.NumberColumn(t("Demand / day"), format="%.2f"),
        "days_of_cover": st.column_config.NumberColumn(t("Days of cover"), format="%.0f"),
        "stockout_date": st.column_config.DateColumn(t("Stock-out date"), format="YYYY-MM-DD"),
        "lead_time_days": st.column_config.NumberColumn(t("Lead time (days)"), format="%d"),
        "safety_stock": st.column_config.NumberColumn(t("Safety stock"), format="%.0f"),
        "reorder_point": st.column_config.NumberColumn(t("Reorder point"), format="%.0f"),
        "forecast_28d": st.column_config.NumberColumn(t("Forecast 28 days"), format="%.0f"),
        "proposal_type": st.column_config.TextColumn(t("Proposal")),
        "proposal_qty": st.column_config.NumberColumn(t("Qty"), format="%.0f"),
        "proposal_date": st.column_config.DateColumn(t("Order by"), format="YYYY-MM-DD"),
    }

    st.markdown(t("**Stock-out risk** (soonest first)"))
    at_risk = query(
        "select warehouse_code, sku, product_name, product_category, atp, forecast_daily_demand, "
        "days_of_cover, stockout_date, lead_time_days, reorder_point, proposal_type, proposal_qty, "
        f"proposal_date {base} and is_stockout_risk "
        "order by stockout_date nulls last, days_of_cover nulls last, warehouse_code, sku limit ?",
        (*params, limit),
    )
    if at_risk.empty:
        st.success(t("No SKU is at risk of a stock-out within its lead time for this selection."))
    else:
        st.dataframe(with_proposal_words(at_risk), hide_index=True, width="stretch", column_config=columns)

    st.markdown(t("**Overstock** (most days of cover first)"))
    overstock = query(
        "select warehouse_code, sku, product_name, product_category, atp, forecast_daily_demand, "
        f"days_of_cover, forecast_28d {base} and is_overstock "
        "order by days_of_cover desc nulls first, atp desc, warehouse_code, sku limit ?",
        (*params, limit),
    )
    if overstock.empty:
        st.success(t("No overstocked SKU for this selection."))
    else:
        st.dataframe(overstock, hide_index=True, width="stretch", column_config=columns)
        st.caption(t("An empty days of cover means no demand is expected: the stock is not selling."))

    st.markdown(t("**Replenishment and production proposals** (by order date)"))
    proposals = query(
        "select proposal_date, proposal_type, proposal_qty, warehouse_code, sku, product_name, "
        "product_category, atp, reorder_point, safety_stock, lead_time_days, stockout_date "
        f"{base} and proposal_qty > 0 order by proposal_date, proposal_type, warehouse_code, sku limit ?",
        (*params, limit),
    )
    if proposals.empty:
        st.success(t("Nothing to order or produce for this selection: every ATP is above its reorder point."))
    else:
        st.dataframe(with_proposal_words(proposals), hide_index=True, width="stretch", column_config=columns)
    if max(counts["at_risk"], counts["overstocked"], counts["proposals"]) > limit:
        st.caption(t("Each list shows its first {n} rows.", n=limit))

# --- Inventory turnover -------------------------------------------------------------------------------
st.subheader(t("Inventory turnover by category"))
if not present["inventory_turnover"]:
    missing("inventory_turnover", t("inventory turnover"))
else:
    turnover = query(
        "select product_category, turnover_days, benchmark_days, band_low, band_high, status "
        "from forecasting.inventory_turnover "
        "where as_of = (select max(as_of) from forecasting.inventory_turnover) and level = 'category' "
        "order by turnover_days desc nulls last",
    )
    if turnover.empty:
        st.info(t("No category turnover in this warehouse (no cost of goods sold in the last 365 days)."))
    else:
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
                    name=BAND_NAMES[name],
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
        st.plotly_chart(figure, width="stretch", key="fc_turnover")
        st.caption(
            t(
                "Days of stock held over the last 365 days, per category. The black marker is the industry "
                "benchmark and its whiskers the target band: above the band ties up cash, below it risks "
                "stock-outs."
            )
        )
