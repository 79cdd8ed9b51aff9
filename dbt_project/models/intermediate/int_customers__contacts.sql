-- One row per order with the contact details it carries and the customer key they give.
-- The key is the first of: normalised e-mail, normalised phone, the channel's buyer handle, so the
-- same e-mail or phone is one customer across channels. Cross-linking records that share only an
-- e-mail with one that shares only a phone is left to the identity-resolution model (issue 3).
with orders as (
    select
        order_key,
        channel,
        max(customer_name) as customer_name,
        max(customer_email) as customer_email,
        max({{ normalise_phone('customer_phone') }}) as customer_phone,
        max(customer_handle) as customer_handle,
        min(ordered_at_utc) as ordered_at_utc
    from {{ ref('int_order_lines__enriched') }}
    group by order_key, channel
)

select
    *,
    case
        when customer_email is not null then 'email:' || customer_email
        when customer_phone is not null then 'phone:' || customer_phone
        when customer_handle is not null then channel || ':' || customer_handle
    end as customer_identity,
    case
        when customer_email is not null then 'email'
        when customer_phone is not null then 'phone'
        when customer_handle is not null then 'channel_handle'
        else 'anonymous'
    end as identity_rule
from orders
