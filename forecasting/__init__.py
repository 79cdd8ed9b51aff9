"""forecasting: champion/challenger forecasts of many series (no Dagster, no Streamlit)."""
