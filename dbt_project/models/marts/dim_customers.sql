-- One row per customer identity (normalised e-mail, else phone, else the channel's buyer handle),
-- with the ERP tier where the ERP knows the e-mail or phone. Orders without any contact (Amazon,
-- anonymous counter sales) have no customer.
with contacts as (
    select * from {{ ref('int_customers__contacts') }}
    where customer_identity is not null
),

erp as (
    select
        erp_customer_id,
        customer_name,
        customer_email,
        {{ normalise_phone('customer_phone') }} as customer_phone,
        customer_tier,
        company
    from {{ ref('stg_erp__customers') }}
),

identities as (
    select
        customer_identity,
        max(identity_rule) as identity_rule,
        max(customer_name) as customer_name,
        max(customer_email) as customer_email,
        max(customer_phone) as customer_phone,
        min(ordered_at_utc) as first_ordered_at_utc,
        max(ordered_at_utc) as last_ordered_at_utc,
        count(*) as orders,
        count(distinct channel) as channels
    from contacts
    group by customer_identity
),

erp_by_email as (
    select customer_email, max(erp_customer_id) as erp_customer_id, max(customer_tier) as customer_tier,
        max(company) as company
    from erp where customer_email is not null group by customer_email
),

erp_by_phone as (
    select customer_phone, max(erp_customer_id) as erp_customer_id, max(customer_tier) as customer_tier,
        max(company) as company
    from erp where customer_phone is not null group by customer_phone
)

select
    {{ dbt.hash('identities.customer_identity') }} as customer_key,
    identities.identity_rule,
    identities.customer_name,
    identities.customer_email,
    identities.customer_phone,
    coalesce(erp_by_email.erp_customer_id, erp_by_phone.erp_customer_id) as erp_customer_id,
    coalesce(erp_by_email.customer_tier, erp_by_phone.customer_tier, 'C') as customer_tier,
    coalesce(erp_by_email.company, erp_by_phone.company) as company,
    identities.first_ordered_at_utc,
    identities.last_ordered_at_utc,
    identities.orders,
    identities.channels
from identities
left join erp_by_email on erp_by_email.customer_email = identities.customer_email
left join erp_by_phone on erp_by_phone.customer_phone = identities.customer_phone
