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


STALE_AFTER = pd.Timedelta(days=1)  # a source landed this much before the newest one is named


def freshness_text(sources: list[str], landed: list[pd.Timestamp]) -> tuple[str, list[str]]:
    """The newest landing time once, and the sources landed more than a day before it (named, with their
    own time): one short line instead of the same timestamp once per source."""
    newest = max(landed)
    stale = [
        f"{source} {at:%Y-%m-%d %H:%M}"
        for source, at in zip(sources, landed, strict=True)
        if newest - at > STALE_AFTER
    ]
    return f"{newest:%Y-%m-%d %H:%M}", stale


def freshness_line() -> None:
    """One short caption: when the data was last landed, in company time; every source in its tooltip."""
    fresh = source_freshness().dropna(subset=["last_landed_at"])
    zone = company_zone()
    if fresh.empty:
        st.caption(t("Data freshness: nothing has been landed yet."))
        return
    landed = list(to_company_time(fresh["last_landed_at"]))
    newest, stale = freshness_text(list(fresh["source"]), landed)
    text = t("Last landed {at} ({zone})", at=newest, zone=zone.key)
    if stale:
        text += " · " + t("older: {sources}", sources=", ".join(stale))
    every = " · ".join(f"{s} {at:%Y-%m-%d %H:%M}" for s, at in zip(fresh["source"], landed, strict=True))
    st.caption(text, help=t("Last landed per source: {parts}", parts=every))


ROW_PX, MAX_ROWS_SHOWN = 35, 30


def table_height(rows: int, max_rows: int = MAX_ROWS_SHOWN) -> int:
    """A table's height in pixels showing every row up to ``max_rows`` (Streamlit's default box shows
    about ten and hides the rest behind a scroll bar: 11 warnings looked like 10)."""
    return ROW_PX * (min(max(rows, 1), max_rows) + 1) + 3


def page_header(title: str) -> None:
    """Title and freshness line, the same on every page."""
    st.title(title)
    freshness_line()
