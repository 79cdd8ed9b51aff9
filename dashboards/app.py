"""OmniOps dashboards: the entry point ``omniops serve`` runs."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.warehouse import published_db_path, warehouse_version

# Not "pages/": Streamlit would also list that folder as pages of its own, beside st.navigation.
PAGES = Path(__file__).parent / "views"

st.set_page_config(page_title="OmniOps", page_icon="📦", layout="wide")

if warehouse_version() is None:
    st.title("OmniOps")
    st.warning(
        f"No published warehouse yet at `{published_db_path()}`. "
        "Run `omniops run` (or `make demo`) and reload this page."
    )
    st.stop()

navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="KPI overview", icon="📊", default=True),
        st.Page(PAGES / "forecast.py", title="Forecast & inventory", icon="📈"),
        st.Page(PAGES / "production.py", title="Production", icon="🏭"),
        st.Page(PAGES / "data_quality.py", title="Data quality", icon="🧪"),
    ]
)
navigation.run()
