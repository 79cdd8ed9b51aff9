"""Shared by every part of OmniOps and free of Dagster and Streamlit: settings and failpoints."""
