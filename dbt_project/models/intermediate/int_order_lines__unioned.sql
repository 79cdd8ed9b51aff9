-- Every channel's order lines in one shape, before de-duplication. One row per source row (per
-- thread line for social commerce). `channel_line_id` identifies a line within its channel order;
-- `record_updated_at_utc` orders copies of the same order so the newest export wins.
-- Per line: `is_line_cancelled` when the channel's own line-level field says the line was refunded or
-- cancelled before it shipped, and gross_amount − discount_amount = line_amount (net), as
-- docs/data_sources.md ("Statuses and amounts") describes for each channel. `partial_reason`: why this copy
-- of the order is incomplete (Shopify: its lines do not add up to its own Subtotal), else null.
--
-- Incremental: a run reads only the files landed since the last build (a constant list, so the filter
-- reaches below the staging views' per-file windows) and replaces the rows of each such file, keyed by
-- `refresh_unit` (the file; for social commerce the thread, whose lines come from its latest event).
-- depends_on: {{ ref('stg_social__events') }}
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='refresh_unit',
) }}
{%- set new_files = files_landed_since([
    ['shopify', 'orders'], ['amazon', 'all_orders'], ['tmall', 'orders'], ['social', 'events'],
    ['stores', 'pos_receipts'], ['stores', 'store_orders'],
], last_refreshed_at()) %}
{%- set only_new_files -%}
    {%- if is_incremental() %}where source_file in {{ sql_list(new_files) }}{% endif -%}
{%- endset %}
with shopify as (
    select
        'shopify' as channel,
        order_name as channel_order_id,
        cast(line_number as {{ dbt.type_string() }}) as channel_line_id,
        line_number,
        cast(null as {{ dbt.type_string() }}) as sub_channel,
        channel_status,
        line_fulfillment_status as channel_line_status,
        -- a line still pending in a refunded order was refunded before it shipped
        coalesce(line_fulfillment_status = 'pending'
            and financial_status in ('partially_refunded', 'refunded'), false) as is_line_cancelled,
        created_at_utc as ordered_at_utc,
        paid_at_utc,
        billing_name as customer_name,
        customer_email,
        shipping_phone as customer_phone,
        cast(null as {{ dbt.type_string() }}) as customer_handle,
        channel_sku,
        item_name,
        quantity,
        unit_price,
        gross_amount,
        discount_amount,
        gross_amount - discount_amount as line_amount,
        currency,
        cast(null as date) as channel_promised_date,
        order_name as fulfilment_ref,
        'ship' as fulfilment_type,
        greatest(
            created_at_utc,
            coalesce(paid_at_utc, created_at_utc),
            coalesce(fulfilled_at_utc, created_at_utc),
            coalesce(cancelled_at_utc, created_at_utc)
        ) as record_updated_at_utc,
        gross_amount - discount_amount is null as has_data_issue,
        partial_reason,
        source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('stg_shopify__orders') }}
    {{ only_new_files }}
),

amazon as (
    select
        'amazon' as channel,
        amazon_order_id as channel_order_id,
        channel_sku as channel_line_id,
        cast(row_number() over (
            partition by source_file, amazon_order_id order by source_record_number
        ) as integer) as line_number,
        sales_channel as sub_channel,
        channel_status,
        item_status as channel_line_status,
        coalesce(item_status = 'Cancelled', false) as is_line_cancelled,
        purchase_date_utc as ordered_at_utc,
        cast(null as timestamp) as paid_at_utc,
        cast(null as {{ dbt.type_string() }}) as customer_name,
        cast(null as {{ dbt.type_string() }}) as customer_email,
        cast(null as {{ dbt.type_string() }}) as customer_phone,
        cast(null as {{ dbt.type_string() }}) as customer_handle,
        channel_sku,
        item_name,
        quantity,
        cast(item_price / nullif(quantity, 0) as decimal(18, 2)) as unit_price,
        item_price as gross_amount,
        -- Amazon reports write promotions as positive or negative amounts, depending on the report
        abs(coalesce(item_promotion_discount, 0)) as discount_amount,
        item_price - abs(coalesce(item_promotion_discount, 0)) as line_amount,
        currency,
        cast(null as date) as channel_promised_date,
        amazon_order_id as fulfilment_ref,
        'ship' as fulfilment_type,
        last_updated_at_utc as record_updated_at_utc,
        item_price is null and channel_status <> 'Pending' as has_data_issue,
        cast(null as {{ dbt.type_string() }}) as partial_reason,
        source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('stg_amazon__all_orders') }}
    {{ only_new_files }}
),

tmall as (
    select
        'tmall' as channel,
        order_id as channel_order_id,
        sub_order_id as channel_line_id,
        cast(row_number() over (
            partition by source_file, order_id order by source_record_number
        ) as integer) as line_number,
        shop_name as sub_channel,
        channel_status,
        order_status || '/' || coalesce(refund_status, '') as channel_line_status,
        -- a sub-order closed without a parcel never shipped: refunded before shipping, not returned
        coalesce(order_status = '交易关闭' and coalesce(tracking_no, '') = '', false) as is_line_cancelled,
        created_at_utc as ordered_at_utc,
        paid_at_utc,
        consignee_name as customer_name,
        cast(null as {{ dbt.type_string() }}) as customer_email,
        mobile_phone as customer_phone,
        buyer_nick as customer_handle,
        channel_sku,
        item_name,
        quantity,
        unit_price,
        quantity * unit_price as gross_amount,
        quantity * unit_price - amount_paid as discount_amount,
        amount_paid as line_amount,
        currency,
        cast(null as date) as channel_promised_date,
        order_id as fulfilment_ref,
        'ship' as fulfilment_type,
        greatest(
            created_at_utc,
            coalesce(paid_at_utc, created_at_utc),
            coalesce(shipped_at_utc, created_at_utc),
            coalesce(received_at_utc, created_at_utc)
        ) as record_updated_at_utc,
        false as has_data_issue,
        cast(null as {{ dbt.type_string() }}) as partial_reason,
        source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('stg_tmall__orders') }}
    {{ only_new_files }}
),

social as (
    select
        'social' as channel,
        thread_id as channel_order_id,
        cast(line_number as {{ dbt.type_string() }}) as channel_line_id,
        cast(line_number as integer) as line_number,
        platform as sub_channel,
        channel_status,
        cast(null as {{ dbt.type_string() }}) as channel_line_status,
        false as is_line_cancelled,
        ordered_at_utc,
        paid_at_utc,
        customer_nickname as customer_name,
        cast(null as {{ dbt.type_string() }}) as customer_email,
        customer_phone,
        customer_wechat_id as customer_handle,
        channel_sku,
        cast(null as {{ dbt.type_string() }}) as item_name,
        quantity,
        unit_price,
        quantity * unit_price as gross_amount,
        cast(0 as decimal(18, 2)) as discount_amount,
        quantity * unit_price as line_amount,
        currency,
        promised_date as channel_promised_date,
        coalesce(order_no, thread_id) as fulfilment_ref,
        'ship' as fulfilment_type,
        last_event_at_utc as record_updated_at_utc,
        false as has_data_issue,
        cast(null as {{ dbt.type_string() }}) as partial_reason,
        'Asia/Shanghai' as source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('int_social__threads') }}
    {%- if is_incremental() %}
    where thread_id in (
        select thread_id from {{ ref('stg_social__events') }} where source_file in {{ sql_list(new_files) }}
    )
    {%- endif %}
),

pos as (
    select
        'stores' as channel,
        receipt_no as channel_order_id,
        cast(line_number as {{ dbt.type_string() }}) as channel_line_id,
        cast(line_number as integer) as line_number,
        store_code as sub_channel,
        case when max(case when quantity < 0 then 1 else 0 end) over (partition by receipt_no) = 1
            then 'return' else 'sale'
        end as channel_status,
        cast(null as {{ dbt.type_string() }}) as channel_line_status,
        false as is_line_cancelled,
        sold_at_utc as ordered_at_utc,
        sold_at_utc as paid_at_utc,
        cast(null as {{ dbt.type_string() }}) as customer_name,
        cast(null as {{ dbt.type_string() }}) as customer_email,
        member_phone as customer_phone,
        cast(null as {{ dbt.type_string() }}) as customer_handle,
        channel_sku,
        item_name,
        quantity,
        unit_price,
        line_total as gross_amount,
        cast(0 as decimal(18, 2)) as discount_amount,
        line_total as line_amount,
        currency,
        cast(null as date) as channel_promised_date,
        receipt_no as fulfilment_ref,
        'counter' as fulfilment_type,
        sold_at_utc as record_updated_at_utc,
        false as has_data_issue,
        cast(null as {{ dbt.type_string() }}) as partial_reason,
        source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('stg_stores__pos_receipts') }}
    {{ only_new_files }}
),

store_orders as (
    select
        'stores' as channel,
        order_no as channel_order_id,
        cast(line_number as {{ dbt.type_string() }}) as channel_line_id,
        line_number,
        store_code as sub_channel,
        channel_status,
        cast(null as {{ dbt.type_string() }}) as channel_line_status,
        false as is_line_cancelled,
        created_at_utc as ordered_at_utc,
        invoiced_at_utc as paid_at_utc,
        customer_name,
        customer_email,
        customer_phone,
        company as customer_handle,
        channel_sku,
        cast(null as {{ dbt.type_string() }}) as item_name,
        quantity,
        unit_price,
        quantity * unit_price as gross_amount,
        cast(0 as decimal(18, 2)) as discount_amount,
        quantity * unit_price as line_amount,
        currency,
        promised_date as channel_promised_date,
        order_no as fulfilment_ref,
        'ship' as fulfilment_type,
        greatest(
            created_at_utc,
            coalesce(stock_checked_at_utc, created_at_utc),
            coalesce(invoiced_at_utc, created_at_utc)
        ) as record_updated_at_utc,
        false as has_data_issue,
        cast(null as {{ dbt.type_string() }}) as partial_reason,
        source_time_zone,
        source_file,
        source_record_number,
        loaded_at
    from {{ ref('stg_stores__store_orders') }}
    {{ only_new_files }}
),

unioned as (
    select * from shopify
    union all select * from amazon
    union all select * from tmall
    union all select * from social
    union all select * from pos
    union all select * from store_orders
)

select
    *,
    case when channel = 'social' then 'thread:' || channel_order_id else 'file:' || source_file end
        as refresh_unit,
    {{ refreshed_at() }} as refreshed_at_utc
from unioned
