"""forecasting: a plain library (no Dagster, no Streamlit); filled by its own issue."""
