"""Daily close sign-off, one day × work centre: its variances outside tolerance, the form that gives one
a reason code, comment and corrective action, and the sign (or reopen) button. The buttons follow
``decisions.roles`` and the work centre's owner; the store checks both again on save."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboards.auth import SignedIn
from dashboards.decision_store import StoreAccess, act
from dashboards.i18n import t
from dashboards.sections.decision_tables import line, seen, show, states, when
from decisions import close_loop
from decisions.roles import may
from decisions.seeds import close_reasons

VARIANCE_COLUMNS = [
    "id",
    "kind",
    "production_order_id",
    "operation_seq",
    "component",
    "planned",
    "actual",
    "variance",
    "system_reason",
    "reason_code",
    "comment",
    "corrective_action",
    "action_owner",
    "action_due",
    "explained_by",
    "action_done_at",
]


def acts_on(user: SignedIn, record: pd.Series, action: str) -> bool:
    """Whether the user's role may take ``action`` on this record (a supervisor: their own centres)."""
    return may(user.role, action) and (user.role != "supervisor" or record["owner"] == user.username)


def record_section(access: StoreAccess, user: SignedIn, record: pd.Series, variances: pd.DataFrame) -> None:
    cid = str(record["id"])
    version, state = seen(f"close/{cid}", record)
    missing = variances.loc[variances["reason_code"].isna()]
    st.markdown(
        "\n".join(
            [
                line(t("state"), states().get(record["state"], record["state"])),
                line(t("owner"), record["owner"]),
                line(t("revision"), record["revision"]),
                line(t("signed by"), record["signed_by"]),
                line(t("signed at"), when(record["signed_at"])),
                line(t("variances without reason"), f"{len(missing)} / {len(variances)}"),
            ]
        )
    )
    if record["state"] == "signed":
        st.info(t("Signed and locked: a change needs a reopen, which starts a new revision."), icon="🔒")
    if variances.empty:
        st.caption(t("No variance outside tolerance on this day."))
    else:
        show(variances, VARIANCE_COLUMNS)
    if not access.can_act:
        return
    if state == "open" and not variances.empty and acts_on(user, record, "close.explain"):
        explain_form(access, user, variances)
    follow_up = variances.loc[variances["corrective_action"].notna() & variances["action_done_at"].isna()]
    if len(follow_up) and acts_on(user, record, "close.explain"):
        action_done_form(access, user, follow_up)
    if state == "open" and acts_on(user, record, "close.sign"):
        with st.form(f"close_sign_{cid}"):
            st.markdown(t("**Sign the day**: every variance must have a reason first."))
            if st.form_submit_button(t("Sign"), key="close_sign_submit"):
                act(
                    access,
                    user,
                    close_loop.sign,
                    cid,
                    version=version,
                    done=t("Daily close {id} signed.", id=cid),
                )
    if state == "signed" and acts_on(user, record, "close.reopen"):
        with st.form(f"close_reopen_{cid}"):
            reason = st.text_input(t("Reason for reopening"), key="close_reopen_reason")
            if st.form_submit_button(t("Reopen"), key="close_reopen_submit"):
                act(
                    access,
                    user,
                    close_loop.reopen,
                    cid,
                    reason=reason,
                    version=version,
                    done=t("Daily close {id} reopened.", id=cid),
                )


def explain_form(access: StoreAccess, user: SignedIn, variances: pd.DataFrame) -> None:
    reasons = close_reasons()
    ordered = pd.concat(
        [variances.loc[variances["reason_code"].isna()], variances.loc[variances["reason_code"].notna()]]
    )
    versions = {
        vid: seen(f"variance/{vid}", row, notice=False)[0]
        for vid, row in ordered.set_index("id", drop=False).iterrows()
    }
    with st.form("close_explain"):
        st.markdown(t("**Explain a variance**: reason code, comment and corrective action"))
        vid = st.selectbox(t("Variance"), list(ordered["id"]), key="close_var")
        code = st.selectbox(
            t("Reason code"), list(reasons), format_func=lambda c: f"{c} · {reasons[c]}", key="close_code"
        )
        comment = st.text_area(t("Comment"), key="close_comment")
        action = st.text_area(t("Corrective action"), key="close_action")
        c = st.columns(2)
        owner = c[0].text_input(t("Action owner"), value=user.username, key="close_owner")
        due = c[1].date_input(
            t("Action due"), value=pd.Timestamp.now().date() + timedelta(days=7), key="close_due"
        )
        if st.form_submit_button(t("Save the reason"), key="close_explain_submit"):
            act(
                access,
                user,
                close_loop.explain,
                vid,
                reason_code=code,
                comment=comment,
                corrective_action=action,
                action_owner=owner or None,
                action_due=due,
                version=versions[vid],
                done=t("Variance {id} explained.", id=vid),
            )


def action_done_form(access: StoreAccess, user: SignedIn, follow_up: pd.DataFrame) -> None:
    """Corrective actions are follow-up, not the day's content: marked done even on a signed day."""
    versions = {
        vid: seen(f"done/{vid}", row, notice=False)[0]
        for vid, row in follow_up.set_index("id", drop=False).iterrows()
    }
    with st.form("close_done"):
        vid = st.selectbox(t("Corrective action done"), list(follow_up["id"]), key="close_done_var")
        if st.form_submit_button(t("Mark done"), key="close_done_submit"):
            act(
                access,
                user,
                close_loop.action_done,
                vid,
                version=versions[vid],
                done=t("Corrective action of {id} done.", id=vid),
            )


def manager_view(unsigned: pd.DataFrame, overdue: pd.DataFrame) -> None:
    """Days before today not signed, and corrective actions past due and not done."""
    c = st.columns(2)
    c[0].metric(t("Unsigned days"), len(unsigned))
    c[1].metric(t("Overdue corrective actions"), len(overdue))
    if len(unsigned):
        show(unsigned, ["id", "day", "work_center", "owner", "state", "revision", "updated_by"])
    if len(overdue):
        show(overdue, ["id", "owner", "reason_code", "corrective_action", "action_owner", "action_due"])
