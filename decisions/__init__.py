"""The operational store: what people decide (T-3 warnings acknowledged and resolved, …), apart from the
analytical warehouse. SQLAlchemy 2 + Alembic; free of Dagster, Streamlit and the layers above.

The loops, their states and who may do what: docs/workflows.md.
"""
