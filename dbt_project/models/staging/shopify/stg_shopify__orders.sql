-- One row per Shopify export row (line item). Shopify writes order-level fields on the first row of
-- an order only; they are spread to every line of that order within the same file.
--
-- Amounts (docs/data_sources.md, "Statuses and amounts"): `Subtotal` is the order's gross less its
-- `Discount Amount`, so Subtotal + Discount Amount = Σ quantity × price. A line whose price reads `N/A`
-- gets the price that closes that sum when it is the order's only unpriced line and the result is a
-- whole number of cents per unit; otherwise the price stays null (flagged downstream). The order's
-- discount is spread over its lines in proportion to their gross, cumulatively rounded, so the lines'
-- discounts add up to the order's to the cent.
--
-- Partial copy: when every line of the order in this file is priced and their gross does not add up to
-- Subtotal + Discount Amount, a line is missing from this copy (a file cut inside a quoted field loses its
-- last line to quarantine): `partial_reason` says so, and the order stays out of the KPIs until a complete
-- copy lands (fct_orders.is_partial). So does an order whose first row (the one with the order's fields)
-- is missing from the copy.
with source as (
    select * from {{ source('shopify', 'orders') }}
),

renamed as (
    select
        {{ adapter.quote('Name') }} as order_name,
        {{ adapter.quote('Id') }} as shopify_order_id,
        {{ normalise_email(adapter.quote('Email')) }} as customer_email,
        {{ adapter.quote('Financial Status') }} as financial_status,
        {{ adapter.quote('Fulfillment Status') }} as fulfillment_status,
        {{ offset_text_to_utc(adapter.quote('Paid at')) }} as paid_at_utc,
        {{ offset_text_to_utc(adapter.quote('Fulfilled at')) }} as fulfilled_at_utc,
        {{ offset_text_to_utc(adapter.quote('Cancelled at')) }} as cancelled_at_utc,
        {{ offset_text_to_utc(adapter.quote('Created at')) }} as created_at_utc,
        {{ adapter.quote('Currency') }} as currency,
        {{ safe_cast(adapter.quote('Total'), 'decimal(18, 2)') }} as order_total,
        {{ safe_cast(adapter.quote('Subtotal'), 'decimal(18, 2)') }} as order_subtotal,
        {{ safe_cast(adapter.quote('Discount Amount'), 'decimal(18, 2)') }} as order_discount,
        {{ adapter.quote('Shipping Method') }} as shipping_method,
        {{ adapter.quote('Billing Name') }} as billing_name,
        {{ adapter.quote('Shipping Phone') }} as shipping_phone,
        {{ adapter.quote('Shipping Country') }} as shipping_country,
        {{ safe_cast(adapter.quote('Lineitem quantity'), 'integer') }} as quantity,
        {{ adapter.quote('Lineitem name') }} as item_name,
        {{ adapter.quote('Lineitem price') }} as unit_price_text,
        {{ safe_cast(adapter.quote('Lineitem price'), 'decimal(18, 2)') }} as unit_price,
        {{ adapter.quote('Lineitem sku') }} as channel_sku,
        {{ adapter.quote('Lineitem fulfillment status') }} as line_fulfillment_status,
        {{ lineage_columns() }}
    from source
),

order_level_spread as (
    select
        order_name,
        max(shopify_order_id) over order_in_file as shopify_order_id,
        max(customer_email) over order_in_file as customer_email,
        max(financial_status) over order_in_file as financial_status,
        max(fulfillment_status) over order_in_file as fulfillment_status,
        max(paid_at_utc) over order_in_file as paid_at_utc,
        max(fulfilled_at_utc) over order_in_file as fulfilled_at_utc,
        max(cancelled_at_utc) over order_in_file as cancelled_at_utc,
        max(created_at_utc) over order_in_file as created_at_utc,
        max(currency) over order_in_file as currency,
        max(order_total) over order_in_file as order_total,
        max(order_subtotal) over order_in_file as order_subtotal,
        max(order_discount) over order_in_file as order_discount,
        max(shipping_method) over order_in_file as shipping_method,
        max(billing_name) over order_in_file as billing_name,
        max(shipping_phone) over order_in_file as shipping_phone,
        max(shipping_country) over order_in_file as shipping_country,
        row_number() over (partition by source_file, order_name order by source_record_number) as line_number,
        quantity,
        item_name,
        unit_price_text,
        unit_price,
        channel_sku,
        line_fulfillment_status,
        source_file,
        source_record_number,
        source_file_sha256,
        loaded_at
    from renamed
    window order_in_file as (partition by source_file, order_name)
),

unpriced as (
    select
        *,
        sum(case when unit_price is null then 1 else 0 end) over order_in_file as unpriced_lines,
        coalesce(order_subtotal + coalesce(order_discount, 0), 0)
            - coalesce(sum(quantity * unit_price) over order_in_file, 0) as unpriced_gross
    from order_level_spread
    window order_in_file as (partition by source_file, order_name)
),

priced as (
    select
        {{ star_except(['unit_price', 'unpriced_lines', 'unpriced_gross']) }},
        case
            when unit_price is not null then unit_price
            when unpriced_lines = 1 and order_subtotal is not null and quantity > 0 and unpriced_gross > 0
                and cast(round(unpriced_gross / quantity, 2) as decimal(18, 2)) * quantity = unpriced_gross
                then cast(round(unpriced_gross / quantity, 2) as decimal(18, 2))
        end as unit_price,
        case
            when unit_price is not null then 'export'
            when unpriced_lines = 1 and order_subtotal is not null and quantity > 0 and unpriced_gross > 0
                and cast(round(unpriced_gross / quantity, 2) as decimal(18, 2)) * quantity = unpriced_gross
                then 'order_subtotal'
        end as unit_price_source
    from unpriced
),

gross as (
    select
        *,
        quantity * unit_price as gross_amount,
        -- null when a line of the order has no price: the order's discount cannot be spread
        case when sum(case when unit_price is null then 1 else 0 end) over order_in_file = 0
            then sum(quantity * unit_price) over order_in_file
        end as order_gross,
        sum(quantity * unit_price) over (
            partition by source_file, order_name order by line_number rows unbounded preceding
        ) as gross_through_line,
        count(*) over order_in_file as lines_in_file
    from priced
    window order_in_file as (partition by source_file, order_name)
)

select
    {{ star_except(['order_gross', 'gross_through_line', 'lines_in_file']) }},
    case
        when created_at_utc is null and financial_status is null
            then 'its first row, with the order fields and Subtotal, is missing'
        when order_gross <> order_subtotal + coalesce(order_discount, 0)
            then 'its ' || cast(lines_in_file as {{ dbt.type_string() }}) || ' line(s) add up to '
                || cast(order_gross as {{ dbt.type_string() }}) || ', Subtotal + Discount Amount say '
                || cast(order_subtotal + coalesce(order_discount, 0) as {{ dbt.type_string() }})
    end as partial_reason,
    cast(
        round(coalesce(order_discount, 0) * gross_through_line / nullif(order_gross, 0), 2)
        - round(coalesce(order_discount, 0) * (gross_through_line - gross_amount) / nullif(order_gross, 0), 2)
        as decimal(18, 2)
    ) as discount_amount,
    coalesce(financial_status, '') || '/' || coalesce(fulfillment_status, '') as channel_status,
    'America/New_York' as source_time_zone
from gross
