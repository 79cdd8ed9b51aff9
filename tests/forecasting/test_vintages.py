"""Forecast vintages are kept per as-of date, replaced on re-run, and scored once actuals arrive."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from forecasting.vintages import store_vintage, vintage_accuracy


def _forecast(start: str, values: list[float]) -> pd.DataFrame:
    ds = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame(
        {"unique_id": "A", "ds": ds, "yhat": values, "yhat_lower": values, "yhat_upper": values, "model": "M"}
    )


def test_vintages_are_kept_replaced_on_rerun_and_scored(tmp_path):
    with duckdb.connect(str(tmp_path / "store.duckdb")) as conn:
        assert store_vintage(conn, _forecast("2026-03-02", [10, 10, 10]), date(2026, 3, 1), "D") == 3
        store_vintage(conn, _forecast("2026-03-03", [12, 12]), date(2026, 3, 2), "D")
        # a re-run on 1 March replaces that vintage instead of adding a copy
        store_vintage(conn, _forecast("2026-03-02", [8, 8, 8]), date(2026, 3, 1), "D")
        rows = conn.execute(
            "select as_of, step, yhat from forecasting.forecast_vintages order by as_of, step"
        ).fetchall()
        assert rows == [
            (date(2026, 3, 1), 1, 8.0),
            (date(2026, 3, 1), 2, 8.0),
            (date(2026, 3, 1), 3, 8.0),
            (date(2026, 3, 2), 1, 12.0),
            (date(2026, 3, 2), 2, 12.0),
        ]
        actuals = pd.DataFrame(
            {"unique_id": "A", "ds": pd.date_range("2026-03-02", periods=2), "y": [10.0, 10.0]}
        )
        accuracy = vintage_accuracy(conn, actuals, "D")
    # vintage 1 March: steps 1 and 2 have actuals (|10-8|/10 = 0.2 each); step 3 not yet
    # vintage 2 March: step 1 (3 March) has an actual: |10-12|/10 = 0.2
    assert accuracy[["step", "periods"]].values.tolist() == [[1, 1], [2, 1], [1, 1]]
    assert accuracy["wape"].tolist() == pytest.approx([0.2, 0.2, 0.2])
