"""Planner overrides of the forecast: a planner's number for one series × period, with the reason.

Stored in the operational store (``forecast_overrides``), one row per series × freq × period: setting it
again replaces the number (a new version; the audit log keeps the old one); removing it gives the period
back to the consensus (the audit log keeps the removed row). The forecast stage reads them
(``overrides_frame``) and applies them on top of the consensus; the stair-step scores them as the last
layer once their period has actuals.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import sqlalchemy as sa

from decisions.errors import BadInput
from decisions.people import Actor
from decisions.roles import require
from decisions.store import Store, utcnow
from decisions.tables import forecast_overrides
from decisions.writes import audit, check_version, insert_row, read_row, update_row

FREQS = ("D", "W", "MS")


def override_id(unique_id: str, freq: str, ds: date) -> str:
    return f"{unique_id}@{freq}@{ds:%Y-%m-%d}"


def _check(unique_id: str, freq: str, ds: date, quantity: float, reason: str) -> None:
    if not unique_id.strip():
        raise BadInput("the series (sku|channel) is empty")
    if freq not in FREQS:
        raise BadInput(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    if freq == "MS" and ds.day != 1:
        raise BadInput(f"a monthly period starts on the 1st: {ds:%Y-%m-%d} is not a month start")
    if freq == "W" and ds.weekday() != 0:
        raise BadInput(f"a week starts on Monday: {ds:%Y-%m-%d} is a {ds:%A}")
    if not math.isfinite(quantity) or quantity < 0:
        raise BadInput(f"the quantity must be a number ≥ 0, not {quantity}")
    if not reason.strip():
        raise BadInput("give a reason: the override is scored and read by others")


def set_override(
    store: Store,
    actor: Actor,
    unique_id: str,
    freq: str,
    ds: date,
    quantity: float,
    reason: str,
    replaced: float | None = None,
) -> dict:
    """Store (or replace) the planner's number for ``unique_id`` × ``freq`` period ``ds``. ``replaced``:
    the forecast's number it stands in for, if known; a second override of the period keeps the first
    one's, since the forecast then shows the override itself."""
    require(actor, "forecast.override")
    _check(unique_id, freq, ds, quantity, reason)
    now = utcnow()
    key = override_id(unique_id, freq, ds)
    values = {"quantity": float(quantity), "reason": reason.strip(), "set_by": actor.username, "set_at": now}
    with store.write() as conn:
        current = conn.execute(sa.select(forecast_overrides).where(forecast_overrides.c.id == key))
        before = current.mappings().one_or_none()
        if before is None:
            row = {"id": key, "unique_id": unique_id, "freq": freq, "ds": ds, "replaced": replaced, **values}
            return insert_row(conn, forecast_overrides, row, actor, "forecast.override", now)
        if before["replaced"] is None and replaced is not None:
            values["replaced"] = replaced
        return update_row(conn, forecast_overrides, dict(before), values, actor, "forecast.override", now)


def remove_override(store: Store, actor: Actor, key: str, version: int | None = None) -> dict:
    """Delete the override ``key`` (``override_id``); ``version``: the one the person saw, if any."""
    require(actor, "forecast.override")
    with store.write() as conn:
        before = read_row(conn, forecast_overrides, key)
        check_version(forecast_overrides, before, version)
        conn.execute(forecast_overrides.delete().where(forecast_overrides.c.id == key))
        audit(conn, actor, "forecast.override.remove", forecast_overrides.name, key, before, None, utcnow())
    return before


def list_overrides(store: Store, freq: str | None = None) -> list[dict]:
    query = sa.select(forecast_overrides).order_by(forecast_overrides.c.ds, forecast_overrides.c.unique_id)
    if freq is not None:
        query = query.where(forecast_overrides.c.freq == freq)
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def overrides_frame(rows: list[dict]) -> pd.DataFrame:
    """``unique_id, freq, ds, yhat`` of the stored overrides (what the forecast stage applies)."""
    frame = pd.DataFrame(rows, columns=["unique_id", "freq", "ds", "quantity"])
    return frame.rename(columns={"quantity": "yhat"}).assign(ds=lambda f: pd.to_datetime(f["ds"]))
