"""Rush orders (插单), the decision: propose one (the what-if's result is saved with it), one proposal's
result with every order it delays, and PMC's approve/reject and production's acknowledge. The buttons
follow ``decisions.roles``; the store checks again on save."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.auth import SignedIn
from dashboards.decision_store import StoreAccess, act
from dashboards.i18n import t
from dashboards.queries import decisions as dq
from dashboards.sections.decision_tables import line, seen, show, states, when
from decisions import rush_loop
from decisions.errors import BadInput
from decisions.roles import may

DUE_HOUR_LOCAL = 18  # a due date means the end of that plant day (as ``omniops rush propose``)
DELAYED_COLUMNS = [
    "production_order_id",
    "sales_order_ref",
    "customer_name",
    "customer_tier",
    "sku",
    "due_at",
    "completion_before",
    "completion_after",
    "delay_hours",
    "made_late",
]


def propose_form(access: StoreAccess, user: SignedIn, skus: list[str], tz: str, today) -> None:
    with st.form("rush_propose"):
        st.markdown(t("**Propose a rush order**: the what-if runs on the published plan and is saved."))
        c = st.columns(3)
        sku = c[0].selectbox(t("Product"), skus, key="rp_sku")
        qty = c[1].number_input(t("Quantity"), 1, 100_000, 100, step=10, key="rp_qty")
        tier = c[2].selectbox(t("Customer tier"), ["A", "B", "C"], key="rp_tier")
        c = st.columns(3)
        due_day = c[0].date_input(t("Due date"), value=today + pd.Timedelta(days=4), key="rp_due")
        frozen_h = c[1].number_input(t("Frozen window (plant hours)"), 0, 72, 8, key="rp_frozen")
        limit = c[2].number_input(t("Time limit (s)"), 1, 30, 4, key="rp_limit")
        c = st.columns(2)
        customer = c[0].text_input(t("Customer"), key="rp_customer")
        order = c[1].text_input(t("Customer order"), key="rp_order")
        if not st.form_submit_button(t("Evaluate and propose"), key="rp_submit"):
            return
    due = (pd.Timestamp(due_day) + pd.Timedelta(hours=DUE_HOUR_LOCAL)).tz_localize(tz).tz_convert("UTC")
    due = due.tz_localize(None).to_pydatetime()
    try:
        with st.spinner(t("Re-planning…")):
            held = rush_loop.held_proposals(access.store)
            evaluation = dq.evaluate_rush(sku, int(qty), due, tier, int(frozen_h * 60), float(limit), held)
    except BadInput as error:
        st.error(t("Cannot insert this order: {error}", error=error))
        return
    act(
        access,
        user,
        rush_loop.propose,
        sku=sku,
        quantity=int(qty),
        due_at=due,
        tier=tier,
        frozen_minutes=int(frozen_h * 60),
        evaluation=evaluation,
        customer=customer or None,
        customer_order=order or None,
        done=t("Rush order proposed: {sku} × {qty}.", sku=sku, qty=int(qty)),
    )


def proposal_detail(proposal: pd.Series) -> None:
    c = st.columns(4)
    c[0].metric(t("State"), states().get(proposal["state"], proposal["state"]))
    c[1].metric(t("Planned completion"), when(proposal["planned_completion"]))
    c[2].metric(t("On time"), t("yes") if proposal["on_time"] else t("no"))
    c[3].metric(t("Orders delayed"), len(proposal["delayed_orders"]))
    lines = [
        line(t("requested by"), f"{proposal['requested_by']} · {when(proposal['requested_at'])}"),
        line(t("customer"), f"{proposal['customer'] or '—'} · {proposal['customer_order'] or '—'}"),
        line(t("due"), when(proposal["due_at"])),
    ]
    if not proposal["on_time"]:
        lines += [
            line(t("earliest feasible completion"), when(proposal["earliest_completion"])),
            line(t("why"), proposal["late_because"]),
        ]
    lines += [
        line(t("PMC decision by"), proposal["pmc_by"]),
        line(t("PMC comment"), proposal["pmc_comment"]),
        line(t("acknowledged by production"), proposal["production_by"]),
        line(t("completion in the current plan"), when(proposal["plan_completion"])),
    ]
    st.markdown("\n".join(lines))
    delayed = pd.DataFrame(proposal["delayed_orders"])
    st.markdown(t("**Orders it delays: {n}** (all of them)", n=len(delayed)))
    if delayed.empty:
        return
    customers = dq.order_customers(delayed["production_order_id"].tolist())
    delayed = delayed.merge(customers, on="production_order_id", how="left")
    delayed["delay_hours"] = delayed["delay_minutes"] / 60.0
    for column in ("due_at", "completion_before", "completion_after"):
        delayed[column] = pd.to_datetime(delayed[column])
    show(delayed, DELAYED_COLUMNS)


def decision_forms(access: StoreAccess, user: SignedIn, proposal: pd.Series) -> None:
    pid = str(proposal["id"])
    version, state = seen(f"rush/{pid}", proposal)
    if not access.can_act:
        return
    if state == "proposed" and may(user.role, "rush.approve"):
        with st.form(f"rush_pmc_{pid}"):
            comment = st.text_area(t("PMC comment"), key="rp_pmc_comment")
            c = st.columns(2)
            approve = c[0].form_submit_button(t("Approve"), key="rp_approve")
            reject = c[1].form_submit_button(t("Reject"), key="rp_reject")
        if approve or reject:
            action, verb = (
                (rush_loop.approve, t("approved")) if approve else (rush_loop.reject, t("rejected"))
            )
            act(access, user, action, pid, comment=comment, version=version, done=f"{pid}: {verb}")
    if state == "approved" and may(user.role, "rush.acknowledge"):
        with st.form(f"rush_prod_{pid}"):
            comment = st.text_area(t("Production comment"), key="rp_prod_comment")
            if st.form_submit_button(t("Acknowledge for production"), key="rp_ack"):
                act(
                    access,
                    user,
                    rush_loop.acknowledge,
                    pid,
                    comment=comment or None,
                    version=version,
                    done=f"{pid}: {t('acknowledged')}",
                )
