-- De-duplicated lines with the master SKU (through the ERP alias table), the unified status (through
-- the channel_status_map seed), the order date in the company's zone and amounts in the reporting
-- currency (the month's rate from the ERP).
--
-- Incremental: the orders de-duplication rewrote since the last build; every order when the SKU aliases,
-- the product master or the exchange rates landed anew (they change lines already built). A changed
-- channel_status_map seed needs a full refresh.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook="{{ delete_orders_gone_from(ref('int_order_lines__deduplicated'), ['channel', 'channel_order_id']) }}",
) }}
{%- set recompute_all = not is_incremental() or loaded_since(
    [ref('stg_erp__sku_aliases'), ref('stg_erp__products'), ref('stg_erp__exchange_rates')],
    last_refreshed_at(),
) %}
with lines as (
    select {{ star_except(['refreshed_at_utc']) }} from {{ ref('int_order_lines__deduplicated') }}
    {%- if not recompute_all %}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    {%- endif %}
),

aliases as (
    select channel, channel_sku, sku from {{ ref('stg_erp__sku_aliases') }}
),

products as (
    select sku, unit_cost from {{ ref('stg_erp__products') }}
),

status_map as (
    select channel, channel_status, unified_status from {{ ref('channel_status_map') }}
),

rates as (
    select currency, rate_date, cny_per_unit from {{ ref('stg_erp__exchange_rates') }}
),

resolved as (
    select
        lines.*,
        coalesce(aliases.sku, direct.sku) as sku,
        case
            when aliases.sku is not null then 'alias'
            when direct.sku is not null then 'direct'
            else 'unresolved'
        end as sku_resolution,
        -- a line the channel cancelled or refunded before it shipped is cancelled whatever its order's status
        case when lines.is_line_cancelled then 'cancelled' else status_map.unified_status end as line_status,
        {{ utc_to_local_date('lines.ordered_at_utc', var('company_time_zone')) }} as order_date
    from lines
    left join aliases
        on aliases.channel = lines.channel and aliases.channel_sku = lines.channel_sku
    left join products as direct
        on direct.sku = lines.channel_sku
    left join status_map
        on status_map.channel = lines.channel and status_map.channel_status = lines.channel_status
)

{%- set fx -%}
    case when resolved.currency = '{{ var("reporting_currency") }}' then 1.0 else rates.cny_per_unit end
{%- endset %}
select
    {{ dbt.hash(dbt.concat(["resolved.channel", "'|'", "resolved.channel_order_id"])) }} as order_key,
    {{ dbt.hash(dbt.concat([
        "resolved.channel", "'|'", "resolved.channel_order_id", "'|'", "resolved.channel_line_id"
    ])) }} as order_line_key,
    resolved.*,
    products.unit_cost,
    case when resolved.currency = '{{ var("reporting_currency") }}' then 1.0 else rates.cny_per_unit end
        as fx_rate_to_reporting,
    resolved.gross_amount * {{ fx }} as gross_amount_reporting,
    resolved.discount_amount * {{ fx }} as discount_amount_reporting,
    resolved.line_amount * {{ fx }} as line_amount_reporting,
    resolved.quantity * products.unit_cost as line_cost_reporting,
    {{ refreshed_at() }} as refreshed_at_utc
from resolved
left join products
    on products.sku = resolved.sku
left join rates
    on rates.currency = resolved.currency
    and rates.rate_date = {{ dbt.date_trunc('month', 'resolved.order_date') }}
