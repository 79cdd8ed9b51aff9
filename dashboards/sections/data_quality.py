"""Data-quality page: its table headers, and the expectations section (results per source, failures)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import export
from dashboards.charts.data_quality import failed_expectations
from dashboards.components import company_zone, table_height, to_company_time
from dashboards.i18n import t


def headers() -> dict:
    """Column headers of every table on the page, in the user's language; times in the company's zone."""
    zone = company_zone().key
    when = "YYYY-MM-DD HH:mm"
    return {
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
        "landed_at": st.column_config.DatetimeColumn(t("Landed ({zone})", zone=zone), format=when),
        "last_landed_at": st.column_config.DatetimeColumn(t("Last landed ({zone})", zone=zone), format=when),
        "last_loaded_at": st.column_config.DatetimeColumn(
            t("Last loaded into raw ({zone})", zone=zone), format=when
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
        "checked_at": st.column_config.DatetimeColumn(t("Checked ({zone})", zone=zone), format=when),
        "critical": t("Critical"),
        "expectation": t("Expectation"),
        "column": t("Column"),
        "unexpected_count": st.column_config.NumberColumn(t("Unexpected values"), format="%d"),
        "element_count": st.column_config.NumberColumn(t("Values checked"), format="%d"),
        "example_values": t("Examples"),
    }


def show_table(frame: pd.DataFrame) -> None:
    """A table with the page's headers in the user's language."""
    names = headers()
    config = {column: names[column] for column in frame.columns if column in names}
    export.table(
        frame, hide_index=True, width="stretch", height=table_height(len(frame)), column_config=config
    )


def in_company_time(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{column: to_company_time(frame[column]) for column in columns})


def by_source(results: pd.DataFrame) -> pd.DataFrame:
    """Per source: expectations, critical and other failures, unexpected values, the worst result."""
    words = {"passed": t("passed"), "warnings": t("warnings"), "critical failure": t("critical failure")}
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
    summary["result"] = words["passed"]
    summary.loc[summary["failed_other"] > 0, "result"] = words["warnings"]
    summary.loc[summary["failed_critical"] > 0, "result"] = words["critical failure"]
    return summary.sort_values(["failed_critical", "failed_other", "source"], ascending=[False, False, True])


def expectations_section(results: pd.DataFrame) -> None:
    """Cards and a row per source for the latest checks, then the failed expectations."""
    failed = results[~results["success"]]
    cards = st.columns(4)
    cards[0].metric(t("Sources checked"), results["source"].nunique())
    cards[1].metric(t("Expectations"), len(results))
    cards[2].metric(t("Critical failures"), int((failed["critical"]).sum()))
    cards[3].metric(t("Warnings"), int((~failed["critical"]).sum()))
    columns = [
        "source",
        "result",
        "expectations",
        "failed_critical",
        "failed_other",
        "unexpected",
        "checked_at",
    ]
    show_table(in_company_time(by_source(results), "checked_at")[columns])
    st.caption(
        t(
            "Critical expectations (required columns, keys filled and unique within each file) stop the run "
            "before dbt; the others (numbers and times in range, statuses known) only warn."
        )
    )

    st.subheader(t("Failed expectations"))
    if failed.empty:
        st.success(t("All {n} expectations passed in the latest check of every source.", n=len(results)))
        return
    kinds = {True: t("critical"), False: t("warning")}
    st.plotly_chart(failed_expectations(failed, kinds), width="stretch", key="dq_failures")
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
