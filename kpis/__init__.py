"""KPI maths (pure functions) used by the KPI assets."""
