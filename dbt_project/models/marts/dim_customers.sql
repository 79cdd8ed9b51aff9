-- One row per customer: every contact record (orders of any channel, ERP customers) linked by a shared
-- e-mail, phone or channel handle (int_customers__identity). E-mails and phones are kept only hashed
-- (for matching a lookup) and masked (for display); the clear values stay in the intermediate layer.
--
-- Incremental: the customers with a record that int_customers__identity re-stamped, an order whose contact
-- record was rewritten or an ERP customer landed since the last build are recomputed from all their
-- records; the post-hook deletes the customers no record belongs to any more (merged into another).
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='customer_key',
    post_hook="{{ delete_keys_gone_from('customer_key', ref('int_customers__identity')) }}",
) }}
-- depends_on: {{ ref('stg_erp__customers') }} (read only on incremental runs)
with identity as (
    select * from {{ ref('int_customers__identity') }}
    {%- if is_incremental() %}
    where customer_key in (
        select customer_key from {{ ref('int_customers__identity') }}
        where refreshed_at_utc > {{ last_refreshed_at() }}
        union
        -- an order whose details were rewritten (name, order time)
        select identity.customer_key
        from {{ ref('int_customers__identity') }} as identity
        inner join {{ ref('int_customers__contacts') }} as contacts
            on contacts.contact_record_id = identity.contact_record_id
        where contacts.refreshed_at_utc > {{ last_refreshed_at() }} and contacts.record_source <> 'erp'
        union
        -- int_customers__contacts re-stamps every ERP customer every run: only those landed anew count
        select identity.customer_key
        from {{ ref('int_customers__identity') }} as identity
        inner join {{ ref('stg_erp__customers') }} as erp
            on identity.contact_record_id = 'erp:' || erp.erp_customer_id
        where erp.loaded_at > {{ last_refreshed_at() }}
    )
    {%- endif %}
),

contacts as (
    select * from {{ ref('int_customers__contacts') }}
),

members as (
    select contacts.*, identity.customer_key, identity.match_rule, identity.match_confidence
    from identity
    inner join contacts on contacts.contact_record_id = identity.contact_record_id
)

select
    customer_key,
    coalesce(max(case when record_source = 'erp' then customer_name end), max(customer_name)) as customer_name,
    max(erp_customer_id) as erp_customer_id,
    max(company) as company,
    -- tiers sort A < B < C, so min is the best tier the ERP gives any linked record
    coalesce(min(customer_tier), 'C') as customer_tier,
    {{ hash_pii('min(customer_email)') }} as email_hash,
    {{ mask_email('min(customer_email)') }} as email_masked,
    {{ hash_pii('min(customer_phone)') }} as phone_hash,
    {{ mask_phone('min(customer_phone)') }} as phone_masked,
    count(distinct customer_email) as emails,
    count(distinct customer_phone) as phones,
    count(*) as contact_records,
    count(order_key) as orders,
    count(distinct case when record_source <> 'erp' then record_source end) as channels,
    min(ordered_at_utc) as first_ordered_at_utc,
    max(ordered_at_utc) as last_ordered_at_utc,
    min(match_confidence) as match_confidence,
    {{ listagg_distinct_sorted('match_rule', "', '") }} as match_rules,
    {{ refreshed_at() }} as refreshed_at_utc
from members
group by customer_key
