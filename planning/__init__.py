"""Planning on plain frames (no Dagster, no database): the forecast stage, the inventory plan, inventory
turnover and the production plan."""
