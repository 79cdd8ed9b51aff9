-- Which customer each contact record belongs to. Records that share a normalised e-mail, a normalised
-- phone or a channel buyer handle are linked, and links are followed transitively (A shares an e-mail
-- with B, B a phone with C: one customer). Connected components are found by label propagation: every
-- record starts with its own label and takes, round after round, the smallest label among the records it
-- shares a contact with. {{ var('identity_rounds', 6) }} rounds follow chains of that many links; the
-- model's test fails if one more round would still change a label, so a longer chain never goes unseen.
-- Records without any contact (Amazon, anonymous counter sales) belong to no customer.
--
-- Incremental: only the customers that can have changed are recomputed. Changed records = the records
-- that are new, changed a contact value (against the values kept here) or lost every contact since the
-- last build. Recomputed records = every record of a customer a changed record or a record sharing a new
-- value of it belonged to, plus the changed records themselves. No record outside shares a value with
-- one inside, so propagation over them alone gives the full build's labels, merges and splits included.
-- The post-hook deletes the records that no longer have a contact.
{% set rounds = var('identity_rounds', 6) %}
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='contact_record_id',
    post_hook="{{ delete_keys_gone_from(
        'contact_record_id', ref('int_customers__contacts'), has_contact_value()
    ) }}",
) }}
with all_contacts as (
    select contact_record_id, customer_email, customer_phone, customer_handle, refreshed_at_utc
    from {{ ref('int_customers__contacts') }}
    where {{ has_contact_value() }}
),

{% if is_incremental() %}
built as (
    select contact_record_id, customer_label, customer_email, customer_phone, customer_handle
    from {{ this }}
),

changed as (
    -- the contacts re-stamp more than they change (every ERP customer, every run): compare the values
    select new.contact_record_id, new.customer_email, new.customer_phone, new.customer_handle
    from all_contacts as new
    left join built on built.contact_record_id = new.contact_record_id
    where new.refreshed_at_utc > {{ last_refreshed_at() }}
        and (
            built.contact_record_id is null
            or built.customer_email is distinct from new.customer_email
            or built.customer_phone is distinct from new.customer_phone
            or built.customer_handle is distinct from new.customer_handle
        )
    union all
    select contact_record_id, null, null, null
    from built
    where contact_record_id not in (select contact_record_id from all_contacts)
),

affected_labels as (
    -- a record's old customer, and the old customers its new values join
    select customer_label from built
    where contact_record_id in (select contact_record_id from changed)
    union
    select customer_label from built where customer_email in (select customer_email from changed)
    union
    select customer_label from built where customer_phone in (select customer_phone from changed)
    union
    select customer_label from built where customer_handle in (select customer_handle from changed)
),

contacts as (
    select * from all_contacts
    where contact_record_id in (
        select contact_record_id from built
        where customer_label in (select customer_label from affected_labels)
    )
        or contact_record_id in (select contact_record_id from changed)
),
{% else %}
contacts as (
    select * from all_contacts
),
{% endif %}

round_0 as (
    select
        contact_record_id,
        customer_email,
        customer_phone,
        customer_handle,
        coalesce(
            'email:' || customer_email, 'phone:' || customer_phone, 'handle:' || customer_handle
        ) as label
    from contacts
),

{% for i in range(1, rounds + 2) %}
round_{{ i }} as (
    -- each round reads the one before once (windows, not self-joins), so the query does not grow
    -- fourfold per round on engines that inline CTEs (Spark)
    select
        contact_record_id,
        customer_email,
        customer_phone,
        customer_handle,
        least(
            label,
            coalesce(case when customer_email is not null
                then min(label) over (partition by customer_email) end, label),
            coalesce(case when customer_phone is not null
                then min(label) over (partition by customer_phone) end, label),
            coalesce(case when customer_handle is not null
                then min(label) over (partition by customer_handle) end, label)
        ) as label
    from round_{{ i - 1 }}
),
{% endfor %}

labelled as (
    select
        final.contact_record_id,
        final.label as customer_label,
        check_round.label as next_round_label,
        count(*) over (partition by final.label) as component_records,
        count(*) over (partition by final.customer_email) > 1 and final.customer_email is not null
            as shares_email,
        count(*) over (partition by final.customer_phone) > 1 and final.customer_phone is not null
            as shares_phone,
        count(*) over (partition by final.customer_handle) > 1 and final.customer_handle is not null
            as shares_handle,
        final.customer_email,
        final.customer_phone,
        final.customer_handle
    from round_{{ rounds }} as final
    inner join round_{{ rounds + 1 }} as check_round
        on check_round.contact_record_id = final.contact_record_id
)

select
    contact_record_id,
    customer_label,
    next_round_label,
    {{ dbt.hash('customer_label') }} as customer_key,
    component_records,
    case
        when component_records = 1 then 'single_record'
        when shares_email and shares_phone then 'email_and_phone'
        when shares_email then 'email'
        when shares_phone then 'phone'
        when shares_handle then 'channel_handle'
        else 'transitive'
    end as match_rule,
    -- how sure we are that this record is this customer: a shared e-mail is near-certain, a phone
    -- can be a shared household or company line, a marketplace handle is channel-scoped
    case
        when component_records = 1 then 1.0
        when shares_email and shares_phone then 0.99
        when shares_email then 0.95
        when shares_phone then 0.90
        when shares_handle then 0.85
        else 0.80
    end as match_confidence,
    -- kept to tell which records changed on the next incremental run
    customer_email,
    customer_phone,
    customer_handle,
    {{ refreshed_at() }} as refreshed_at_utc
from labelled
