-- Which customer each contact record belongs to. Records that share a normalised e-mail, a normalised
-- phone or a channel buyer handle are linked, and links are followed transitively (A shares an e-mail
-- with B, B a phone with C: one customer). Connected components are found by label propagation: every
-- record starts with its own label and takes, round after round, the smallest label among the records it
-- shares a contact with. {{ var('identity_rounds', 6) }} rounds follow chains of that many links; the
-- model's test fails if one more round would still change a label, so a longer chain never goes unseen.
-- Records without any contact (Amazon, anonymous counter sales) belong to no customer.
{% set rounds = var('identity_rounds', 6) %}
with contacts as (
    select * from {{ ref('int_customers__contacts') }}
    where customer_email is not null or customer_phone is not null or customer_handle is not null
),

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
            as shares_handle
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
    end as match_confidence
from labelled
