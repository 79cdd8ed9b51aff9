"""Daily close sign-off (日清日结): one record per day × work centre, signed by its owner once every
variance outside tolerance has a reason code, a comment and a corrective action (三要素).

Reads the operational store (a saved reason shows at once in every session); when it cannot be reached,
the warehouse's copy of the last run (schema ``ops``) and no actions. A manager first sees the days not
signed and the corrective actions overdue.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.auth import current_user
from dashboards.components import company_zone, page_header
from dashboards.decision_store import flash, open_store, unavailable_notice
from dashboards.i18n import t
from dashboards.queries import decisions as dq
from dashboards.sections.close_signoff import manager_view, record_section
from dashboards.sections.decision_tables import pick, show, states

page_header(t("Daily close sign-off"))
user = current_user()
access = open_store()
unavailable_notice(access)
flash()

today = pd.Timestamp.now(tz=company_zone()).date()
unsigned, overdue = dq.close_pending(access, today)
with st.expander(
    t("Manager view: unsigned days and overdue corrective actions"),
    expanded=user.role == "manager",
    key="dc_manager",
):
    manager_view(unsigned, overdue)

days, variances = dq.close_records(access)
if days.empty:
    st.info(
        t(
            "No daily close records yet: the pipeline opens one per day × work centre from the MES "
            "records (`omniops run`)."
        )
    )
    st.stop()
open_counts = variances.loc[variances["reason_code"].isna()].groupby("close_id").size()
days = days.assign(
    variances=days["id"].map(variances.groupby("close_id").size()).fillna(0).astype(int),
    unexplained=days["id"].map(open_counts).fillna(0).astype(int),
)
c = st.columns([1, 1, 2])
mine = c[0].toggle(t("Only my work centres"), value=user.role == "supervisor", key="dc_mine")
only_open = c[1].toggle(t("Only days not signed"), value=False, key="dc_open")
centres = sorted(days["work_center"].unique())
chosen = c[2].multiselect(t("Work centers"), centres, default=centres, key="dc_wc")
view = days.loc[days["work_center"].isin(chosen)]
if mine:
    view = view.loc[view["owner"] == user.username]
if only_open:
    view = view.loc[view["state"] != "signed"]
if view.empty:
    st.info(t("No daily close record matches."))
    st.stop()
show(
    view,
    ["id", "day", "work_center", "owner", "state", "revision", "variances", "unexplained", "signed_by"],
)
words = states()
needing = [i for i, n in enumerate(view["unexplained"]) if n]  # first: the newest day that needs a reason
record = pick(
    view,
    t("Day and work centre"),
    lambda row: (
        f"{row.id} · {words.get(row.state, row.state)} · " + t("{n} without reason", n=row.unexplained)
    ),
    key="dc_pick",
    index=needing[0] if needing else 0,
)
st.subheader(t("Daily close {id}", id=record["id"]))
record_section(access, user, record, variances.loc[variances["close_id"] == record["id"]])
