"""Every run's forecast kept as a vintage, so accuracy can be measured later against what happened.

A vintage is the forecast made on one as-of date at one frequency. Storing the same vintage again
(a re-run on the same day) replaces it rather than adding a second copy, so the store stays one row per
(as_of, frequency, series, period). Stored in DuckDB, the project's warehouse engine; the caller passes
the connection, so this module opens no file of its own.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

TABLE = "forecast_vintages"
COLUMNS = ["as_of", "freq", "unique_id", "ds", "step", "model", "yhat", "yhat_lower", "yhat_upper"]


def ensure_store(conn: duckdb.DuckDBPyConnection, schema: str = "forecasting") -> str:
    """Create the vintage table if absent; returns its qualified name."""
    conn.execute(f"create schema if not exists {schema}")
    conn.execute(
        f"""create table if not exists {schema}.{TABLE} (
            as_of date not null, freq varchar not null, unique_id varchar not null, ds date not null,
            step integer not null, model varchar not null,
            yhat double, yhat_lower double, yhat_upper double
        )"""
    )
    return f"{schema}.{TABLE}"


def store_vintage(
    conn: duckdb.DuckDBPyConnection,
    forecast: pd.DataFrame,
    as_of: date,
    freq: str,
    schema: str = "forecasting",
) -> int:
    """Store a forecast (unique_id, ds, yhat, yhat_lower, yhat_upper, model) as the vintage of ``as_of``.

    ``step`` numbers each series' future periods 1, 2, … so accuracy can be read by lead time.
    Returns the number of rows stored.
    """
    table = ensure_store(conn, schema)
    frame = forecast.sort_values(["unique_id", "ds"]).copy()
    frame["ds"] = pd.to_datetime(frame["ds"]).dt.date
    frame["step"] = frame.groupby("unique_id").cumcount() + 1
    frame["as_of"] = as_of
    frame["freq"] = freq
    frame = frame[COLUMNS]
    conn.execute("begin transaction")
    conn.execute(f"delete from {table} where as_of = ? and freq = ?", [as_of, freq])
    conn.register("vintage_frame", frame)
    conn.execute(f"insert into {table} by name select * from vintage_frame")
    conn.unregister("vintage_frame")
    conn.execute("commit")
    return len(frame)


def vintage_accuracy(
    conn: duckdb.DuckDBPyConnection, actuals: pd.DataFrame, freq: str, schema: str = "forecasting"
) -> pd.DataFrame:
    """WAPE of every stored vintage against actuals (unique_id, ds, y), per as-of date and lead step.

    Only periods that have an actual count, so a vintage is scored as far as time has caught up with it.
    """
    table = ensure_store(conn, schema)
    conn.register("actuals_frame", actuals.assign(ds=pd.to_datetime(actuals["ds"]).dt.date))
    result = conn.execute(
        f"""select v.as_of, v.step, count(*) as periods,
                   sum(abs(a.y - v.yhat)) / nullif(sum(abs(a.y)), 0) as wape
            from {table} v join actuals_frame a using (unique_id, ds)
            where v.freq = ?
            group by v.as_of, v.step order by v.as_of, v.step""",
        [freq],
    ).df()
    conn.unregister("actuals_frame")
    return result
