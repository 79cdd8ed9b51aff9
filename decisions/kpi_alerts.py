"""KPI alerts: a user subscribes to OTD, OEE or the first response time, and hears when it crosses its
target (``seeds/kpi_targets.csv``) — through the inbox, the run alerts' webhook and e-mail, like every
decision notification (``decisions.notify``).

After each run, :func:`latest_week` reads each KPI over the last seven days with data (and the seven
before) from the daily KPI marts, and :func:`send_alerts` compares it with the state it was last alerted
at (table ``kpi_alert_state``): a KPI that went off target, or came back on it, notifies every
subscriber once; one that stays where it was says nothing again. The first reading of a KPI alerts only
when it is off target. Subscribing is open to every role (it changes nothing but one's own inbox) and
leaves an audit row like every write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from decisions.errors import BadInput, NotFound
from decisions.notify import queue
from decisions.people import SYSTEM, Actor
from decisions.seeds import kpi_target_rows
from decisions.store import Store, utcnow
from decisions.tables import kpi_alert_state, kpi_subscriptions
from decisions.writes import audit, insert_row, update_row

ENTITY = "kpi_alert"
WEEK_DAYS = 7


@dataclass(frozen=True)
class KpiSource:
    """Where a KPI's daily numerator and denominator live: value = Σ numerator ÷ Σ denominator."""

    label: str
    table: str
    day: str
    numerator: str
    denominator: str
    unit: str  # ratio | minutes


KPIS = {
    "otd_rate": KpiSource(
        "On-time delivery",
        "marts.kpi_delivery_daily",
        "delivered_date",
        "on_time_orders",
        "delivered_orders",
        "ratio",
    ),
    "oee": KpiSource(
        "OEE", "marts.kpi_machine_daily", "shift_date", "oee_weighted", "planned_production_minutes", "ratio"
    ),
    "cs_first_response": KpiSource(
        "First response time",
        "marts.kpi_cs_daily",
        "created_date",
        "first_response_minutes",
        "answered_tickets",
        "minutes",
    ),
}


@dataclass(frozen=True)
class KpiReading:
    kpi: str
    value: float | None
    target: float
    direction: str  # min: at least the target; max: at most
    period_start: date
    period_end: date
    previous: float | None = None  # the seven days before

    @property
    def on_target(self) -> bool | None:
        return on_target(self.value, self.target, self.direction)


def on_target(value: float | None, target: float, direction: str) -> bool | None:
    """``value ≥ target`` for a KPI to maximise (``min``), ``value ≤ target`` for one to minimise
    (``max``); None without a value."""
    if value is None:
        return None
    return value >= target if direction == "min" else value <= target


def crossing(reading: KpiReading, last_on_target: bool | None) -> str | None:
    """``off_target`` / ``on_target`` when the reading is on the other side of the target than the state
    last alerted at (no state yet: only ``off_target``); None when nothing changed or no value."""
    now = reading.on_target
    if now is None or now == last_on_target or (last_on_target is None and now):
        return None
    return "on_target" if now else "off_target"


def targets() -> dict[str, tuple[float, str]]:
    """KPI → (target, direction) from ``seeds/kpi_targets.csv`` for the KPIs that can be alerted."""
    out = {}
    for number, row in enumerate(kpi_target_rows(), start=2):
        if row["kpi"] in KPIS:
            try:
                out[row["kpi"]] = (float(row["target"]), row["direction"])
            except ValueError:
                raise ValueError(
                    f"seeds/kpi_targets.csv row {number}: target {row['target']!r} is not a number"
                ) from None
    return out


def fmt(kpi: str, value: float | None) -> str:
    if value is None:
        return "no value"
    return f"{value:.1%}" if KPIS[kpi].unit == "ratio" else f"{value:.0f} min"


def latest_week(warehouse) -> list[KpiReading]:
    """Each KPI over the last seven days with data in its mart, and over the seven days before
    (``warehouse``: a DuckDB connection to the build or the published warehouse)."""
    readings = []
    for kpi, (target, direction) in targets().items():
        s = KPIS[kpi]
        last = warehouse.execute(f"select max({s.day}) from {s.table}").fetchone()[0]
        if last is None:
            continue
        start, before = last - timedelta(days=WEEK_DAYS - 1), last - timedelta(days=2 * WEEK_DAYS - 1)
        week, earlier = f"filter (where {s.day} >= ?)", f"filter (where {s.day} < ?)"
        sql = (
            f"select sum({s.numerator}) {week} / nullif(sum({s.denominator}) {week}, 0), "
            f"sum({s.numerator}) {earlier} / nullif(sum({s.denominator}) {earlier}, 0) "
            f"from {s.table} where {s.day} between ? and ?"
        )
        value, previous = warehouse.execute(sql, [start, start, start, start, before, last]).fetchone()
        value, previous = (None if v is None else float(v) for v in (value, previous))
        readings.append(KpiReading(kpi, value, target, direction, start, last, previous))
    return readings


def _message(reading: KpiReading, kind: str) -> str:
    s = KPIS[reading.kpi]
    side = {"off_target": "is off its target", "on_target": "is back on its target"}[kind]
    bound = "at least" if reading.direction == "min" else "at most"
    previous = (
        f"; the 7 days before: {fmt(reading.kpi, reading.previous)}" if reading.previous is not None else ""
    )
    return (
        f"KPI alert: {s.label} {fmt(reading.kpi, reading.value)} over {reading.period_start:%Y-%m-%d} – "
        f"{reading.period_end:%Y-%m-%d} {side} ({bound} {fmt(reading.kpi, reading.target)}){previous}."
    )


# ---- subscriptions ----------------------------------------------------------------------------------


def _kpi(kpi: str) -> str:
    if kpi not in KPIS:
        raise BadInput(f"no KPI alert {kpi!r}: choose one of {', '.join(KPIS)}")
    return kpi


def subscribe(store: Store, actor: Actor, kpi: str, now: datetime | None = None) -> dict:
    """``actor`` hears when ``kpi`` crosses its target; subscribing twice keeps the first."""
    now, key = now or utcnow(), f"{actor.username}/{_kpi(kpi)}"
    with store.write() as conn:
        row = (
            conn.execute(sa.select(kpi_subscriptions).where(kpi_subscriptions.c.id == key)).mappings().first()
        )
        if row is not None:
            return dict(row)
        values = {"id": key, "username": actor.username, "kpi": kpi, "subscribed_at": now}
        return insert_row(conn, kpi_subscriptions, values, actor, "kpi.subscribe", now)


def unsubscribe(store: Store, actor: Actor, kpi: str, now: datetime | None = None) -> dict:
    now, key = now or utcnow(), f"{actor.username}/{_kpi(kpi)}"
    with store.write() as conn:
        row = (
            conn.execute(sa.select(kpi_subscriptions).where(kpi_subscriptions.c.id == key)).mappings().first()
        )
        if row is None:
            raise NotFound(f"{actor.username} is not subscribed to {kpi}; nothing was changed")
        conn.execute(kpi_subscriptions.delete().where(kpi_subscriptions.c.id == key))
        audit(conn, actor, "kpi.unsubscribe", kpi_subscriptions.name, key, dict(row), None, now)
        return dict(row)


def subscriptions(store: Store, username: str | None = None) -> list[dict]:
    query = sa.select(kpi_subscriptions).order_by(kpi_subscriptions.c.kpi, kpi_subscriptions.c.username)
    if username:
        query = query.where(kpi_subscriptions.c.username == username)
    with store.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


# ---- after a run ------------------------------------------------------------------------------------


def send_alerts(store: Store, readings: list[KpiReading], now: datetime | None = None) -> list[dict]:
    """Queue a notification to each subscriber of every KPI that crossed its target (see the module
    docstring) and record the new state; one transaction per KPI. Returns one record per crossing."""
    now = now or utcnow()
    sent = []
    for reading in readings:
        if reading.on_target is None:
            continue
        with store.write() as conn:
            state = conn.execute(sa.select(kpi_alert_state).where(kpi_alert_state.c.id == reading.kpi))
            state = state.mappings().first()
            kind = crossing(reading, None if state is None else state["on_target"])
            values = {
                "on_target": reading.on_target,
                "value": reading.value,
                "target": reading.target,
                "period_start": reading.period_start,
                "period_end": reading.period_end,
            }
            if state is None:
                insert_row(conn, kpi_alert_state, {"id": reading.kpi, **values}, SYSTEM, "kpi.reading", now)
            elif kind:
                update_row(conn, kpi_alert_state, dict(state), values, SYSTEM, "kpi.crossed", now)
            if not kind:
                continue
            recipients = (
                conn.execute(
                    sa.select(kpi_subscriptions.c.username)
                    .where(kpi_subscriptions.c.kpi == reading.kpi)
                    .order_by(kpi_subscriptions.c.username)
                )
                .scalars()
                .all()
            )
            message = _message(reading, kind)
            for user in recipients:
                queue(conn, user, ENTITY, reading.kpi, kind, message, now)
        sent.append(
            {"kpi": reading.kpi, "kind": kind, "value": reading.value, "recipients": list(recipients)}
        )
    return sent
