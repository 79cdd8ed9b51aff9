"""Reading an outside (judgmental) forecast file: long CSV ``unique_id, ds, yhat``, checked row by row.

The file holds the outside forecast of past periods as it was made one horizon ahead (to learn the blend
weights from) and of the future horizon. A row that cannot be used costs its series the blend, never the
run: the series keeps the model-only forecast and a warning names the file rows (1 = the header) and why.
A file without the three columns is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.models import pandas_freq

COLUMNS = ("unique_id", "ds", "yhat")


@dataclass
class Judgmental:
    """The usable rows (``unique_id, ds, yhat``), the series left to the model alone, and the warnings."""

    forecast: pd.DataFrame
    model_only: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def _rows(mask: pd.Series, limit: int = 10) -> str:
    lines = [str(i + 2) for i in np.flatnonzero(mask.to_numpy())]
    return ", ".join(lines[:limit]) + (f" … ({len(lines)} rows)" if len(lines) > limit else "")


def read_judgmental(path: str, history: pd.DataFrame, freq: str) -> Judgmental:
    """Check the file at ``path`` against the prepared ``history`` (unique_id, ds, y) at ``freq``.

    Unknown series are ignored; duplicate (unique_id, ds) rows, periods off the frequency grid, negative
    or non-numeric values and series without a past period leave their series to the model alone.
    Raises ValueError when the file lacks a column.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; expected unique_id, ds, yhat")
    frame = pd.DataFrame(
        {
            "unique_id": raw["unique_id"].str.strip(),
            "ds": pd.to_datetime(raw["ds"], errors="coerce"),
            "yhat": pd.to_numeric(raw["yhat"], errors="coerce"),
        }
    )
    out = Judgmental(frame)
    known = set(history["unique_id"])
    unknown = ~frame["unique_id"].isin(known)
    if unknown.any():
        names = ", ".join(sorted(set(frame.loc[unknown, "unique_id"]))[:5])
        out.warnings.append(f"{path}: rows {_rows(unknown)}: series not in the history ({names}); ignored")
    offset = pd.tseries.frequencies.to_offset(pandas_freq(freq, history["ds"].min()))
    off_grid = frame["ds"].isna() | ~frame["ds"].map(lambda d: pd.notna(d) and offset.is_on_offset(d))
    checks = {
        "non-numeric yhat": frame["yhat"].isna(),
        "negative yhat": frame["yhat"] < 0,
        f"date not a period start at frequency {freq}": off_grid,
        "duplicate unique_id, ds": frame.duplicated(["unique_id", "ds"], keep=False) & frame["ds"].notna(),
    }
    for reason, bad in checks.items():
        bad = bad & ~unknown
        if bad.any():
            out.model_only |= set(frame.loc[bad, "unique_id"])
            out.warnings.append(f"{path}: rows {_rows(bad)}: {reason}; those series get the model alone")
    last = history.groupby("unique_id")["ds"].max()
    usable = frame[~unknown & ~frame["unique_id"].isin(out.model_only)]
    has_past = usable.loc[usable["ds"] <= usable["unique_id"].map(last), "unique_id"]
    no_past = sorted(set(usable["unique_id"]) - set(has_past))
    if no_past:
        bad = frame["unique_id"].isin(no_past)
        out.model_only |= set(no_past)
        out.warnings.append(
            f"{path}: rows {_rows(bad)}: no past period to learn the weights from "
            f"({', '.join(no_past[:5])}); those series get the model alone"
        )
    out.forecast = frame[~unknown & ~frame["unique_id"].isin(out.model_only)].reset_index(drop=True)
    return out
