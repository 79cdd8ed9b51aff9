"""The overview's date presets and the ranges each is compared with.

A preset ends on the data's last day (the warehouse's "today"), except the last complete month. The
previous period is the one a manager compares with: the month before for a month, the same days of the
previous month for month to date, the same days of the previous year for year to date, and otherwise
the range of the same length just before.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from dashboards.i18n import t

PRESETS = ("week", "month_to_date", "last_month", "year_to_date", "last_90_days", "history", "custom")
LATEST_DAYS = 7  # "the latest week" on every card: the last seven days of the range


@dataclass(frozen=True)
class Range:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def preset_labels(last_month: Range | None, month_label: str, first: date, last: date) -> dict[str, str]:
    return {
        "week": t("Last 7 days"),
        "month_to_date": t("Month to date"),
        "last_month": t("Last complete month ({month})", month=month_label) if last_month else "",
        "year_to_date": t("Year to date"),
        "last_90_days": t("Last 90 days"),
        "history": t("Whole history ({start} – {end})", start=first, end=last),
        "custom": t("Custom range"),
    }


def preset_range(preset: str, first: date, last: date, last_month: Range | None) -> Range | None:
    """The range of a preset on data from ``first`` to ``last`` (None for ``custom``)."""
    if preset == "week":
        start = last - timedelta(days=LATEST_DAYS - 1)
    elif preset == "month_to_date":
        start = last.replace(day=1)
    elif preset == "year_to_date":
        start = last.replace(month=1, day=1)
    elif preset == "last_90_days":
        start = last - timedelta(days=89)
    elif preset == "history":
        start = first
    elif preset == "last_month" and last_month is not None:
        return last_month
    else:
        return None
    return Range(max(first, start), last)


def _same_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, or its last day when the month is shorter (31 March → 28/29 February)."""
    return date(year, month, min(day, monthrange(year, month)[1]))


def previous_range(preset: str, current: Range) -> Range:
    """The range ``current`` is compared with (see the module's docstring)."""
    start, end = current.start, current.end
    if preset in ("last_month", "month_to_date"):
        year, month = (start.year - 1, 12) if start.month == 1 else (start.year, start.month - 1)
        before_start = _same_day(year, month, start.day)
        if preset == "last_month":
            return Range(before_start, start - timedelta(days=1))
        return Range(before_start, _same_day(year, month, end.day))
    if preset == "year_to_date":
        return Range(
            _same_day(start.year - 1, start.month, start.day), _same_day(end.year - 1, end.month, end.day)
        )
    return Range(start - timedelta(days=current.days), start - timedelta(days=1))


def latest_weeks(current: Range) -> tuple[Range, Range]:
    """The range's last seven days and the seven before them (a card's latest week and its direction)."""
    latest = Range(current.end - timedelta(days=LATEST_DAYS - 1), current.end)
    before = Range(latest.start - timedelta(days=LATEST_DAYS), latest.start - timedelta(days=1))
    return latest, before
