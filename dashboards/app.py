"""OmniOps dashboards: the entry point ``omniops serve`` runs.

Sign-in first; then each role gets only its own pages (``dashboards/access.py``).
"""

from __future__ import annotations

import streamlit as st

from dashboards import export
from dashboards.access import PAGES, pages_for
from dashboards.auth import current_user, login_form, user_box, write_cookie
from dashboards.i18n import language_switch, t
from dashboards.warehouse import published_db_path, warehouse_version

st.set_page_config(page_title="OmniOps", page_icon="📦", layout="wide")
language_switch()

user = current_user()
if user is None:
    # Every page registered (hidden, not run), so a deep link keeps its address through the sign-in and
    # opens once the user is in, if the role may see it.
    st.navigation(
        [
            st.Page(page.path, title=t(page.title), url_path=page.key, default=i == 0)
            for i, page in enumerate(PAGES)
        ],
        position="hidden",
    )
    login_form()
    st.stop()
write_cookie()
user_box(user)

if warehouse_version() is None:
    st.title("OmniOps")
    st.warning(
        t(
            "No published warehouse yet at `{path}`. "
            "Run `omniops run` (or `make demo`) and reload this page.",
            path=published_db_path(),
        )
    )
    st.stop()

navigation = st.navigation(
    [
        st.Page(page.path, title=t(page.title), icon=page.icon, url_path=page.key, default=index == 0)
        for index, page in enumerate(pages_for(user.role))
    ]
)
export.start_page(navigation.title)
navigation.run()
with st.sidebar:
    export.page_workbook_button()  # every table the page showed, one sheet each
