"""Pieces every page shows: the title with the data-freshness line, and the company's settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboards.i18n import t
from dashboards.warehouse import query, table_exists

DEFAULT_TIME_ZONE = "Asia/Shanghai"
DEFAULT_CURRENCY = "CNY"


def company_setting(name: str, default: str) -> str:
    if not table_exists("seeds", "company_profile"):
        return default
    found = query("select value from seeds.company_profile where setting = ?", (name,))
    return default if found.empty else str(found["value"].iloc[0])


def company_zone() -> ZoneInfo:
    return ZoneInfo(company_setting("time_zone", DEFAULT_TIME_ZONE))


def to_company_time(utc: pd.Series | pd.Timestamp) -> pd.Series | pd.Timestamp:
    """Naive UTC timestamps (as stored) → naive timestamps in the company's zone, for display."""
    zone = company_zone()
    if isinstance(utc, pd.Series):
        return pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)
    return pd.Timestamp(utc).tz_localize("UTC").tz_convert(zone).tz_localize(None)


def source_freshness() -> pd.DataFrame:
    """Per source: when a file with new data was last landed (UTC) and how many files it has."""
    if not table_exists("landing", "file_ledger"):
        return pd.DataFrame(columns=["source", "last_landed_at", "files"])
    return query(
        "select source, max(landed_at) filter (where status in ('loaded', 'replaced')) as last_landed_at, "
        "count(*) filter (where status in ('loaded', 'replaced', 'unchanged')) as files "
        "from landing.file_ledger group by source order by source"
    )


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
