-- One row per contact record: every unified order with the contact details it carries, plus every ERP
-- customer. E-mails and phones are normalised (int_customers__identity links records sharing either).
--
-- Incremental: the orders enrichment rewrote since the last build, and every ERP customer (a small
-- table, rewritten each run).
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='contact_record_id',
    post_hook="{{ delete_orders_gone_from(ref('int_order_lines__enriched'), only='order_key is not null') }}",
) }}
with orders as (
    select
        order_key as contact_record_id,
        order_key,
        channel as record_source,
        max(customer_name) as customer_name,
        max(customer_email) as customer_email,
        max({{ normalise_phone('customer_phone') }}) as customer_phone,
        max(case when customer_handle is not null then channel || ':' || customer_handle end)
            as customer_handle,
        min(ordered_at_utc) as ordered_at_utc,
        cast(null as {{ dbt.type_string() }}) as erp_customer_id,
        cast(null as {{ dbt.type_string() }}) as customer_tier,
        cast(null as {{ dbt.type_string() }}) as company
    from {{ ref('int_order_lines__enriched') }}
    {%- if is_incremental() %}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    {%- endif %}
    group by order_key, channel
),

erp as (
    select
        'erp:' || erp_customer_id as contact_record_id,
        cast(null as {{ dbt.type_string() }}) as order_key,
        'erp' as record_source,
        customer_name,
        customer_email,
        {{ normalise_phone('customer_phone') }} as customer_phone,
        cast(null as {{ dbt.type_string() }}) as customer_handle,
        cast(null as timestamp) as ordered_at_utc,
        erp_customer_id,
        customer_tier,
        company
    from {{ ref('stg_erp__customers') }}
),

contacts as (
    select * from orders
    union all
    select * from erp
)

select *, {{ refreshed_at() }} as refreshed_at_utc
from contacts
