"""Log-in for the Streamlit app: the signed-in user lives in the server-side session state."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboards.access import ROLE_LABELS, sees_contacts
from dashboards.i18n import t
from dashboards.users import UsersConfigError, authenticate, load_users, users_file

SESSION_KEY = "user"


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: str
    display_name: str

    @property
    def sees_contacts(self) -> bool:
        return sees_contacts(self.role)


def current_user() -> SignedIn | None:
    entry = st.session_state.get(SESSION_KEY)
    return SignedIn(**entry) if entry else None


def sign_in(username: str, role: str, display_name: str | None = None) -> None:
    st.session_state[SESSION_KEY] = {
        "username": username,
        "role": role,
        "display_name": display_name or username,
    }


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def login_form() -> None:
    """The log-in page; on success the session holds the user and the app reruns into its pages."""
    st.title(t("Sign in to OmniOps"))
    try:
        users = load_users()
    except UsersConfigError as error:
        st.error(str(error))
        return
    if not users:
        st.warning(
            t(
                "No users are configured in `{path}`. Add one with "
                "`omniops users add NAME --role manager` (roles: manager, planner, cs_agent, analyst), "
                "or run `make demo`, which creates one user per role.",
                path=users_file(),
            )
        )
        return
    with st.form("login"):
        username = st.text_input(t("User name"), key="login_username")
        password = st.text_input(t("Password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("Sign in"), type="primary")
    if submitted:
        user = authenticate(username, password)
        if user is None:
            st.error(t("Wrong user name or password."))
            return
        sign_in(user.username, user.role, user.display_name)
        st.rerun()


def user_box(user: SignedIn) -> None:
    st.sidebar.markdown(f"**{user.display_name}** · {t(ROLE_LABELS[user.role])}")
    if st.sidebar.button(t("Sign out"), key="sign_out"):
        sign_out()
        st.rerun()
