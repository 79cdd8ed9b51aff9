"""The loops' pages' words and tables: column headers and states in the user's language, store times
(naive UTC) in company time, and the version a person saw (optimistic locking across script runs)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.components import to_company_time
from dashboards.decision_store import SEEN_PREFIX
from dashboards.formatting import escape_markdown
from dashboards.i18n import t

TIME_COLUMNS = (
    "due_at",
    "planned_completion",
    "level_since",
    "opened_at",
    "acknowledged_at",
    "closed_at",
    "updated_at",
    "created_at",
    "read_at",
    "signed_at",
    "explained_at",
    "action_done_at",
    "requested_at",
    "earliest_completion",
    "pmc_at",
    "production_at",
    "planned_at",
    "plan_completion",
    "completion_before",
    "completion_after",
)


def states() -> dict[str, str]:
    return {
        "open": t("open"),
        "acknowledged": t("acknowledged"),
        "resolved": t("resolved"),
        "cancelled": t("cancelled"),
        "closed": t("closed"),
        "signed": t("signed"),
        "proposed": t("proposed"),
        "approved": t("approved"),
        "rejected": t("rejected"),
        "planned": t("planned"),
    }


def headers() -> dict[str, str]:
    """Column headers; the data keeps the store's column names (tests read them)."""
    return {
        "id": t("no."),
        "state": t("state"),
        "level": t("level"),
        "owner": t("owner"),
        "production_order_id": t("order"),
        "sku": "SKU",
        "customer_tier": t("tier"),
        "tier": t("tier"),
        "work_center": t("work center"),
        "blocking_operation": t("blocking operation"),
        "due_at": t("due"),
        "planned_completion": t("planned completion"),
        "projected_late": t("will be late"),
        "acknowledged_by": t("acknowledged by"),
        "action_owner": t("action owner"),
        "countermeasure": t("countermeasure"),
        "expected_recovery": t("expected recovery"),
        "closed_by": t("closed by"),
        "action_taken": t("action taken"),
        "root_cause": t("root cause"),
        "close_reason": t("reason"),
        "version": t("version"),
        "updated_by": t("changed by"),
        "updated_at": t("changed at"),
        "created_at": t("when"),
        "kind": t("kind"),
        "message": t("message"),
        "entity_id": t("item"),
        "day": t("day"),
        "revision": t("revision"),
        "signed_by": t("signed by"),
        "signed_at": t("signed at"),
        "variances": t("variances"),
        "unexplained": t("without reason"),
        "operation_seq": t("operation"),
        "component": t("component"),
        "planned": t("planned"),
        "actual": t("actual"),
        "variance": t("variance"),
        "system_reason": t("what the records suggest"),
        "reason_code": t("reason code"),
        "comment": t("comment"),
        "corrective_action": t("corrective action"),
        "action_due": t("action due"),
        "explained_by": t("explained by"),
        "action_done_at": t("action done"),
        "requested_by": t("requested by"),
        "requested_at": t("requested at"),
        "customer": t("customer"),
        "customer_order": t("customer order"),
        "quantity": t("quantity"),
        "on_time": t("on time"),
        "earliest_completion": t("earliest feasible completion"),
        "pmc_by": t("PMC decision by"),
        "pmc_comment": t("PMC comment"),
        "production_by": t("acknowledged by production"),
        "plan_completion": t("completion in the current plan"),
        "sales_order_ref": t("sales order"),
        "customer_name": t("customer"),
        "completion_before": t("completion before"),
        "completion_after": t("completion after"),
        "delay_hours": st.column_config.NumberColumn(t("delay (h)"), format="%.1f"),
        "made_late": t("made late"),
    }


def company_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Every store time of ``frame`` in company time (the store keeps naive UTC)."""
    out = frame.copy()
    for column in TIME_COLUMNS:
        if column in out and len(out):
            out[column] = to_company_time(pd.to_datetime(out[column]))
    return out


def show(frame: pd.DataFrame, columns: list[str]) -> None:
    """A table of ``columns`` with translated headers and states; text is shown as stored (a table
    cell never renders HTML or Markdown)."""
    shown = company_times(frame)[columns]
    if "state" in shown:
        words = states()
        shown = shown.assign(state=shown["state"].map(lambda s: words.get(s, s)))
    names = headers()
    config = {column: names[column] for column in columns if column in names}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def pick(frame: pd.DataFrame, title: str, describe, key: str, index: int = 0) -> pd.Series:
    """The row of ``frame`` the person picks in a select box of its ids, each shown as ``describe(row)``."""
    labels = {row.id: describe(row) for row in frame.itertuples()}
    picked = st.selectbox(title, list(labels), index=index, format_func=labels.get, key=key)
    return frame.loc[frame["id"] == picked].iloc[0]


def line(label: str, value: object) -> str:
    """``**label**: value`` for a Markdown list, the value escaped (free text stays text)."""
    shown = "—" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return f"- **{label}**: {escape_markdown(shown)}"


def seen(item: str, row: pd.Series, notice: bool = True) -> tuple[int, str]:
    """(version, state) of ``item`` as the person saw it when the forms were drawn (the run before a
    submit): the forms follow what they saw, and the store refuses a change someone saved in between
    ("changed by X at T, reload"). Remembers ``row`` for the next run and says when it changed."""
    key = f"{SEEN_PREFIX}{item}"
    current = (int(row["version"]), str(row.get("state", "")))
    before = st.session_state.get(key, current)
    st.session_state[key] = current
    if notice and before[0] != current[0]:
        st.info(
            t(
                "Changed by {who} at {at} since you opened it (now: {state}).",
                who=escape_markdown(str(row["updated_by"])),
                at=when(row["updated_at"]),
                state=states().get(current[1], current[1]),
            ),
            icon="🔄",
        )
    return before


def when(value: object) -> str:
    """A store time (naive UTC) in company time, to the minute."""
    if value is None or pd.isna(value):
        return "—"
    return f"{to_company_time(pd.Timestamp(value)):%Y-%m-%d %H:%M}"
