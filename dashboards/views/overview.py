"""KPI overview for managers: OTD, OEE and inventory days against target, and orders by channel."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.formatting import STATUS_COLOURS, fmt_days, fmt_money, fmt_percent, is_missing
from dashboards.warehouse import query

KPI_LABELS = {"otd_rate": "On-time delivery", "oee": "OEE", "inventory_days": "Inventory days"}

st.title("KPI overview")

kpis = query(
    "select kpi, period, period_type, period_start, period_end, is_complete, value, numerator, denominator, "
    "target_low, target_high, status from marts.kpi_monthly order by period_start"
)
freshness = query(
    "select min(order_date) as first_day, max(order_date) as last_day, count(*) as orders "
    "from marts.fct_orders"
).iloc[0]
st.caption(
    f"Data from {freshness['first_day']:%Y-%m-%d} to {freshness['last_day']:%Y-%m-%d} "
    f"({freshness['orders']:,} orders). Dates in company time (Asia/Shanghai); amounts in CNY."
)

months = kpis[kpis["period_type"] == "month"]["period"].drop_duplicates().tolist()
complete = kpis[(kpis["period_type"] == "month") & kpis["is_complete"]]["period"].drop_duplicates().tolist()
default_period = complete[-1] if complete else months[-1]
options = months + ["Whole history"]
period = st.selectbox("Period", options, index=options.index(default_period))
selected = (
    kpis[kpis["period_type"] == "history"] if period == "Whole history" else kpis[kpis["period"] == period]
)
by_kpi = selected.set_index("kpi")


def _previous(kpi: str) -> float | None:
    if period == "Whole history" or months.index(period) == 0:
        return None
    previous = kpis[(kpis["period"] == months[months.index(period) - 1]) & (kpis["kpi"] == kpi)]
    return None if previous.empty else previous["value"].iloc[0]


def _days(row) -> int:
    return max((row["period_end"] - row["period_start"]).days + 1, 1)


def _card(column, kpi: str, fmt, target_text: str, detail: str) -> None:
    row = by_kpi.loc[kpi]
    previous = _previous(kpi)
    delta = None
    if not is_missing(previous) and not is_missing(row["value"]):
        change = row["value"] - previous
        delta = f"{change:+.0f} days" if kpi == "inventory_days" else f"{100 * change:+.1f} pts"
    with column:
        st.metric(
            KPI_LABELS[kpi],
            fmt(row["value"]),
            delta=delta,
            delta_color="off" if kpi == "inventory_days" else "normal",
        )
        colour = STATUS_COLOURS.get(row["status"], STATUS_COLOURS["info"])
        label = {"on_target": "on target", "off_target": "off target"}.get(row["status"], "no target")
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>● {label}</span> · {target_text}",
            unsafe_allow_html=True,
        )
        st.caption(detail)


otd, oee, dio = st.columns(3)
o = by_kpi.loc["otd_rate"]
_card(
    otd,
    "otd_rate",
    fmt_percent,
    f"target ≥ {fmt_percent(o['target_low'], 0)}",
    f"{o['numerator']:,.0f} of {o['denominator']:,.0f} delivered orders on time",
)
e = by_kpi.loc["oee"]
parts = " × ".join(
    f"{name[0].upper()} {fmt_percent(by_kpi.loc[f'oee_{name}', 'value'], 0)}"
    for name in ("availability", "performance", "quality")
)
_card(oee, "oee", fmt_percent, f"target ≥ {fmt_percent(e['target_low'], 0)}", parts)
d = by_kpi.loc["inventory_days"]
_card(
    dio,
    "inventory_days",
    fmt_days,
    f"band {d['target_low']:.0f}–{d['target_high']:.0f} days (±20 % of benchmark)",
    f"average stock {fmt_money(d['numerator'] / _days(d))} at cost; COGS {fmt_money(d['denominator'])}",
)

st.subheader("Trend")
monthly = kpis[(kpis["period_type"] == "month") & kpis["kpi"].isin(KPI_LABELS)]
# A first month with only a few days of history would distort the trend; the current month stays.
if len(months) > 1 and not kpis[kpis["period"] == months[0]]["is_complete"].iloc[0]:
    monthly = monthly[monthly["period"] != months[0]]
trend_columns = st.columns(3)
for column, (kpi, label) in zip(trend_columns, KPI_LABELS.items(), strict=True):
    rows = monthly[monthly["kpi"] == kpi]
    scale = 1 if kpi == "inventory_days" else 100
    figure = go.Figure()
    figure.add_scatter(x=rows["period"], y=rows["value"] * scale, mode="lines+markers", name=label)
    low = rows["target_low"].dropna()
    if not low.empty:
        figure.add_hline(y=low.iloc[-1] * scale, line_dash="dash", line_color="#cf222e")
    high = rows["target_high"].dropna()
    if not high.empty:
        figure.add_hline(y=high.iloc[-1] * scale, line_dash="dash", line_color="#cf222e")
    figure.update_layout(
        title=label,
        height=260,
        margin=dict(l=10, r=10, t=40, b=10),
        showlegend=False,
        yaxis_title="days" if kpi == "inventory_days" else "%",
    )
    with column:
        st.plotly_chart(figure, use_container_width=True)

st.subheader("Orders by channel")
channel_months = query(
    "select strftime(order_date, '%Y-%m') as month, c.channel_name as channel, count(*) as orders, "
    "sum(order_amount_reporting) as revenue_cny "
    "from marts.fct_orders o join marts.dim_channels c using (channel) "
    "where order_status <> 'cancelled' group by all order by month"
)
figure = px.bar(channel_months, x="month", y="orders", color="channel", height=340)
figure.update_layout(margin=dict(l=10, r=10, t=10, b=10), legend_title_text="")
st.plotly_chart(figure, use_container_width=True)
totals = query(
    "select c.channel_name as channel, count(*) as orders, "
    "sum(order_amount_reporting) as revenue_cny, "
    "avg(cast(is_delivered_on_time as int)) as on_time "
    "from marts.fct_orders o join marts.dim_channels c using (channel) "
    "where order_status <> 'cancelled' group by all order by orders desc"
)
st.dataframe(
    totals,
    hide_index=True,
    column_config={
        "channel": st.column_config.TextColumn("Channel"),
        "orders": st.column_config.NumberColumn("Orders", format="%d"),
        "revenue_cny": st.column_config.NumberColumn("Revenue (CNY)", format="%.0f"),
        "on_time": st.column_config.ProgressColumn(
            "On-time delivery (whole history)", format="percent", min_value=0, max_value=1
        ),
    },
    use_container_width=True,
)
