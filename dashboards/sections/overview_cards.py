"""The seven KPI cards of the overview: each value against its target, what it ignores, its trend.

Targets and the benchmark are read from the editable seeds ``kpi_targets`` and ``industry_benchmarks``.
Cycle time and first response are means (Σ ÷ count, so they add up over filters), first response over
answered tickets. Filters a KPI cannot follow are named under its card whenever one of them is set, never
dropped silently: OEE follows only the work center (the company has one plant); inventory days ignore the
channel and work center; first response follows only the channel; the order KPIs ignore the work center.

Each card also shows the change against the previous period (``overview_periods.previous_range``) and
the latest seven days of the range with their direction against the seven before. A card says "on target"
only when the latest seven days are on target too: a month on target whose last week is not is
"slipping" (amber), never green.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dashboards.charts.overview import trend_figure
from dashboards.formatting import (
    DURATION_UNITS,
    STATUS_COLOURS,
    fmt_duration,
    fmt_money,
    fmt_percent,
    kpi_delta,
    unit_label,
)
from dashboards.i18n import t
from dashboards.queries import overview as q
from dashboards.queries.inventory_days import inventory_days
from dashboards.sections.overview_periods import Range, latest_weeks
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
    return {
        "on_target": t("On target"),
        "off_target": t("Off target"),
        "slipping": t("On target for the period, off target in the latest 7 days"),
        "info": t("No target"),
    }


def card_status(period: str, latest: str) -> str:
    """The card's status: "on target" only when the latest seven days are on target as well (or have no
    data); a period on target whose latest week is off target is ``slipping``."""
    if period == "on_target" and latest == "off_target":
        return "slipping"
    return period


def direction(latest: float | None, before: float | None) -> str:
    """``up``, ``down`` or ``flat`` (within 0.5 % of the week before), ``""`` without both values."""
    if latest is None or before is None:
        return ""
    if abs(latest - before) <= 0.005 * max(abs(before), 1e-9):
        return "flat"
    return "up" if latest > before else "down"


ARROWS = {"up": "↑", "down": "↓", "flat": "→", "": ""}


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
    fmt: Callable[[float | None], str] = fmt_percent
    previous: float | None = None
    latest: float | None = None
    week_before: float | None = None
    lower_is_better: bool | None = None

    def change(self, before: float | None) -> str | None:
        """The signed change from ``before``, in the card's unit (points for shares)."""
        if self.value is None or before is None:
            return None
        if self.scale == 100.0:
            return t("{n} pts", n=f"{100 * (self.value - before):+.1f}")
        digits = 1 if self.key == "order_cycle_time" else 0  # as the value itself
        return f"{self.value - before:+,.{digits}f} {unit_label(self.axis_unit)}"

    @property
    def axis_unit(self) -> str:
        return DURATION_UNITS.get(self.key, "%")


def days_text(value: float | None) -> str:
    """Order cycle time: always days, one decimal."""
    return fmt_duration(value, "days", 1)


def minutes_text(value: float | None) -> str:
    """First response: always minutes (its target is in minutes), on the card, the trend and the target."""
    return fmt_duration(value, "min")


def trend(
    frame: pd.DataFrame, bucket: str, numerator: str, denominator: str, factor: float = 1.0
) -> pd.DataFrame:
    """Per bucket: factor × Σ numerator ÷ Σ denominator (buckets without a denominator are left out)."""
    rows = frame[frame[denominator] > 0]
    label = "%Y-%m-%d" if bucket == "week" else "%Y-%m"
    return pd.DataFrame(
        {
            "bucket": pd.to_datetime(rows["bucket"]).dt.strftime(label),
            "value": factor * rows[numerator].astype(float) / rows[denominator],
        }
    )


class Sums:
    """Σ numerators and Σ denominators of the seven KPIs over a range: one query per daily mart."""

    def __init__(self, filters: q.Filters, bucket: str = "month") -> None:
        self.delivery = q.delivery_by_bucket(filters, bucket)
        self.fill = q.fill_by_bucket(filters, bucket)
        self.machines = q.machines_by_bucket(filters, bucket)
        self.inventory = q.inventory_by_bucket(filters, bucket)
        self.tickets = q.tickets_by_bucket(filters, bucket)

    def values(self) -> dict[str, float | None]:
        """The seven KPIs: shares Σ ÷ Σ; cycle time Σ hours ÷ (24 × delivered); inventory days Σ stock
        value ÷ Σ COGS; first response Σ minutes ÷ answered tickets."""
        delivered = total(self.delivery, "delivered")
        cogs = total(self.inventory, "cogs")
        return {
            "otd_rate": ratio(total(self.delivery, "on_time"), delivered),
            "otif_rate": ratio(total(self.delivery, "otif"), delivered),
            "fill_rate": ratio(total(self.fill, "filled"), total(self.fill, "ordered")),
            "order_cycle_time": ratio(total(self.delivery, "cycle_time_hours"), 24 * delivered),
            "oee": ratio(total(self.machines, "oee"), total(self.machines, "ppt")),
            "inventory_days": ratio(total(self.inventory, "inventory_value"), cogs) if cogs > 0 else None,
            "cs_first_response": ratio(total(self.tickets, "minutes"), total(self.tickets, "answered")),
        }


def with_range(filters: q.Filters, span: Range) -> q.Filters:
    return replace(filters, start=span.start, end=span.end)


class Headline(Sums):
    """The seven KPIs for the filters: by trend bucket over the range, then Σ ÷ Σ per KPI; the same
    sums over the previous period, the latest seven days and the seven before."""

    def __init__(
        self, filters: q.Filters, bucket: str, targets: Targets, band: Band, previous: Range | None = None
    ) -> None:
        super().__init__(filters, bucket)
        self.filters, self.bucket, self.targets, self.band = filters, bucket, targets, band
        self.labels = kpi_labels()
        self.delivered = total(self.delivery, "delivered")
        self.stock_days = total(self.inventory, "days")
        self.previous_range = previous
        latest, before = latest_weeks(Range(filters.start, filters.end))
        self.latest_range = latest
        self.previous = Sums(with_range(filters, previous)).values() if previous else {}
        self.latest = Sums(with_range(filters, latest)).values()
        self.week_before = Sums(with_range(filters, before)).values()

    def kpis(self) -> dict[str, Kpi]:
        kpis = {
            "otd_rate": self.otd(),
            "otif_rate": self.otif(),
            "fill_rate": self.fill_rate(),
            "order_cycle_time": self.cycle_time(),
            "oee": self.oee(),
            "inventory_days": self.inventory_days(),
            "cs_first_response": self.first_response(),
        }
        for key, kpi in kpis.items():
            kpi.previous = self.previous.get(key)
            kpi.latest = self.latest.get(key)
            kpi.week_before = self.week_before.get(key)
            target, direction_ = self.targets.of(key)
            if key == "inventory_days":
                latest_status = target_status(kpi.latest, "band", low=self.band.low, high=self.band.high)
            else:
                latest_status = target_status(kpi.latest, direction_, target)
            kpi.status = card_status(kpi.status, latest_status)
            kpi.lower_is_better = None if key == "inventory_days" else direction_ == "max"
        return kpis

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
        """OEE with parts that multiply to it (ratios of time sums: run ÷ PPT, net run ÷ run, fully
        productive ÷ net run), and utilisation and TEEP over the shift time, idle shifts included."""
        machines, shift_minutes = self.machines, total(self.machines, "shift_minutes")
        run, net_run, productive = (total(machines, c) for c in ("run", "net_run", "oee"))
        detail = (
            t(
                "Availability {a} × performance {p} × quality {q}",
                a=fmt_percent(ratio(run, total(machines, "ppt"))),
                p=fmt_percent(ratio(net_run, run)),
                q=fmt_percent(ratio(productive, net_run)),
            )
            + "  \n"
            + t(
                "Utilisation {u} of the shift time (idle shifts included); TEEP {teep}",
                u=fmt_percent(ratio(total(machines, "ppt"), shift_minutes)),
                teep=fmt_percent(ratio(productive, shift_minutes)),
            )
        )
        return self.rate(
            "oee", self.machines, "oee", "ppt", detail, self.ignored("channels", "categories", "warehouses")
        )

    def cycle_time(self) -> Kpi:
        """Mean days from order to delivery (Σ hours ÷ delivered orders, so it adds up over filters)."""
        days = ratio(total(self.delivery, "cycle_time_hours"), 24 * self.delivered)
        target, direction, text = self.targets.text("order_cycle_time", days_text)
        return Kpi(
            "order_cycle_time",
            self.labels["order_cycle_time"],
            days,
            days_text(days),
            target_status(days, direction, target),
            text,
            t("Mean of delivered − ordered over {n:,.0f} delivered orders", n=self.delivered),
            self.ignored("work_centers"),
            self.trend(self.delivery, "cycle_time_hours", "delivered", 1 / 24),
            axis=t("days"),
            target_lines=(target, None),
            fmt=days_text,
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
            fmt_duration(dio, "days"),
            target_status(dio, "band", low=band.low, high=band.high),
            band.text,
            detail,
            self.ignored("channels", "work_centers"),
            self.trend(self.inventory[self.inventory["cogs"] > 0], "inventory_value", "cogs"),
            axis=t("days"),
            target_lines=(band.low, band.high),
            band=True,
            fmt=lambda v: fmt_duration(v, "days"),
        )

    def first_response(self) -> Kpi:
        """Mean minutes to the first response over answered tickets."""
        answered = total(self.tickets, "answered")
        response = ratio(total(self.tickets, "minutes"), answered)
        target, direction, text = self.targets.text("cs_first_response", minutes_text)
        detail = t(
            "Mean over {answered:,.0f} answered tickets; {open:,.0f} not answered yet",
            answered=answered,
            open=total(self.tickets, "tickets") - answered,
        )
        return Kpi(
            "cs_first_response",
            self.labels["cs_first_response"],
            response,
            minutes_text(response),
            target_status(response, direction, target),
            text,
            detail,
            self.ignored("categories", "work_centers", "warehouses"),
            self.trend(self.tickets, "minutes", "answered"),
            axis=t("min"),
            target_lines=(target, None),
            fmt=minutes_text,
        )


def latest_text(kpi: Kpi, latest: Range) -> str:
    """The latest seven days: their value and its direction against the seven before."""
    if kpi.latest is None:
        return t("Latest 7 days ({range}): no data", range=latest.label())
    arrow = ARROWS[direction(kpi.latest, kpi.week_before)]
    return t(
        "Latest 7 days ({range}): {value} {arrow} (7 days before: {before})",
        range=latest.label(),
        value=kpi.fmt(kpi.latest),
        arrow=arrow,
        before=kpi.fmt(kpi.week_before),
    )


def card(kpi: Kpi, bucket: str, latest: Range, previous: Range | None = None) -> None:
    with st.container(border=True):
        comparison = t("vs {range}", range=previous.label()) if previous else ""
        st.metric(
            kpi.label,
            kpi.shown,
            **kpi_delta(kpi.change(kpi.previous), comparison, lower_is_better=kpi.lower_is_better),
        )
        colour = STATUS_COLOURS.get(kpi.status, STATUS_COLOURS["info"])
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>● {status_labels()[kpi.status]}</span> · "
            f"{kpi.target_text}",
            unsafe_allow_html=True,
        )
        if kpi.value is None:
            st.caption(t("No data for these filters in this range."))
        else:
            st.caption(latest_text(kpi, latest))
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
