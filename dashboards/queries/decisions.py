"""What people decided, for the pages of the loops (T-3 inbox, daily close, rush orders).

Read from the operational store through ``decisions`` when it can be reached (a decision shows the
moment it is saved, in every session), else from the warehouse's copy in schema ``ops`` (as of the last
run). Either way the same columns: the store's tables (``decisions/tables.py``).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from dashboards.decision_store import StoreAccess
from dashboards.warehouse import published_cursor, query, table_exists
from decisions import close_loop, notify, rush_loop, t3_loop
from decisions.tables import close_days, close_variances, notifications, rush_proposals, t3_warnings


def _frame(rows: list[dict], table) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.name for c in table.columns])


def _ops(table, where: str = "", params: tuple = (), order: str = "id") -> pd.DataFrame:
    """A table of the warehouse's copy (empty, with the store's columns, before the first run has one)."""
    if not table_exists("ops", table.name):
        return _frame([], table)
    return query(f'select * from ops."{table.name}" {where} order by {order}', params)


def warnings(access: StoreAccess, owner: str | None = None) -> pd.DataFrame:
    """T-3 warnings, due first; ``owner``: only theirs."""
    if access.store is not None:
        return _frame(t3_loop.list_warnings(access.store, owner=owner), t3_warnings)
    where = "where owner = ?" if owner else ""
    return _ops(t3_warnings, where, (owner,) if owner else (), order="due_at, id")


def inbox(access: StoreAccess, username: str) -> pd.DataFrame:
    """The user's notifications, newest first."""
    if access.store is not None:
        return _frame(notify.inbox(access.store, username), notifications)
    return _ops(notifications, "where recipient = ?", (username,), order="id desc")


def close_records(access: StoreAccess) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(close records newest first, their variances)."""
    if access.store is None:
        return _ops(close_days, order="day desc, id"), _ops(close_variances)
    days = close_loop.show(access.store)
    variances = [v for d in days for v in d.pop("variances")]
    return _frame(days, close_days), _frame(variances, close_variances)


def close_pending(access: StoreAccess, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The manager's view: (days before ``today`` not signed, corrective actions overdue and not done)."""
    if access.store is not None:
        found = close_loop.pending(access.store, today)
        overdue = pd.DataFrame(found["overdue_actions"])
        return _frame(found["unsigned"], close_days), overdue
    unsigned = _ops(close_days, "where state <> 'signed' and day < ?", (today,), order="day, id")
    if not table_exists("ops", "close_variances"):
        return unsigned, pd.DataFrame()
    overdue = query(
        "select v.*, d.owner from ops.close_variances v join ops.close_days d on d.id = v.close_id "
        "where v.action_due < ? and v.action_done_at is null order by v.action_due, v.id",
        (today,),
    )
    return unsigned, overdue


def proposals(access: StoreAccess) -> pd.DataFrame:
    """Rush proposals by number; ``delayed_orders`` as a list of records."""
    if access.store is not None:
        return _frame(rush_loop.list_proposals(access.store), rush_proposals)
    found = _ops(rush_proposals)
    found["delayed_orders"] = [json.loads(text or "[]") for text in found["delayed_orders"]]
    return found


def order_customers(order_ids: list[str]) -> pd.DataFrame:
    """Each production order's sales order (``channel:number``) and its customer, where it has one."""
    if not order_ids:
        return pd.DataFrame(columns=["production_order_id", "sales_order_ref", "customer_name"])
    return query(
        "select p.production_order_id, p.sales_order_ref, c.customer_name "
        "from staging.stg_erp__production_orders p "
        "left join marts.fct_orders o "
        "on o.channel = p.sales_order_channel and o.fulfilment_ref = p.sales_order_id "
        "left join marts.dim_customers c on c.customer_key = o.customer_key "
        "where p.production_order_id in (select unnest(string_split(?, ','))) "
        "qualify row_number() over (partition by p.production_order_id order by o.order_key) = 1",
        (",".join(sorted(order_ids)),),
    )


def evaluate_rush(
    sku: str, quantity: int, due_at, tier: str, frozen_minutes: int, time_limit: float, held: list[dict]
) -> dict:
    """The rush order's result on the published plan holding the ``held`` proposals (approved, not yet
    planned) first, as ``omniops rush propose`` computes it."""
    with published_cursor() as cursor:
        return rush_loop.evaluate(cursor, sku, quantity, due_at, tier, frozen_minutes, time_limit, held=held)
