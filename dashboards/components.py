"""Pieces every page shows: the title with the data-freshness line, and the company's settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboards.i18n import t
from dashboards.queries.common import company_setting, source_freshness

DEFAULT_TIME_ZONE = "Asia/Shanghai"
DEFAULT_CURRENCY = "CNY"


def company_zone() -> ZoneInfo:
    return ZoneInfo(company_setting("time_zone", DEFAULT_TIME_ZONE))


def to_company_time(utc: pd.Series | pd.Timestamp, zone: ZoneInfo | None = None) -> pd.Series | pd.Timestamp:
    """Naive UTC timestamps (as stored) → naive timestamps in the company's zone, for display."""
    zone = zone or company_zone()
    if isinstance(utc, pd.Series):
        return pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)
    return pd.Timestamp(utc).tz_localize("UTC").tz_convert(zone).tz_localize(None)


def freshness_line() -> None:
    """One caption: when each source was last landed, in company time."""
    fresh = source_freshness().dropna(subset=["last_landed_at"])
    zone = company_zone()
    if fresh.empty:
        st.caption(t("Data freshness: nothing has been landed yet."))
        return
    landed = to_company_time(fresh["last_landed_at"])
    parts = " · ".join(
        f"{source} {at:%Y-%m-%d %H:%M}" for source, at in zip(fresh["source"], landed, strict=True)
    )
    st.caption(t("Last landed ({zone}): {parts}", zone=zone.key, parts=parts))


def page_header(title: str) -> None:
    """Title and freshness line, the same on every page."""
    st.title(title)
    freshness_line()
