"""The T-3 loop's KPIs from a warehouse (the build or the published one): the decisions the last run
copied into ``ops.t3_warnings`` with their orders' deadline and finish from the marts. The formulas:
``kpis.t3_loop``. Pages that want the figures the moment a person acts compute the same from the store.
"""

from __future__ import annotations

import pandas as pd

from kpis.t3_loop import T3LoopKpis, t3_loop_kpis

T3_LOOP_SQL = """
with orders as (
    select production_order_id, min(due_date) as order_due_date,
        bool_or(operation_status = 'cancelled') as order_cancelled,
        case when bool_and(operation_status = 'done') then max(last_shift_date) end as order_finished_on
    from marts.fct_production_operations
    where production_order_id in (select production_order_id from ops.t3_warnings)
    group by 1
)
select w.id, w.production_order_id, w.state, w.due_at, w.opened_at, w.acknowledged_at, w.closed_at,
    o.order_due_date, o.order_finished_on, coalesce(o.order_cancelled, false) as order_cancelled
from ops.t3_warnings w
left join orders o using (production_order_id)
order by w.id
"""


def t3_loop_warnings(conn) -> pd.DataFrame:
    """One row per warning with its order's facts: the input of :func:`kpis.t3_loop.t3_loop_kpis`."""
    return conn.execute(T3_LOOP_SQL).df()


def read_t3_loop_kpis(conn, as_of: pd.Timestamp | None = None) -> T3LoopKpis:
    """The KPIs at ``as_of`` (default: the moment of the last plan, ``production.schedule_runs``)."""
    if as_of is None:
        as_of = conn.execute("select max(as_of) from production.schedule_runs").fetchone()[0]
    return t3_loop_kpis(t3_loop_warnings(conn), pd.Timestamp(as_of))
