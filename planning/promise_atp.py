"""ATP per SKU × warehouse × day, read from the warehouse for capable-to-promise (``planning.promise``).

Reads ``marts.fct_atp_daily``, the time-phased ATP every run writes after the production plan
(``inventory.atp``: one definition for the stock feeds, the oversell replay and the promise). Columns:
``sku, warehouse_id, date, on_hand, open_demand, scheduled_receipts, atp`` with, per warehouse and day d,
atp(d) = on_hand − open_demand + scheduled_receipts due on or before d (projected available on d).
"""

from __future__ import annotations

import pandas as pd

ATP_MART = ("marts", "fct_atp_daily")
ATP_COLUMNS = ("sku", "warehouse_id", "date", "on_hand", "open_demand", "scheduled_receipts", "atp")


def has_table(conn, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def read_atp_daily(conn, sku: str, warehouse: str | None = None) -> pd.DataFrame:
    """ATP per warehouse and day of ``sku`` (optionally one ``warehouse``) from the mart."""
    if not has_table(conn, *ATP_MART):
        raise FileNotFoundError(
            f"the published warehouse has no {'.'.join(ATP_MART)} (built by a version before it): "
            "run `omniops run` first"
        )
    frame = conn.execute(
        f"select {', '.join(ATP_COLUMNS)} from {'.'.join(ATP_MART)} where sku = ? order by 2, 3", [sku]
    ).df()
    if warehouse is not None:
        frame = frame[frame["warehouse_id"] == warehouse]
    frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.date)
    return frame.reset_index(drop=True)
