"""Number formatting (units in the session's language) and KPI status colours shared by the pages."""

from __future__ import annotations

import math

from dashboards.i18n import t

STATUS_COLOURS = {"on_target": "#1a7f37", "off_target": "#cf222e", "info": "#57606a"}


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_percent(value: float | None, digits: int = 1) -> str:
    return "–" if is_missing(value) else f"{100 * value:.{digits}f} %"


def fmt_days(value: float | None, digits: int = 0) -> str:
    return "–" if is_missing(value) else t("{n} days", n=f"{value:.{digits}f}")


def fmt_minutes(value: float | None, hours_from: float = 90) -> str:
    """Minutes below ``hours_from``, hours with one decimal from there (response times run from minutes
    to a day)."""
    try:
        value = float(value)
    except (TypeError, ValueError):  # None, pandas' NA
        return "–"
    if math.isnan(value):
        return "–"
    return t("{n} min", n=f"{value:.0f}") if value < hours_from else t("{n} h", n=f"{value / 60:.1f}")


def fmt_money(value: float | None, currency: str = "CNY") -> str:
    if is_missing(value):
        return "–"
    if abs(value) >= 1e6:
        return f"{currency} {value / 1e6:.2f} M"
    if abs(value) >= 1e3:
        return f"{currency} {value / 1e3:.1f} k"
    return f"{currency} {value:.0f}"


# The characters that change inline Markdown (emphasis, code, links, HTML, maths, tables, strikethrough).
_MARKDOWN_SPECIAL = "\\`*_[]<>|~$"


def escape_markdown(text: str) -> str:
    """Data shown inside ``st.markdown``/``st.caption`` as it is: a masked ``+121***73`` beside
    ``a***@example.com`` would otherwise turn into italics and lose its asterisks."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)
