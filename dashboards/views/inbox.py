"""My inbox: the notifications sent to the signed-in user and the T-3 warnings to act on (强制闭环).

Reads the operational store, so a warning acknowledged in one session shows in every other at once;
when the store cannot be reached, the warehouse's copy of the last run (schema ``ops``) and no actions.
A supervisor sees the warnings they own; a manager and a planner all of them.
"""

from __future__ import annotations

import streamlit as st

from dashboards.auth import current_user
from dashboards.components import page_header
from dashboards.decision_store import flash, open_store, unavailable_notice
from dashboards.i18n import t
from dashboards.queries import decisions as dq
from dashboards.sections.decision_tables import pick, show, states
from dashboards.sections.inbox_warning_actions import warning_actions, warning_detail

OWNERS_BY_DEFAULT = ("supervisor",)  # roles that see only their own warnings unless they ask for all

page_header(t("My inbox"))
user = current_user()
access = open_store()
unavailable_notice(access)
flash()

notes = dq.inbox(access, user.username)
with st.expander(t("Notifications ({n})", n=len(notes)), expanded=bool(len(notes)), key="ib_notes"):
    if notes.empty:
        st.caption(t("Nothing sent to you yet."))
    else:
        show(notes.head(200), ["created_at", "kind", "entity_id", "message"])

st.subheader(t("T-3 warnings"))
st.caption(
    t(
        "From three days before the due date an unfinished order must be owned, acted on and closed: "
        "acknowledge it (owner, countermeasure, expected recovery), then resolve it with the action "
        "taken and its root cause, or cancel it with a reason. Not acknowledged in time, it climbs "
        "to the next level."
    )
)
c = st.columns([1, 2])
mine = c[0].toggle(t("Only warnings I own"), value=user.role in OWNERS_BY_DEFAULT, key="ib_mine")
words = states()
chosen_states = c[1].multiselect(
    t("States"),
    list(words)[:5],
    default=["open", "acknowledged"],
    format_func=words.get,
    key="ib_states",
)
found = dq.warnings(access, owner=user.username if mine else None)
found = found.loc[found["state"].isin(chosen_states)] if chosen_states else found
k = st.columns(3)
k[0].metric(t("Open"), int((found["state"] == "open").sum()))
k[1].metric(t("Acknowledged"), int((found["state"] == "acknowledged").sum()))
k[2].metric(t("Shown"), len(found))
if found.empty:
    st.info(t("No T-3 warning in these states."))
    st.stop()
show(
    found,
    [
        "id",
        "state",
        "level",
        "owner",
        "production_order_id",
        "sku",
        "customer_tier",
        "work_center",
        "due_at",
        "planned_completion",
        "acknowledged_by",
        "countermeasure",
        "expected_recovery",
        "root_cause",
        "updated_by",
        "version",
    ],
)
warning = pick(
    found,
    t("Warning"),
    lambda row: f"{row.id} · {row.production_order_id} · {words.get(row.state, row.state)}",
    key="ib_pick",
)
left, right = st.columns(2)
with left:
    warning_detail(warning)
with right:
    warning_actions(access, user, warning)
