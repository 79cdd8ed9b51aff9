"""The one place for how the pages write numbers, percentages, durations and dates (units in the session's
language), plain words for technical names, and the KPI status colours."""

from __future__ import annotations

import math

from dashboards.i18n import t

STATUS_COLOURS = {
    "on_target": "#1a7f37",
    "off_target": "#cf222e",
    "slipping": "#9a6700",  # on target for the period, off it in the latest week
    "info": "#57606a",
}
# One unit per duration KPI, stated on its card, its trend and its drill-down (never hours on one and
# minutes on the other).
DURATION_UNITS = {"order_cycle_time": "days", "cs_first_response": "min", "inventory_days": "days"}


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


def fmt_duration(value: float | None, unit: str, digits: int = 0) -> str:
    """A duration in one stated unit (``min``, ``h`` or ``days``): "320 min", "2.5 days"."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(value):
        return "–"
    words = {"min": "{n} min", "h": "{n} h", "days": "{n} days"}
    return t(words[unit], n=f"{value:,.{digits}f}")


def unit_label(unit: str) -> str:
    """A unit as an axis title or a column header shows it."""
    return {"min": t("min"), "h": t("h"), "days": t("days"), "%": "%"}.get(unit, unit)


def fmt_number(value: float | None, digits: int = 0, unit: str | None = None) -> str:
    """A count or amount with thousands separators and, when it has one, its unit after it."""
    if is_missing(value):
        return "–"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}" if unit else text


def fmt_date(value: object) -> str:
    """A day with its year (01-07 alone could be this January or the next)."""
    import pandas as pd

    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


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


def kpi_delta(change: str | None, comparison: str, *, lower_is_better: bool | None) -> dict[str, str]:
    """``st.metric`` arguments for a change against something: the signed number alone as the delta and
    the words beside it (``delta_description``).

    Streamlit reads the arrow from the delta's first character, so words in front of the number (as a
    translation may put them: "较 ATC -3%") would turn a fall into a rise. Green means good for this KPI
    (``lower_is_better``), grey when a change is neither (None).
    """
    if change is None:
        return {}
    if not any(c in "123456789" for c in change):  # no change: no arrow, no colour
        return {"delta": change, "delta_description": comparison, "delta_color": "off", "delta_arrow": "off"}
    colour = "off" if lower_is_better is None else "inverse" if lower_is_better else "normal"
    return {"delta": change, "delta_description": comparison, "delta_color": colour}


def status_note(text: str) -> dict[str, str]:
    """``st.metric`` arguments for words under a value (a solver state, "late"), without an arrow."""
    return {"delta": text, "delta_color": "off", "delta_arrow": "off"}


# ---- plain words for technical names (the technical name goes in a tooltip) ----------------------------
def solver_states() -> dict[str, str]:
    """CP-SAT's status codes (and ``HINT``, the starting plan kept when the solver found none better)."""
    return {
        "OPTIMAL": t("best possible plan"),
        "FEASIBLE": t("good plan, not proven best"),
        "HINT": t("starting plan kept (no better plan in time)"),
        "HEURISTIC": t("rule-based plan"),
        "INFEASIBLE": t("no plan possible"),
        "UNKNOWN": t("no plan found in time"),
    }


def solver_state(code: object) -> str:
    return solver_states().get(str(code), str(code))


def technical_name(code: object) -> str:
    """The tooltip beside a plain word: what the solver or the pipeline calls it."""
    return t("Technical name: {code}", code=code)


def model_names() -> dict[str, str]:
    """The forecasting models (``forecasting/models.py``) in words a planner reads."""
    return {
        "SeasonalNaive": t("same as last season"),
        "Naive": t("same as last period"),
        "AutoETS": t("trend and season (exponential smoothing)"),
        "Theta": t("trend line (Theta)"),
        "CrostonSBA": t("occasional demand (Croston)"),
        "TSB": t("fading occasional demand (TSB)"),
        "Prophet": t("holidays and seasons (Prophet)"),
        "consensus": t("model blended with the sales team (consensus)"),
        "override": t("planner's number (override)"),
    }


def model_name(code: object) -> str:
    return model_names().get(str(code), str(code))


def ticket_categories() -> dict[str, str]:
    """The customer-service ticket categories (``demo_company/cs.py``, the help desk's codes) in words."""
    return {
        "where_is_my_order": t("where is my order"),
        "return_request": t("return request"),
        "damaged_item": t("item arrived damaged"),
        "wrong_item": t("wrong item received"),
        "cancel_request": t("cancellation request"),
        "invoice_request": t("invoice request"),
        "product_question": t("product question"),
    }


def ticket_category(code: object) -> str:
    return ticket_categories().get(str(code), str(code))


# ---- tables and dates -------------------------------------------------------------------------------------
def percent_column(label: str, digits: int = 1) -> object:
    """A table column of shares shown as percentages with one precision; ``as_percent_points`` scales the
    data (Streamlit's own "percent" format drops trailing zeros, so 69.78 %, 66 % and 56.1 % shared a
    column)."""
    import streamlit as st

    return st.column_config.NumberColumn(label, format=f"%.{digits}f %%")


def as_percent_points(values: object) -> object:
    """Shares (0.15) as percent points (15.0) for a ``percent_column``."""
    return values * 100


def fmt_days_left(value: float | None) -> str:
    """Time to a due date in days, in words: "in 2.4 days", "1.2 days overdue"."""
    if is_missing(value):
        return "–"
    if value < 0:
        return t("{n} days overdue", n=f"{-value:.1f}")
    return t("in {n} days", n=f"{value:.1f}")


def fmt_datetime(value: object) -> str:
    """A date and time with its year (a plan or a due date can fall in the next year)."""
    import pandas as pd

    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
