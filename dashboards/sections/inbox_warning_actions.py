"""My inbox, one T-3 warning: what it is and the actions its state allows the user's role
(acknowledge, resolve, cancel). The buttons follow ``decisions.roles``; the store checks again on save."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboards.auth import SignedIn
from dashboards.decision_store import StoreAccess, act
from dashboards.i18n import t
from dashboards.sections.decision_tables import line, seen, states, when
from decisions import t3_loop
from decisions.roles import may
from decisions.seeds import root_causes


def warning_detail(warning: pd.Series) -> None:
    st.markdown(
        "\n".join(
            [
                line(t("state"), states().get(warning["state"], warning["state"])),
                line(t("level"), warning["level"]),
                line(t("owner"), warning["owner"]),
                line(t("order"), f"{warning['production_order_id']} · {warning['sku']}"),
                line(t("due"), when(warning["due_at"])),
                line(t("planned completion"), when(warning["planned_completion"])),
                line(t("blocking operation"), f"{warning['blocking_operation']} ({warning['work_center']})"),
                line(t("acknowledged by"), warning["acknowledged_by"]),
                line(t("countermeasure"), warning["countermeasure"]),
                line(t("expected recovery"), warning["expected_recovery"]),
                line(t("action taken"), warning["action_taken"]),
                line(t("root cause"), warning["root_cause"]),
                line(t("reason"), warning["close_reason"]),
                line(t("last changed"), f"{warning['updated_by']} · {when(warning['updated_at'])}"),
            ]
        )
    )


def warning_actions(access: StoreAccess, user: SignedIn, warning: pd.Series) -> None:
    """The forms this warning's state allows the user's role; none at all for a read-only role."""
    wid = str(warning["id"])
    version, state = seen(f"t3/{wid}", warning)
    if not access.can_act:
        return
    if state == "open" and may(user.role, "warning.acknowledge"):
        with st.form(f"t3_ack_{wid}"):
            st.markdown(t("**Acknowledge**: who acts, what is done, when the order recovers"))
            owner = st.text_input(t("Action owner"), value=user.username, key="t3_ack_owner")
            measure = st.text_area(t("Countermeasure"), key="t3_ack_measure")
            default = (pd.Timestamp(warning["due_at"]) + timedelta(days=1)).date()
            recovery = st.date_input(t("Expected recovery"), value=default, key="t3_ack_recovery")
            if st.form_submit_button(t("Acknowledge"), key="t3_ack_submit"):
                act(
                    access,
                    user,
                    t3_loop.acknowledge,
                    wid,
                    countermeasure=measure,
                    expected_recovery=recovery,
                    action_owner=owner or None,
                    version=version,
                    done=t("Warning {id} acknowledged.", id=wid),
                )
    if state == "acknowledged" and may(user.role, "warning.resolve"):
        causes = root_causes()
        with st.form(f"t3_resolve_{wid}"):
            st.markdown(t("**Resolve**: the action taken and its root cause"))
            taken = st.text_area(t("Action taken"), key="t3_res_action")
            cause = st.selectbox(
                t("Root cause"), list(causes), format_func=lambda c: f"{c} · {causes[c]}", key="t3_res_cause"
            )
            if st.form_submit_button(t("Resolve"), key="t3_res_submit"):
                act(
                    access,
                    user,
                    t3_loop.resolve,
                    wid,
                    action_taken=taken,
                    root_cause=cause,
                    version=version,
                    done=t("Warning {id} resolved.", id=wid),
                )
    if state in t3_loop.ACTIVE and may(user.role, "warning.cancel"):
        with st.form(f"t3_cancel_{wid}"):
            reason = st.text_input(t("Reason for cancelling"), key="t3_cancel_reason")
            if st.form_submit_button(t("Cancel the warning"), key="t3_cancel_submit"):
                act(
                    access,
                    user,
                    t3_loop.cancel,
                    wid,
                    reason=reason,
                    version=version,
                    done=t("Warning {id} cancelled.", id=wid),
                )
