"""The seven KPI cards of the overview: each value against its target, what it ignores, its trend.

Targets and the benchmark are read from the editable seeds ``kpi_targets`` and ``industry_benchmarks``.
Cycle time and first response are means (Σ ÷ count, so they add up over filters), first response over
answered tickets. Filters a KPI cannot follow are named under its card whenever one of them is set, never
dropped silently: OEE follows only the work center (the company has one plant); inventory days ignore the
channel and work center; first response follows only the channel; the order KPIs ignore the work center.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.charts.overview import trend_figure
from dashboards.formatting import STATUS_COLOURS, fmt_days, fmt_minutes, fmt_money, fmt_percent
from dashboards.i18n import t
from dashboards.queries import overview as q
from dashboards.queries.inventory_days import inventory_days
from kpis.formulas import Ratio, target_status

KPIS = (
    "otd_rate",
    "otif_rate",
    "fill_rate",
    "order_cycle_time",
    "oee",
    "inventory_days",
    "cs_first_response",
)


# Label tables are functions: a page run translates them into the session's language.
def filter_labels() -> dict[str, str]:
    return {
        "channels": t("channel"),
        "categories": t("category"),
        "work_centers": t("work center"),
        "warehouses": t("warehouse"),
    }


def kpi_labels() -> dict[str, str]:
    return {
        "otd_rate": t("On-time delivery"),
        "otif_rate": t("OTIF"),
        "fill_rate": t("Fill rate"),
        "order_cycle_time": t("Order cycle time"),
        "oee": t("OEE"),
        "inventory_days": t("Inventory days"),
        "cs_first_response": t("First response time"),
    }


def status_labels() -> dict[str, str]:
    return {"on_target": t("On target"), "off_target": t("Off target"), "info": t("No target")}


def ratio(numerator: float, denominator: float) -> float | None:
    """Σ numerator ÷ Σ denominator; None (shown as –) when there is nothing to divide by."""
    return Ratio(float(numerator), float(denominator)).value


def total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if len(frame) else 0.0


class Targets:
    """The KPI targets and directions from seeds.kpi_targets (editable, never in code)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def of(self, kpi: str) -> tuple[float | None, str]:
        if kpi not in self.frame.index:
            return None, "min"
        row = self.frame.loc[kpi]
        value = None if pd.isna(row["target"]) else float(row["target"])
        return value, str(row["direction"])

    def text(self, kpi: str, fmt: Callable[[float], str]) -> tuple[float | None, str, str]:
        target, direction = self.of(kpi)
        if target is None:
            return None, direction, t("No target set")
        sign = "≥" if direction == "min" else "≤"
        return target, direction, t("Target {sign} {target}", sign=sign, target=fmt(target))


@dataclass(frozen=True)
class Band:
    """The inventory-days band around the industry benchmark (no benchmark: no band)."""

    low: float | None
    high: float | None
    text: str

    @classmethod
    def from_benchmark(cls, benchmark: pd.DataFrame) -> Band:
        if not len(benchmark):
            return cls(None, None, t("No industry benchmark for the company's industry"))
        bench = benchmark.iloc[0]
        low = float(bench["band_low_factor"]) * float(bench["value"])
        high = float(bench["band_high_factor"]) * float(bench["value"])
        text = t(
            "Band {low:.0f}–{high:.0f} days (benchmark {value:.0f} days ± 20 %)",
            low=low,
            high=high,
            value=float(bench["value"]),
        )
        return cls(low, high, text)


@dataclass
class Kpi:
    """What one card shows: the value, its status against the target, the trend and what it ignores."""

    key: str
    label: str
    value: float | None
    shown: str
    status: str
    target_text: str
    detail: str
    ignores: list[str]
    trend: pd.DataFrame
    scale: float = 1.0
    axis: str = ""
    target_lines: tuple[float | None, float | None] = (None, None)
    band: bool = False


def trend(
    frame: pd.DataFrame, bucket: str, numerator: str, denominator: str, factor: float = 1.0
) -> pd.DataFrame:
    """Per bucket: factor × Σ numerator ÷ Σ denominator (buckets without a denominator are left out)."""
    rows = frame[frame[denominator] > 0]
    label = "%m-%d" if bucket == "week" else "%Y-%m"
    return pd.DataFrame(
        {
            "bucket": pd.to_datetime(rows["bucket"]).dt.strftime(label),
            "value": factor * rows[numerator].astype(float) / rows[denominator],
        }
    )


class Headline:
    """The seven KPIs for the filters: one query per daily mart by trend bucket, then Σ ÷ Σ per KPI."""

    def __init__(self, filters: q.Filters, bucket: str, targets: Targets, band: Band) -> None:
        self.filters, self.bucket, self.targets, self.band = filters, bucket, targets, band
        self.delivery = q.delivery_by_bucket(filters, bucket)
        self.fill = q.fill_by_bucket(filters, bucket)
        self.machines = q.machines_by_bucket(filters, bucket)
        self.inventory = q.inventory_by_bucket(filters, bucket)
        self.tickets = q.tickets_by_bucket(filters, bucket)
        self.labels = kpi_labels()
        self.delivered = total(self.delivery, "delivered")
        self.stock_days = total(self.inventory, "days")

    def kpis(self) -> dict[str, Kpi]:
        return {
            "otd_rate": self.otd(),
            "otif_rate": self.otif(),
            "fill_rate": self.fill_rate(),
            "order_cycle_time": self.cycle_time(),
            "oee": self.oee(),
            "inventory_days": self.inventory_days(),
            "cs_first_response": self.first_response(),
        }

    def ignored(self, *names: str) -> list[str]:
        """The filters a KPI cannot follow, among those the user set (shown under its card)."""
        labels = filter_labels()
        return [labels[name] for name in names if getattr(self.filters, name)]

    def trend(
        self, frame: pd.DataFrame, numerator: str, denominator: str, factor: float = 1.0
    ) -> pd.DataFrame:
        return trend(frame, self.bucket, numerator, denominator, factor)

    def rate(
        self, key: str, frame: pd.DataFrame, ncol: str, dcol: str, detail: str, ignores: list[str]
    ) -> Kpi:
        """A share (OTD, OTIF, fill rate, OEE) against a ``min`` or ``max`` target."""
        value = ratio(total(frame, ncol), total(frame, dcol))
        target, direction, text = self.targets.text(key, lambda v: fmt_percent(v, 0))
        status = target_status(value, direction, target)
        return Kpi(
            key,
            self.labels[key],
            value,
            fmt_percent(value),
            status,
            text,
            detail,
            ignores,
            self.trend(frame, ncol, dcol),
            scale=100.0,
            axis="%",
            target_lines=(target, None),
        )

    def otd(self) -> Kpi:
        on_time = total(self.delivery, "on_time")
        detail = t(
            "{on_time:,.0f} of {delivered:,.0f} delivered orders on time",
            on_time=on_time,
            delivered=self.delivered,
        )
        return self.rate(
            "otd_rate", self.delivery, "on_time", "delivered", detail, self.ignored("work_centers")
        )

    def otif(self) -> Kpi:
        detail = t(
            "{otif:,.0f} of {delivered:,.0f} delivered orders on time and in full ({in_full:,.0f} in full)",
            otif=total(self.delivery, "otif"),
            delivered=self.delivered,
            in_full=total(self.delivery, "in_full"),
        )
        return self.rate(
            "otif_rate", self.delivery, "otif", "delivered", detail, self.ignored("work_centers")
        )

    def fill_rate(self) -> Kpi:
        detail = t(
            "{filled:,.0f} of {ordered:,.0f} units shipped complete on the first shipment (by order date)",
            filled=total(self.fill, "filled"),
            ordered=total(self.fill, "ordered"),
        )
        return self.rate("fill_rate", self.fill, "filled", "ordered", detail, self.ignored("work_centers"))

    def oee(self) -> Kpi:
        ppt = total(self.machines, "ppt")
        parts = {
            part: ratio(total(self.machines, part), ppt)
            for part in ("availability", "performance", "quality")
        }
        detail = t(
            "Availability {a} × performance {p} × quality {q}",
            a=fmt_percent(parts["availability"]),
            p=fmt_percent(parts["performance"]),
            q=fmt_percent(parts["quality"]),
        )
        return self.rate(
            "oee", self.machines, "oee", "ppt", detail, self.ignored("channels", "categories", "warehouses")
        )

    def cycle_time(self) -> Kpi:
        """Mean days from order to delivery (Σ hours ÷ delivered orders, so it adds up over filters)."""
        days = ratio(total(self.delivery, "cycle_time_hours"), 24 * self.delivered)
        target, direction, text = self.targets.text("order_cycle_time", lambda v: fmt_days(v, 1))
        return Kpi(
            "order_cycle_time",
            self.labels["order_cycle_time"],
            days,
            fmt_days(days, 1),
            target_status(days, direction, target),
            text,
            t("Mean of delivered − ordered over {n:,.0f} delivered orders", n=self.delivered),
            self.ignored("work_centers"),
            self.trend(self.delivery, "cycle_time_hours", "delivered", 1 / 24),
            axis=t("days"),
            target_lines=(target, None),
        )

    def inventory_days(self) -> Kpi:
        """Σ stock value ÷ Σ COGS over the range, against the benchmark band."""
        band, f = self.band, self.filters
        # the same query as the drill-down and the forecast page's turnover chart
        whole = inventory_days(f.start, f.end, (), f.categories, f.warehouses, (band.low, band.high)).iloc[0]
        days, cogs, stock_sum = float(whole["days"]), float(whole["cogs"]), float(whole["inventory_value"])
        dio = None if pd.isna(whole["inventory_days"]) else float(whole["inventory_days"])
        detail = t(
            "Average stock {stock} at cost; COGS {cogs} over {days:.0f} days",
            stock=fmt_money(stock_sum / days if days else None),
            cogs=fmt_money(cogs),
            days=days,
        )
        return Kpi(
            "inventory_days",
            self.labels["inventory_days"],
            dio,
            fmt_days(dio),
            target_status(dio, "band", low=band.low, high=band.high),
            band.text,
            detail,
            self.ignored("channels", "work_centers"),
            self.trend(self.inventory[self.inventory["cogs"] > 0], "inventory_value", "cogs"),
            axis=t("days"),
            target_lines=(band.low, band.high),
            band=True,
        )

    def first_response(self) -> Kpi:
        """Mean minutes to the first response over answered tickets."""
        answered = total(self.tickets, "answered")
        response = ratio(total(self.tickets, "minutes"), answered)
        target, direction, text = self.targets.text("cs_first_response", fmt_minutes)
        detail = t(
            "Mean over {answered:,.0f} answered tickets; {open:,.0f} not answered yet",
            answered=answered,
            open=total(self.tickets, "tickets") - answered,
        )
        return Kpi(
            "cs_first_response",
            self.labels["cs_first_response"],
            response,
            fmt_minutes(response),
            target_status(response, direction, target),
            text,
            detail,
            self.ignored("categories", "work_centers", "warehouses"),
            self.trend(self.tickets, "minutes", "answered"),
            axis=t("min"),
            target_lines=(target, None),
        )


def card(kpi: Kpi, bucket: str) -> None:
    with st.container(border=True):
        st.metric(kpi.label, kpi.shown)
        colour = STATUS_COLOURS.get(kpi.status, STATUS_COLOURS["info"])
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>● {status_labels()[kpi.status]}</span> · "
            f"{kpi.target_text}",
            unsafe_allow_html=True,
        )
        if kpi.value is None:
            st.caption(t("No data for these filters in this range."))
        else:
            st.caption(kpi.detail)
        if kpi.ignores:
            st.caption(t("Not filtered by: {filters}", filters=", ".join(kpi.ignores)))
        if len(kpi.trend):
            figure = trend_figure(
                kpi.trend,
                kpi.label,
                scale=kpi.scale,
                axis=kpi.axis,
                bucket=bucket,
                target_lines=kpi.target_lines,
                band=kpi.band,
            )
            # Hover stays; the toolbar (seven of them, each a row of buttons) is what slowed the page.
            st.plotly_chart(
                figure, width="stretch", key=f"overview_trend_{kpi.key}", config={"displayModeBar": False}
            )
