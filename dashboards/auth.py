"""Log-in for the Streamlit app: the signed-in user lives in the session state and in a signed cookie.

The cookie (``dashboards/sessions.py``) brings the user back after a reload, in a new tab or from a
bookmark; sign-out revokes it. Failed sign-ins are throttled per user name and per client address
(``dashboards/throttle.py``) and logged to the server's log.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass

import streamlit as st

from dashboards import sessions, throttle
from dashboards.access import ROLE_LABELS, sees_contacts
from dashboards.i18n import t
from dashboards.users import UsersConfigError, authenticate, load_users, users_file

SESSION_KEY = "user"
TOKEN_KEY = "session_token"
COOKIE_PENDING_KEY = "session_cookie_pending"

log = logging.getLogger("omniops.dashboards.auth")
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: str
    display_name: str

    @property
    def sees_contacts(self) -> bool:
        return sees_contacts(self.role)


def current_user() -> SignedIn | None:
    """The session's user; a new session (reload, new tab) takes it from a valid session cookie."""
    entry = st.session_state.get(SESSION_KEY)
    if entry:
        return SignedIn(**entry)
    token = session_cookie()
    username = sessions.username_from(token)
    if username is None:
        return None
    try:
        user = load_users().get(username)
    except UsersConfigError:
        return None
    if user is None:  # removed since the cookie was made
        return None
    sign_in(user.username, user.role, user.display_name)
    st.session_state[TOKEN_KEY] = token
    return current_user()


def sign_in(username: str, role: str, display_name: str | None = None) -> None:
    st.session_state[SESSION_KEY] = {
        "username": username,
        "role": role,
        "display_name": display_name or username,
    }


def sign_out() -> None:
    """End the session here and everywhere its cookie went."""
    sessions.revoke(st.session_state.pop(TOKEN_KEY, None) or session_cookie())
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[COOKIE_PENDING_KEY] = ""


def session_cookie() -> str | None:
    """The session cookie the browser sent when this session opened (None outside a browser)."""
    token = st.context.cookies.get(sessions.COOKIE_NAME)
    return token if isinstance(token, str) else None


def client_address() -> str:
    """The browser's address as the server sees it ("local" on this machine; the proxy's behind one)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def write_cookie() -> None:
    """Send a cookie set (after sign-in) or cleared (after sign-out) by a sign-in or sign-out in the
    previous run; JavaScript writes it, as Streamlit has no response to put a Set-Cookie header on."""
    if COOKIE_PENDING_KEY not in st.session_state:
        return
    token = st.session_state.pop(COOKIE_PENDING_KEY)
    age = int(3600 * sessions.session_hours()) if token else 0
    cookie = json.dumps(f"{sessions.COOKIE_NAME}={token}; Path=/; Max-Age={age}; SameSite=Strict")
    st.html(
        f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def login_form() -> None:
    """The log-in page; on success the session holds the user and the app reruns into its pages."""
    write_cookie()
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
                "`omniops users add NAME --role manager` "
                "(roles: manager, planner, pmc, supervisor, cs_agent, analyst), "
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
        attempt(username.strip(), password)


def attempt(username: str, password: str) -> None:
    """One sign-in: refused while throttled, logged when it fails, the session and cookie set when not."""
    address = client_address()
    wait = throttle.wait_s(username, address)
    if wait > 0:
        log.warning("sign-in refused (throttled) for user %r from %s", username, address)
        st.error(
            t(
                "Too many failed sign-ins for this user or from this address. Try again in {n} min.",
                n=math.ceil(wait / 60),
            )
        )
        return
    user = authenticate(username, password)
    if user is None:
        throttle.record_failure(username, address)
        log.warning("failed sign-in for user %r from %s", username, address)
        st.error(t("Wrong user name or password."))
        return
    throttle.record_success(user.username)
    log.info("signed in: user %r from %s", user.username, address)
    sign_in(user.username, user.role, user.display_name)
    token = sessions.new_token(user.username)
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_PENDING_KEY] = token
    st.rerun()


def user_box(user: SignedIn) -> None:
    st.sidebar.markdown(f"**{user.display_name}** · {t(ROLE_LABELS[user.role])}")
    if st.sidebar.button(t("Sign out"), key="sign_out"):
        sign_out()
        st.rerun()
