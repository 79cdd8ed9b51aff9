"""Data quality for data engineers: the latest Great Expectations results per source system, the
file ledger and the quarantine of the landing zone, and how fresh each source's raw data is.

Reads only the published warehouse. The ledger and quarantine tables come with the landing change;
until a warehouse has them, the page says so instead of failing.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards.warehouse import query, table_exists

st.title("Data quality")


def freshness() -> pd.DataFrame:
    """Last load time per source system, from the lineage column every raw table carries."""
    tables = query(
        "select table_name from information_schema.columns "
        "where table_schema = 'raw' and column_name = '_loaded_at' order by table_name"
    )["table_name"].tolist()
    if not tables:
        return pd.DataFrame(columns=["source", "last_loaded_at"])
    union = " union all ".join(
        f"select '{name.split('__')[0]}' as source, max(_loaded_at) as loaded from raw.\"{name}\""
        for name in tables
    )
    return query(
        f"select source, max(loaded) as last_loaded_at from ({union}) group by source order by source"
    )


fresh = freshness()
if fresh.empty:
    st.caption("No raw tables in this warehouse yet: nothing has been landed.")
else:
    st.caption(
        "Data freshness (last load, UTC): "
        + " · ".join(f"{row.source} {row.last_loaded_at:%Y-%m-%d %H:%M}" for row in fresh.itertuples())
    )

st.subheader("Expectations per source system")
if not table_exists("landing", "dq_results"):
    st.info(
        "No data-quality results in this warehouse yet. The Great Expectations checks write them to "
        "`landing.dq_results` on every `omniops run`; run the pipeline and reload this page."
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
    cards[0].metric("Sources checked", results["source"].nunique())
    cards[1].metric("Expectations", len(results))
    cards[2].metric("Critical failures", failed_critical)
    cards[3].metric("Warnings", failed_other)

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
    summary["result"] = "passed"
    summary.loc[summary["failed_other"] > 0, "result"] = "warnings"
    summary.loc[summary["failed_critical"] > 0, "result"] = "critical failure"
    summary = summary.sort_values(
        ["failed_critical", "failed_other", "source"], ascending=[False, False, True]
    )
    st.dataframe(
        summary[
            [
                "source",
                "result",
                "expectations",
                "failed_critical",
                "failed_other",
                "unexpected",
                "checked_at",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "source": st.column_config.TextColumn("Source"),
            "result": st.column_config.TextColumn("Result"),
            "expectations": st.column_config.NumberColumn("Expectations", format="%d"),
            "failed_critical": st.column_config.NumberColumn("Critical failed", format="%d"),
            "failed_other": st.column_config.NumberColumn("Warnings", format="%d"),
            "unexpected": st.column_config.NumberColumn("Unexpected values", format="%d"),
            "checked_at": st.column_config.DatetimeColumn("Checked (UTC)", format="YYYY-MM-DD HH:mm"),
        },
    )
    st.caption(
        "Critical expectations (required columns, keys filled and unique within each file) stop the run "
        "before dbt; the others (numbers and times in range, statuses known) only warn."
    )

    st.subheader("Failed expectations")
    if failed.empty:
        st.success(f"All {len(results)} expectations passed in the latest check of every source.")
    else:
        chart = failed.assign(kind=failed["critical"].map({True: "critical", False: "warning"}))
        chart = chart.assign(unexpected_count=chart["unexpected_count"].fillna(0))
        figure = px.bar(
            chart,
            x="raw_table",
            y="unexpected_count",
            color="kind",
            hover_data=["expectation", "column", "example_values"],
            color_discrete_map={"critical": "#cf222e", "warning": "#bf8700"},
            labels={"raw_table": "raw table", "unexpected_count": "unexpected values", "kind": ""},
            height=320,
        )
        figure.update_layout(margin=dict(l=10, r=10, t=10, b=10))
        st.plotly_chart(figure, width="stretch")
        st.dataframe(
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
            ],
            hide_index=True,
            width="stretch",
        )

st.subheader("File ledger")
if not table_exists("landing", "file_ledger"):
    st.info(
        "This warehouse has no file ledger (`landing.file_ledger`) yet: it lists every landed file with "
        "its rows read, loaded and rejected once the landing step records it."
    )
else:
    ledger = query(
        "select source, raw_table, file_path, status, rows_read, rows_loaded, rows_rejected, "
        "rows_loaded + rows_rejected as rows_in, size_bytes, sha256, error_text, landed_at "
        "from landing.file_ledger order by landed_at desc, file_path"
    )
    if ledger.empty:
        st.info("The file ledger is empty: no file has been landed yet.")
    else:
        totals = st.columns(4)
        totals[0].metric("Files", len(ledger))
        totals[1].metric("Rows in", f"{int(ledger['rows_in'].sum()):,}")
        totals[2].metric("Rows loaded", f"{int(ledger['rows_loaded'].sum()):,}")
        totals[3].metric("Rows rejected", f"{int(ledger['rows_rejected'].sum()):,}")
        st.caption("Rows in = rows loaded + rows rejected (rejected rows go to the quarantine below).")
        st.dataframe(ledger, hide_index=True, width="stretch")

st.subheader("Quarantine")
if not table_exists("landing", "quarantine"):
    st.info(
        "This warehouse has no quarantine (`landing.quarantine`) yet: once the landing step keeps "
        "rejected lines there, they show here with the reason."
    )
else:
    sources = query("select distinct source from landing.quarantine order by source")["source"].tolist()
    if not sources:
        st.success("Nothing in quarantine: every line of every landed file was loaded.")
    else:
        chosen = st.selectbox("Source", ["All sources", *sources])
        where, params = ("", ()) if chosen == "All sources" else (" where source = ?", (chosen,))
        quarantined = query(
            "select source, raw_table, file_path, line_number, reason, raw_text, landed_at "
            f"from landing.quarantine{where} order by landed_at desc, file_path, line_number",
            params,
        )
        st.caption(f"{len(quarantined):,} quarantined line(s).")
        st.dataframe(quarantined, hide_index=True, width="stretch")
