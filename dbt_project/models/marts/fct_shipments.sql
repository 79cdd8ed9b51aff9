-- One row per shipped line from the WMS, linked to its unified order.
--
-- A shipment whose order no export carries (any more) keeps an empty order_key: a warning that lists it
-- (stored failures of its tests), not a failed publish.
--
-- Incremental: the shipment lines landed since the last build, plus the lines built before their order
-- was known (no order_key yet) once it is, and the lines whose order a correction withdrew.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='shipment_line_key',
) }}
with shipments as (
    select
        {{ dbt.hash(dbt.concat([
            "shipment_id", "'|'", "sku", "'|'", "cast(source_record_number as " ~ dbt.type_string() ~ ")", "'|'", "source_file"
        ])) }} as shipment_line_key,
        *
    from {{ ref('stg_wms__shipments') }}
    {%- if is_incremental() %}
    where loaded_at > {{ last_refreshed_at() }}
    {%- endif %}
),

orders as (
    select order_key, channel, fulfilment_ref from {{ ref('fct_orders') }}
),

{% if is_incremental() %}
lines as (
    select shipment_line_key, shipment_id, channel, channel_order_id, warehouse_code, carrier, tracking_no,
        shipped_at_utc, delivered_at_utc, sku, quantity, source_time_zone, true as is_rewritten
    from shipments
    union all
    select shipment_line_key, shipment_id, channel, channel_order_id, warehouse_code, carrier, tracking_no,
        shipped_at_utc, delivered_at_utc, sku, quantity, source_time_zone,
        -- a line whose order was withdrawn is rewritten without it
        order_key is not null as is_rewritten
    from {{ this }}
    where (order_key is null or order_key not in (select order_key from orders))
        and shipment_line_key not in (select shipment_line_key from shipments)
),
{% else %}
lines as (
    select * from shipments
),
{% endif %}

linked as (
    select
        lines.shipment_line_key,
        lines.shipment_id,
        orders.order_key,
        lines.channel,
        lines.channel_order_id,
        lines.warehouse_code,
        lines.carrier,
        lines.tracking_no,
        lines.shipped_at_utc,
        lines.delivered_at_utc,
        {{ utc_to_local_date('lines.shipped_at_utc', var('company_time_zone')) }} as shipped_date,
        {{ utc_to_local_date('lines.delivered_at_utc', var('company_time_zone')) }} as delivered_date,
        lines.sku,
        lines.quantity,
        lines.source_time_zone{{ ', lines.is_rewritten' if is_incremental() }}
    from lines
    left join orders
        on orders.channel = lines.channel and orders.fulfilment_ref = lines.channel_order_id
)

{%- if is_incremental() %}
select {{ star_except(['is_rewritten']) }}, {{ refreshed_at() }} as refreshed_at_utc
from linked
-- an unlinked line whose order is still unknown stays as it is
where order_key is not null or is_rewritten
{%- else %}
select *, {{ refreshed_at() }} as refreshed_at_utc
from linked
{%- endif %}
