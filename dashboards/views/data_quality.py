"""Data quality for data engineers: the latest Great Expectations results per source system, how fresh
each source is (landed files and the raw tables they loaded), the file ledger and the quarantine of the
landing zone.

Reads only the published warehouse. The ledger and quarantine tables come with the landing change;
until a warehouse has them, the page says so instead of failing. Times are shown in the company's zone
(stored in UTC).
"""

from __future__ import annotations

import streamlit as st

from dashboards.components import page_header
from dashboards.i18n import t
from dashboards.queries import data_quality as q
from dashboards.queries.common import source_freshness
from dashboards.sections.data_quality import expectations_section, in_company_time, show_table

ALL_SOURCES = "All sources"

page_header(t("Data quality"))

st.subheader(t("Expectations per source system"))
if not q.has_landing_table("dq_results"):
    st.info(
        t(
            "No data-quality results in this warehouse yet. The Great Expectations checks write them to "
            "`landing.dq_results` on every `omniops run`; run the pipeline and reload this page."
        )
    )
else:
    results = q.latest_results()
    if not results.empty:
        expectations_section(results)

st.subheader(t("Freshness per source"))
raw = q.raw_freshness()
landed = source_freshness()
if raw.empty and landed.empty:
    st.info(t("No raw tables in this warehouse yet: nothing has been landed."))
else:
    fresh = landed.merge(raw, on="source", how="outer").sort_values("source")
    show_table(
        in_company_time(fresh, "last_landed_at", "last_loaded_at")[
            ["source", "last_landed_at", "files", "last_loaded_at", "raw_tables"]
        ]
    )
    st.caption(
        t(
            "Last landed: the newest file with new data in the file ledger. Last loaded into raw: the "
            "newest `_loaded_at` in the source's raw tables. A source whose files land but whose raw "
            "tables do not move has a loading problem."
        )
    )

st.subheader(t("File ledger"))
if not q.has_landing_table("file_ledger"):
    st.info(
        t(
            "This warehouse has no file ledger (`landing.file_ledger`) yet: it lists every landed file with "
            "its rows read, loaded and rejected once the landing step records it."
        )
    )
else:
    ledger = q.file_ledger()
    if ledger.empty:
        st.info(t("The file ledger is empty: no file has been landed yet."))
    else:
        totals = st.columns(4)
        totals[0].metric(t("Files"), len(ledger))
        totals[1].metric(t("Rows in"), f"{int(ledger['rows_in'].sum()):,}")
        totals[2].metric(t("Rows loaded"), f"{int(ledger['rows_loaded'].sum()):,}")
        totals[3].metric(t("Rows rejected"), f"{int(ledger['rows_rejected'].sum()):,}")
        st.caption(t("Rows in = rows loaded + rows rejected (rejected rows go to the quarantine below)."))
        show_table(in_company_time(ledger, "landed_at"))

st.subheader(t("Quarantine"))
if not q.has_landing_table("quarantine"):
    st.info(
        t(
            "This warehouse has no quarantine (`landing.quarantine`) yet: once the landing step keeps "
            "rejected lines there, they show here with the reason."
        )
    )
else:
    sources = q.quarantine_sources()
    if not sources:
        st.success(t("Nothing in quarantine: every line of every landed file was loaded."))
    else:
        # Labels fixed in this run: AppTest calls a format_func outside the run, where there is no session.
        labels = {ALL_SOURCES: t("All sources")} | {source: source for source in sources}
        chosen = st.selectbox(
            t("Source"),
            [ALL_SOURCES, *sources],
            format_func=labels.get,
            key="dq_source",
        )
        quarantined = q.quarantined(None if chosen == ALL_SOURCES else chosen)
        st.caption(t("{n} quarantined line(s).", n=f"{len(quarantined):,}"))
        show_table(in_company_time(quarantined, "landed_at"))
