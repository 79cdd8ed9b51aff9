"""scheduling: job-shop and plant scheduling with CP-SAT and dispatch rules (no Dagster, no Streamlit)."""

# Seconds a schedule solve may take unless the caller says otherwise (CLI, production asset, library).
DEFAULT_TIME_LIMIT_S = 10.0
# Seconds a rush-order what-if may take: an answer while the planner waits.
RUSH_TIME_LIMIT_S = 4.0
