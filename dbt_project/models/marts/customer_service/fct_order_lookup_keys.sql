-- One row per way a customer-service agent can find an order: its channel order number (and the
-- channel's second reference when it has one, e.g. the order number of a social-commerce thread), and
-- every phone number and e-mail that the order, or a customer-service ticket about it, carries.
--
-- PERSONAL DATA: key_value and search_value hold phone numbers and e-mails in clear, because an agent
-- searches by any part of them. The order lookup page is the only reader; it shows them in full only
-- to roles that see contacts (dashboards/access.py) and masks them for every other role.
-- dim_customers keeps contacts only hashed and masked.
--
-- search_value is what the page compares with contains(): order numbers and e-mails in lower case,
-- phones as the digits of their E.164 form (normalise_phone), so '138-1234-5678', '+86 138 1234 5678'
-- and '13812345678' all find '+8613812345678'. The order's display columns are copied onto every
-- row so a search is one scan of one table, without a join over all orders.
--
-- Incremental: every row of an order is rebuilt together (unique_key order_key), for the orders whose
-- order or contacts changed since the last build, or whose timeline did (fct_order_events already
-- finds the orders a landed ticket is linked to, or was linked to before its file was re-exported).
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook="{{ delete_orders_gone_from(ref('fct_orders')) }}",
) }}
-- depends_on: {{ ref('fct_order_events') }} (read only on incremental runs)
with
{% if is_incremental() %}
touched_orders as (
    select order_key from {{ ref('fct_orders') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select order_key from {{ ref('int_customers__contacts') }}
    where refreshed_at_utc > {{ last_refreshed_at() }} and order_key is not null
    union
    select order_key from {{ ref('fct_order_events') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
),
{% endif %}

orders as (
    select
        order_key,
        channel,
        channel_order_id,
        fulfilment_ref,
        sub_channel,
        customer_key,
        order_status,
        ordered_at_utc,
        order_amount,
        currency
    from {{ ref('fct_orders') }}
    {%- if is_incremental() %}
    where order_key in (select order_key from touched_orders)
    {%- endif %}
),

order_contacts as (
    select order_key, customer_name, customer_email, customer_phone
    from {{ ref('int_customers__contacts') }}
    where order_key is not null
    {%- if is_incremental() %}
        and order_key in (select order_key from touched_orders)
    {%- endif %}
),

ticket_contacts as (
    select order_key, trim(customer_contact) as contact
    from {{ ref('fct_cs_tickets') }}
    where order_key is not null and customer_contact is not null
    {%- if is_incremental() %}
        and order_key in (select order_key from touched_orders)
    {%- endif %}
),

keys as (
    select order_key, 'order_number' as key_type, channel_order_id as key_value, 'channel' as key_source
    from orders
    union all
    select order_key, 'order_number', fulfilment_ref, 'channel'
    from orders
    where fulfilment_ref is not null and fulfilment_ref <> channel_order_id
    union all
    select order_key, 'email', {{ normalise_email('customer_email') }}, 'order'
    from order_contacts
    where {{ normalise_email('customer_email') }} is not null
    union all
    -- already normalised to E.164 by int_customers__contacts
    select order_key, 'phone', customer_phone, 'order'
    from order_contacts
    where customer_phone is not null
    union all
    select order_key, 'email', {{ normalise_email('contact') }}, 'ticket'
    from ticket_contacts
    where contact like '%@%'
    union all
    -- a ticket's contact is a phone when it is written with phone characters only and has 7+ digits
    -- (a name or a company name is neither a phone nor an e-mail and is not a search key)
    select order_key, 'phone', {{ normalise_phone('contact') }}, 'ticket'
    from ticket_contacts
    where contact not like '%@%'
        and {{ regex_contains('contact', '^[+0-9 ().-]+$') }}
        and length({{ regex_replace_all('contact', '[^0-9]', '') }}) >= 7
),

distinct_keys as (
    select
        order_key,
        key_type,
        key_value,
        {{ listagg_distinct_sorted('key_source', "', '") }} as key_sources
    from keys
    group by order_key, key_type, key_value
)

select
    {{ dbt.hash(dbt.concat(["k.order_key", "'|'", "k.key_type", "'|'", "k.key_value"])) }} as lookup_key,
    k.order_key,
    k.key_type,
    k.key_value,
    case
        when k.key_type = 'phone' then {{ regex_replace_all('k.key_value', '[^0-9]', '') }}
        else lower(k.key_value)
    end as search_value,
    k.key_sources,
    orders.channel,
    orders.channel_order_id,
    orders.sub_channel,
    orders.customer_key,
    order_contacts.customer_name,
    orders.order_status,
    orders.ordered_at_utc,
    orders.order_amount,
    orders.currency,
    {{ refreshed_at() }} as refreshed_at_utc
from distinct_keys as k
inner join orders on orders.order_key = k.order_key
left join order_contacts on order_contacts.order_key = k.order_key
