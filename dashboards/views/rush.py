"""Rush orders (插单), a joint PMC–production decision: a planner, customer service or a manager proposes
one and its what-if result is saved (planned completion; when late, the earliest feasible completion and
why; every order it delays); PMC approves or rejects it with a comment; production acknowledges it; the
next run plans it (state ``planned``) and the production page's Gantt highlights it.

Reads the operational store (a decision shows at once in every session); when it cannot be reached, the
warehouse's copy of the last run (schema ``ops``) and no actions.
"""

from __future__ import annotations

import streamlit as st

from dashboards.auth import current_user
from dashboards.components import page_header
from dashboards.decision_store import flash, open_store, unavailable_notice
from dashboards.i18n import t
from dashboards.queries import decisions as dq
from dashboards.queries import production as pq
from dashboards.sections.decision_tables import pick, show, states
from dashboards.sections.production_tables import Plant
from dashboards.sections.rush_proposals import decision_forms, proposal_detail, propose_form
from decisions.roles import may

page_header(t("Rush orders"))
user = current_user()
access = open_store()
unavailable_notice(access)
flash()
st.caption(
    t("proposed → approved (PMC) or rejected → acknowledged (production) → planned (in the next run's plan).")
)

if access.can_act and may(user.role, "rush.propose"):
    if not pq.present_tables()["schedule_runs"]:
        st.info(t("No production plan in this warehouse yet: run `omniops run` to propose rush orders."))
    else:
        runs = pq.schedule_runs()
        plant = Plant(pq.plant_time_zone(), runs["as_of"].iloc[0])
        propose_form(access, user, pq.routed_skus(), plant.tz, plant.as_of_local.date())

found = dq.proposals(access)
words = states()
if found.empty:
    st.info(t("No rush proposal yet."))
    st.stop()
chosen = st.multiselect(
    t("States"),
    ["proposed", "approved", "rejected", "acknowledged", "planned"],
    default=["proposed", "approved", "acknowledged", "planned"],
    format_func=words.get,
    key="rp_states",
)
view = found.loc[found["state"].isin(chosen)] if chosen else found
k = st.columns(5)
for col, state in zip(k, ["proposed", "approved", "rejected", "acknowledged", "planned"], strict=True):
    col.metric(words[state], int((found["state"] == state).sum()))
if view.empty:
    st.info(t("No rush proposal in these states."))
    st.stop()
show(
    view,
    [
        "id",
        "state",
        "requested_by",
        "customer",
        "customer_order",
        "sku",
        "quantity",
        "tier",
        "due_at",
        "planned_completion",
        "on_time",
        "earliest_completion",
        "pmc_by",
        "production_by",
        "plan_completion",
    ],
)
proposal = pick(
    view,
    t("Proposal"),
    lambda row: f"{row.id} · {row.sku} × {row.quantity} · {words.get(row.state, row.state)}",
    key="rp_pick",
)
st.subheader(proposal["id"])
proposal_detail(proposal)
decision_forms(access, user, proposal)
