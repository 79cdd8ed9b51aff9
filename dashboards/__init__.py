"""The Streamlit app; it only reads the published warehouse."""
