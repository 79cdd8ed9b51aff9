-- A warning, not a failure: an order month without an ERP exchange rate leaves those orders without a
-- reporting amount (listed in dq_orders_without_exchange_rate) but must not block the publish of the rest.
-- The stored failures name the currency, the month and the orders.
{{ config(severity='warn', store_failures=true) }}
select
    currency,
    rate_month,
    count(*) as orders,
    string_agg(channel || ' ' || channel_order_id, ', ') as channel_orders,
    string_agg(distinct source_files, ', ') as source_files
from {{ ref('dq_orders_without_exchange_rate') }}
group by currency, rate_month
