"""Data quality for data engineers: the latest Great Expectations results per source system, how fresh
each source is (landed files and the raw tables they loaded), the file ledger and the quarantine of the
landing zone.

Reads only the published warehouse. The ledger and quarantine tables come with the landing change;
until a warehouse has them, the page says so instead of failing. Times are shown in the company's zone
(stored in UTC).
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards.components import company_zone, page_header, source_freshness, to_company_time
from dashboards.i18n import t
from dashboards.warehouse import query, table_exists

ALL_SOURCES = "All sources"
# The page is a script Streamlit reruns, so texts built at its top follow the session's language.
RESULTS = {"passed": t("passed"), "warnings": t("warnings"), "critical failure": t("critical failure")}
KINDS = {True: t("critical"), False: t("warning")}
ZONE = company_zone().key
HEADERS = {
    "source": t("Source"),
    "raw_table": t("Raw table"),
    "raw_tables": t("Raw tables"),
    "file_path": t("File"),
    "status": t("Status"),
    "rows_read": st.column_config.NumberColumn(t("Rows read"), format="%d"),
    "rows_loaded": st.column_config.NumberColumn(t("Rows loaded"), format="%d"),
    "rows_rejected": st.column_config.NumberColumn(t("Rows rejected"), format="%d"),
    "rows_in": st.column_config.NumberColumn(t("Rows in"), format="%d"),
    "size_bytes": st.column_config.NumberColumn(t("Size (bytes)"), format="%d"),
    "sha256": "SHA-256",
    "error_text": t("Error"),
    "landed_at": st.column_config.DatetimeColumn(t("Landed ({zone})", zone=ZONE), format="YYYY-MM-DD HH:mm"),
    "last_landed_at": st.column_config.DatetimeColumn(
        t("Last landed ({zone})", zone=ZONE), format="YYYY-MM-DD HH:mm"
    ),
    "last_loaded_at": st.column_config.DatetimeColumn(
        t("Last loaded into raw ({zone})", zone=ZONE), format="YYYY-MM-DD HH:mm"
    ),
    "files": st.column_config.NumberColumn(t("Files"), format="%d"),
    "line_number": st.column_config.NumberColumn(t("Line"), format="%d"),
    "reason": t("Reason"),
    "raw_text": t("Raw text"),
    "result": t("Result"),
    "expectations": st.column_config.NumberColumn(t("Expectations"), format="%d"),
    "failed_critical": st.column_config.NumberColumn(t("Critical failed"), format="%d"),
    "failed_other": st.column_config.NumberColumn(t("Warnings"), format="%d"),
    "unexpected": st.column_config.NumberColumn(t("Unexpected values"), format="%d"),
    "checked_at": st.column_config.DatetimeColumn(
        t("Checked ({zone})", zone=ZONE), format="YYYY-MM-DD HH:mm"
    ),
    "critical": t("Critical"),
    "expectation": t("Expectation"),
    "column": t("Column"),
    "unexpected_count": st.column_config.NumberColumn(t("Unexpected values"), format="%d"),
    "element_count": st.column_config.NumberColumn(t("Values checked"), format="%d"),
    "example_values": t("Examples"),
}


def show_table(frame: pd.DataFrame) -> None:
    """A table with the page's headers in the user's language."""
    config = {column: HEADERS[column] for column in frame.columns if column in HEADERS}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


def in_company_time(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{column: to_company_time(frame[column]) for column in columns})


def raw_freshness() -> pd.DataFrame:
    """Last load time and table count per source system, from the lineage column every raw table carries."""
    tables = query(
        "select table_name from information_schema.columns "
        "where table_schema = 'raw' and column_name = '_loaded_at' order by table_name"
    )["table_name"].tolist()
    if not tables:
        return pd.DataFrame(columns=["source", "raw_tables", "last_loaded_at"])
    # The names come from the catalog, never from user input, so they may be spliced into the SQL.
    union = " union all ".join(
        f"select '{name.split('__')[0]}' as source, max(_loaded_at) as loaded from raw.\"{name}\""
        for name in tables
    )
    return query(
        "select source, count(*) as raw_tables, max(loaded) as last_loaded_at "
        f"from ({union}) group by source order by source"
    )


page_header(t("Data quality"))

st.subheader(t("Expectations per source system"))
if not table_exists("landing", "dq_results"):
    st.info(
        t(
            "No data-quality results in this warehouse yet. The Great Expectations checks write them to "
            "`landing.dq_results` on every `omniops run`; run the pipeline and reload this page."
        )
    )
    results = pd.DataFrame()
else:
    # The latest run of each source's checks (a run may have checked only some sources).
    results = query(
        "with latest as (select source, arg_max(run_id, checked_at) as run_id "
        "from landing.dq_results group by source) "
        'select r.source, r.raw_table, r.expectation, r."column", r.critical, r.success, '
        "r.unexpected_count, r.element_count, r.example_values, r.checked_at "
        "from landing.dq_results r join latest using (source, run_id)"
    )

if not results.empty:
    failed = results[~results["success"]]
    failed_critical = int((failed["critical"]).sum())
    failed_other = int((~failed["critical"]).sum())
    cards = st.columns(4)
    cards[0].metric(t("Sources checked"), results["source"].nunique())
    cards[1].metric(t("Expectations"), len(results))
    cards[2].metric(t("Critical failures"), failed_critical)
    cards[3].metric(t("Warnings"), failed_other)

    summary = (
        results.assign(
            failed_critical=~results["success"] & results["critical"],
            failed_other=~results["success"] & ~results["critical"],
            unexpected=results["unexpected_count"].where(~results["success"], 0).fillna(0),
        )
        .groupby("source", as_index=False)
        .agg(
            expectations=("expectation", "size"),
            failed_critical=("failed_critical", "sum"),
            failed_other=("failed_other", "sum"),
            unexpected=("unexpected", "sum"),
            checked_at=("checked_at", "max"),
        )
    )
    summary["result"] = RESULTS["passed"]
    summary.loc[summary["failed_other"] > 0, "result"] = RESULTS["warnings"]
    summary.loc[summary["failed_critical"] > 0, "result"] = RESULTS["critical failure"]
    summary = summary.sort_values(
        ["failed_critical", "failed_other", "source"], ascending=[False, False, True]
    )
    show_table(
        in_company_time(summary, "checked_at")[
            [
                "source",
                "result",
                "expectations",
                "failed_critical",
                "failed_other",
                "unexpected",
                "checked_at",
            ]
        ]
    )
    st.caption(
        t(
            "Critical expectations (required columns, keys filled and unique within each file) stop the run "
            "before dbt; the others (numbers and times in range, statuses known) only warn."
        )
    )

    st.subheader(t("Failed expectations"))
    if failed.empty:
        st.success(t("All {n} expectations passed in the latest check of every source.", n=len(results)))
    else:
        chart = failed.assign(
            kind=failed["critical"].map(KINDS), unexpected_count=failed["unexpected_count"].fillna(0)
        )
        figure = px.bar(
            chart,
            x="raw_table",
            y="unexpected_count",
            color="kind",
            hover_data=["expectation", "column", "example_values"],
            color_discrete_map={KINDS[True]: "#cf222e", KINDS[False]: "#bf8700"},
            labels={
                "raw_table": t("raw table"),
                "unexpected_count": t("unexpected values"),
                "kind": t("Severity"),
                "expectation": t("Expectation"),
                "column": t("Column"),
                "example_values": t("Examples"),
            },
            height=320,
        )
        figure.update_layout(margin=dict(l=10, r=10, t=10, b=10))
        st.plotly_chart(figure, width="stretch", key="dq_failures")
        show_table(
            failed.sort_values(["critical", "source", "raw_table"], ascending=[False, True, True])[
                [
                    "source",
                    "raw_table",
                    "critical",
                    "expectation",
                    "column",
                    "unexpected_count",
                    "element_count",
                    "example_values",
                ]
            ]
        )

st.subheader(t("Freshness per source"))
raw = raw_freshness()
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
if not table_exists("landing", "file_ledger"):
    st.info(
        t(
            "This warehouse has no file ledger (`landing.file_ledger`) yet: it lists every landed file with "
            "its rows read, loaded and rejected once the landing step records it."
        )
    )
else:
    ledger = query(
        "select source, raw_table, file_path, status, rows_read, rows_loaded, rows_rejected, "
        "rows_loaded + rows_rejected as rows_in, size_bytes, sha256, error_text, landed_at "
        "from landing.file_ledger order by landed_at desc, file_path"
    )
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
if not table_exists("landing", "quarantine"):
    st.info(
        t(
            "This warehouse has no quarantine (`landing.quarantine`) yet: once the landing step keeps "
            "rejected lines there, they show here with the reason."
        )
    )
else:
    sources = query("select distinct source from landing.quarantine order by source")["source"].tolist()
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
        where, params = ("", ()) if chosen == ALL_SOURCES else (" where source = ?", (chosen,))
        quarantined = query(
            "select source, raw_table, file_path, line_number, reason, raw_text, landed_at "
            f"from landing.quarantine{where} order by landed_at desc, file_path, line_number",
            params,
        )
        st.caption(t("{n} quarantined line(s).", n=f"{len(quarantined):,}"))
        show_table(in_company_time(quarantined, "landed_at"))
