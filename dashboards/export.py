"""Excel downloads: any table on its own, and every table of a page in one workbook (one sheet each).

A page shows a table through :func:`table`, which draws it and its download button and remembers it for
the page's workbook; :func:`page_workbook_button` at the end of the page offers them all. The workbooks
are written only when a button is clicked (Streamlit's deferred download), so a page run costs nothing.
The sheets hold the table as shown: its headers and the words in the user's language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboards.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REGISTRY = "_export_tables"
_PAGE = "_export_page"
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, unique in the workbook."""
    base = _BAD_SHEET_CHARACTERS.sub(" ", name).strip() or "Sheet"
    candidate, n = base[:31], 1
    while candidate.lower() in {s.lower() for s in taken}:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def workbook_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx file with one sheet per table (named after it), headers in the first row."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            sheet = sheet_name(name, taken)
            taken.add(sheet)
            frame.to_excel(writer, sheet_name=sheet, index=False)
        if not tables:
            pd.DataFrame().to_excel(writer, sheet_name="Sheet", index=False)
    return buffer.getvalue()


def as_shown(frame: pd.DataFrame, column_config: Mapping[str, object] | None) -> pd.DataFrame:
    """The table with the headers the page shows (a column's configured label, when it has one)."""
    names = {}
    for column, config in (column_config or {}).items():
        label = config if isinstance(config, str) else (config or {}).get("label")
        if column in frame.columns and label:
            names[column] = label
    return frame.rename(columns=names)


def file_name(name: str) -> str:
    return re.sub(r"[^\w\-]+", "_", name).strip("_").lower() or "table"


def start_page(page: str) -> None:
    """Forget the previous run's tables (called by the page header)."""
    st.session_state[_REGISTRY] = {}
    st.session_state[_PAGE] = page


def table(frame: pd.DataFrame, name: str | None = None, **dataframe_args) -> object:
    """``st.dataframe`` (``dataframe_args`` as it takes them) with an Excel download of this table under
    it; kept for the page's workbook as the sheet ``name`` (default "Table n")."""
    shown = as_shown(frame, dataframe_args.get("column_config"))
    tables = st.session_state.setdefault(_REGISTRY, {})
    number = len(tables) + 1
    name = sheet_name(name or t("Table {n}", n=number), set(tables))
    tables[name] = shown
    event = st.dataframe(frame, **dataframe_args)
    st.download_button(
        t("Excel"),
        data=lambda: workbook_bytes({name: shown}),
        file_name=f"{file_name(name)}.xlsx",
        mime=XLSX,
        key=f"xlsx_{number}",
        on_click="ignore",
        icon=":material/download:",
        type="tertiary",
        help=t("Download this table as an Excel workbook"),
    )
    return event


def page_workbook_button() -> None:
    """At the end of a page: every table it showed in one workbook, one sheet per table."""
    tables = dict(st.session_state.get(_REGISTRY, {}))
    if not tables:
        return
    page = st.session_state.get(_PAGE, "page")
    st.download_button(
        t("All tables of this page (Excel: {n})", n=len(tables)),
        data=lambda: workbook_bytes(tables),
        file_name=f"{file_name(page)}.xlsx",
        mime=XLSX,
        key="xlsx_page",
        on_click="ignore",
        icon=":material/download:",
    )
