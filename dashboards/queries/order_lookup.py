"""Queries of the order lookup: one search over ``marts.fct_order_lookup_keys``, then one order's rows.

Always ``?`` parameters: the typed text is a parameter value, never part of the SQL; matching uses
``contains()``, so ``%`` and ``_`` are plain characters. A search scans one table, which carries the
display columns of each order, so a keystroke never joins over all orders.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboards.warehouse import call, query, table_exists

MIN_PHONE_DIGITS = 4
# A text typed with phone characters only (digits, spaces, + ( ) . - /) is also searched as a phone.
PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]+")
LOOKUP_MARTS = ("fct_order_lookup_keys", "fct_order_events", "fct_cs_tickets")
# One scan with contains() of a parameter as its only filter, which DuckDB evaluates in the scan: about
# half the time of one scan with the phone and non-phone conditions OR-ed (benchmarks/scale.py). A
# phone-like text also scans for its digits; which key type matched what is sorted out after the scan.
SEARCH_SQL = """
with params as (select cast(? as varchar) as term, cast(? as varchar) as digits),
hits as (
    select k.*
    from marts.fct_order_lookup_keys as k, params as p
    where ({scan})
        and ({hit})
),
matched as (
    select
        k.order_key, k.channel, k.channel_order_id, k.sub_channel, k.customer_name, k.order_status,
        k.ordered_at_utc, k.order_amount, k.currency,
        list_sort(list(distinct k.key_type)) as matched_on,
        coalesce(bool_or(case
            when k.key_type = 'phone'
                then k.search_value = p.digits
                    or (length(p.digits) >= 7 and ends_with(k.search_value, p.digits))
            else ltrim(k.search_value, '#') = ltrim(p.term, '#')
        end), false) as is_exact
    from hits as k, params as p
    group by all
)
select *, count(*) over () as matches
from matched
order by is_exact desc, ordered_at_utc desc, order_key
limit ?
"""


def missing_marts() -> list[str]:
    return [name for name in LOOKUP_MARTS if not table_exists("marts", name)]


def search_terms(text: str) -> tuple[str, str | None]:
    """What a typed text is compared with: (lower case without spaces, phone digits or None).

    Only a text written like a phone is also searched as one, so ``' or 1=1 --`` does not become a
    search for every phone containing ``11``. A full number (7+ digits) loses its leading zeros: the
    ``00`` international prefix and a national trunk ``0`` are not in the stored E.164 digits.
    """
    term = re.sub(r"\s+", "", text).lower()
    digits = None
    if PHONE_LIKE.fullmatch(text.strip()):
        found = re.sub(r"\D", "", text)
        if len(found) >= 7:
            found = found.lstrip("0")
        if len(found) >= MIN_PHONE_DIGITS:
            digits = found
    return term, digits


CONTACT_HIT = """(k.key_type <> 'phone' and contains(k.search_value, p.term))
            or (k.key_type = 'phone' and contains(k.search_value, p.digits))"""
# Roles that see contacts masked search order numbers and customer names only: a search by part of a
# phone or e-mail would let them read it back one character at a time.
NUMBER_OR_NAME_HIT = """k.key_type = 'order_number' and (contains(k.search_value, p.term)
            or contains(replace(lower(k.customer_name), ' ', ''), p.term))"""


def search_query(term: str, digits: str | None, limit: int, *, contacts: bool = True) -> tuple[str, tuple]:
    """The search's SQL and its parameters for a typed text's ``search_terms``; ``contacts`` False
    searches order numbers and names only."""
    if not contacts:
        scan = "k.key_type = 'order_number'"
        return SEARCH_SQL.format(scan=scan, hit=NUMBER_OR_NAME_HIT), (term, None, limit)
    if digits is None or digits == term:
        sql = SEARCH_SQL.format(scan="contains(k.search_value, ?)", hit=CONTACT_HIT)
        return sql, (term, digits, term, limit)
    scan = "contains(k.search_value, ?) or contains(k.search_value, ?)"
    return SEARCH_SQL.format(scan=scan, hit=CONTACT_HIT), (term, digits, term, digits, limit)


def search(term: str, digits: str | None, limit: int, *, contacts: bool = True) -> pd.DataFrame:
    """The best ``limit`` matching orders (exact first, then newest), each with the total ``matches``."""
    return query(*search_query(term, digits, limit, contacts=contacts))


# ---- one order ------------------------------------------------------------------------------------------


def order(order_key: str) -> pd.Series:
    return query("select * from marts.fct_orders where order_key = ?", (order_key,)).iloc[0]


def contacts(order_key: str) -> pd.DataFrame:
    """The order's phones and e-mails."""
    return query(
        "select key_type, key_value, key_sources, customer_name from marts.fct_order_lookup_keys "
        "where order_key = ? and key_type in ('phone', 'email') order by key_type, key_value",
        (order_key,),
    )


def events(order_key: str) -> pd.DataFrame:
    return query(
        "select event_type, stage_rank, event_at_utc, event_source, shipment_id, carrier, tracking_no, "
        "warehouse_code, units, ticket_id, reference from marts.fct_order_events where order_key = ? "
        "order by event_at_utc nulls last, stage_rank, shipment_id, ticket_id",
        (order_key,),
    )


def lines(order_key: str) -> pd.DataFrame:
    return query(
        "select l.line_number, l.sku, coalesce(l.item_name, p.product_name) as item_name, l.quantity, "
        "l.unit_price, l.line_amount, l.currency, l.line_status "
        "from marts.fct_order_lines as l left join marts.dim_products as p on p.sku = l.sku "
        "where l.order_key = ? order by l.line_number, l.channel_line_id",
        (order_key,),
    )


def shipments(order_key: str) -> pd.DataFrame:
    """One row per shipment, delivered only when all its lines are."""
    return query(
        "select shipment_id, any_value(warehouse_code) as warehouse_code, any_value(carrier) as carrier, "
        "any_value(tracking_no) as tracking_no, min(shipped_at_utc) as shipped_at_utc, "
        "case when count(*) = count(delivered_at_utc) then max(delivered_at_utc) end as delivered_at_utc, "
        "string_agg(sku || ' × ' || quantity, ', ' order by sku) as contents, sum(quantity) as units "
        "from marts.fct_shipments where order_key = ? "
        "group by shipment_id order by shipped_at_utc, shipment_id",
        (order_key,),
    )


def tickets(order_key: str) -> pd.DataFrame:
    return query(
        "select ticket_id, created_at_utc, category, subject, customer_contact, first_response_minutes, "
        "resolved_at_utc, status, agent from marts.fct_cs_tickets "
        "where order_key = ? order by created_at_utc",
        (order_key,),
    )


def customer(customer_key: str) -> pd.DataFrame:
    return query(
        "select customer_name, customer_tier, company, orders, channels, match_rules, match_confidence "
        "from marts.dim_customers where customer_key = ?",
        (customer_key,),
    )


def other_orders(customer_key: str, order_key: str, limit: int) -> pd.DataFrame:
    """The customer's other orders, newest first, each with the ``total`` there are."""
    return query(
        "select order_key, channel, channel_order_id, order_status, ordered_at_utc, order_amount, currency, "
        "count(*) over () as total from marts.fct_orders where customer_key = ? and order_key <> ? "
        "order by ordered_at_utc desc, order_key limit ?",
        (customer_key, order_key, limit),
    )


def replacement_stock(order_key: str) -> pd.DataFrame:
    """Available units of the order's SKUs per warehouse in the latest stock snapshot."""
    return query(
        "with latest as (select max(snapshot_date) as snapshot_date from marts.fct_inventory_daily), "
        "skus as (select distinct sku from marts.fct_order_lines where order_key = ? and sku is not null) "
        "select skus.sku, i.warehouse_code, i.available_qty, latest.snapshot_date "
        "from skus cross join latest left join marts.fct_inventory_daily as i "
        "on i.sku = skus.sku and i.snapshot_date = latest.snapshot_date order by skus.sku, i.warehouse_code",
        (order_key,),
    )


def expected_ship(order_key: str) -> pd.DataFrame:
    """The open lines of an open order with their expected ship date (``planning.promise_answer``)."""
    from core.settings import COMPANY_TIME_ZONE

    return call("planning.promise_answer.expected_ship_dates", order_key, COMPANY_TIME_ZONE)
