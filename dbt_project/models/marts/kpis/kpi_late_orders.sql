-- One row per late order (delivered after its promised date, kpi_order_facts) with the reason it was late.
--
-- The rule, in this order:
--   1. ship_by_date = promised_date − the carrier's standard transit days, where the standard is the
--      median over the history of (delivered date − shipped date) of that carrier's delivered orders,
--      rounded up to whole days (0 when the carrier is unknown). It is the last day the order could leave
--      the warehouse and still arrive on time with that carrier.
--   2. Left on or before ship_by_date → `carrier` (it left in time; the carrier took longer). "Left" is
--      when its last part left: an order shipped in two parts arrives with its backorder, so a backorder
--      that left after ship_by_date makes it a warehouse (or production) delay, not the carrier's.
--   3. Left after ship_by_date and it waited for a production order that finished late → `late_production`.
--      "Waited for" is either a make-to-order production order for this very order
--      (stg_erp__production_orders.sales_order_channel / sales_order_id = channel / fulfilment_ref), or a
--      production order of one of the order's SKUs that finished between the order being placed and the
--      order leaving. Finished = the WMS receipt of its output (movement `production_receipt`, reference =
--      production order); late = finished date (company zone) after its due date. When several qualify,
--      the one that finished last is named.
--   4. Otherwise → `late_shipment` (it left after ship_by_date with nothing late in production to wait for).
--
-- Incremental: rebuilt are the late orders re-stamped in kpi_order_facts since the last build, those of a
-- carrier whose standard transit days moved, those made to order by a production order landed since, and
-- those that left after the earliest finish of a production order landed (or received) since: the ones
-- that may have waited for it. The post-hook deletes the orders that are no longer late.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook="{% if is_incremental() %}
        delete from {{ this }} where order_key not in (
            select order_key from {{ ref('kpi_order_facts') }} where delivered_date > promised_date
        )
    {% endif %}",
) }}
with delivered as (
    select * from {{ ref('kpi_order_facts') }}
    where is_delivered
),

transit as (
    select carrier, cast(ceil(median({{ dbt.datediff('left_date', 'delivered_date', 'day') }})) as integer)
        as standard_transit_days
    from (select *, coalesce(last_shipped_date, shipped_date) as left_date from delivered)
    where carrier is not null and left_date is not null
    group by carrier
),

production_orders as (
    select production_order_id, sku, due_date, sales_order_channel, sales_order_id
    from {{ ref('stg_erp__production_orders') }}
    where state <> 'cancel'
),

receipts as (
    select reference as production_order_id, max(moved_at_utc) as finished_at_utc
    from {{ ref('stg_wms__movements') }}
    where movement_type = 'production_receipt'
    group by 1
),
{% if is_incremental() %}
changed_production_orders as (
    select production_order_id, sales_order_channel, sales_order_id
    from {{ ref('stg_erp__production_orders') }}
    where loaded_at > {{ last_refreshed_at() }}
    union
    select production_orders.production_order_id, production_orders.sales_order_channel,
        production_orders.sales_order_id
    from {{ ref('stg_erp__production_orders') }} as production_orders
    inner join {{ ref('stg_wms__movements') }} as movements
        on movements.reference = production_orders.production_order_id
    where movements.movement_type = 'production_receipt' and movements.loaded_at > {{ last_refreshed_at() }}
),

touched_orders as (
    select order_key from delivered
    where refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select built.order_key
    from {{ this }} as built
    inner join transit on transit.carrier = built.carrier
    where transit.standard_transit_days <> built.standard_transit_days
    union
    select delivered.order_key
    from delivered
    inner join changed_production_orders as changed
        on changed.sales_order_channel = delivered.channel and changed.sales_order_id = delivered.fulfilment_ref
    union
    -- an order may have waited for any production order that finished before it left
    select order_key from delivered
    where coalesce(last_shipped_at_utc, shipped_at_utc) >= (
        select min(receipts.finished_at_utc)
        from receipts
        inner join changed_production_orders as changed on changed.production_order_id = receipts.production_order_id
    )
),
{% endif %}

orders as (
    select * from delivered
    {%- if is_incremental() %}
    where order_key in (select order_key from touched_orders)
    {%- endif %}
),

order_skus as (
    select distinct order_key, sku from {{ ref('fct_order_lines') }}
    where sku is not null
    {%- if is_incremental() %}
        and order_key in (select order_key from orders where delivered_date > promised_date)
    {%- endif %}
),

late_finished as (
    select
        production_orders.*,
        receipts.finished_at_utc,
        {{ utc_to_local_date('receipts.finished_at_utc', var('company_time_zone')) }} as finished_date
    from production_orders
    inner join receipts on receipts.production_order_id = production_orders.production_order_id
    where {{ utc_to_local_date('receipts.finished_at_utc', var('company_time_zone')) }} > production_orders.due_date
),

late as (
    select
        orders.order_key,
        orders.channel,
        orders.channel_order_id,
        orders.fulfilment_ref,
        orders.product_category,
        orders.warehouse_code,
        orders.carrier,
        orders.ordered_at_utc,
        orders.order_date,
        orders.promised_date,
        coalesce(orders.last_shipped_at_utc, orders.shipped_at_utc) as shipped_at_utc,
        coalesce(orders.last_shipped_date, orders.shipped_date) as shipped_date,
        orders.delivered_date,
        orders.days_late,
        coalesce(transit.standard_transit_days, 0) as standard_transit_days,
        cast({{ dbt.dateadd('day', '-coalesce(transit.standard_transit_days, 0)', 'orders.promised_date') }} as date)
            as ship_by_date
    from orders
    left join transit on transit.carrier = orders.carrier
    where orders.delivered_date > orders.promised_date
),

waited_for as (
    select late.order_key, late_finished.production_order_id, late_finished.due_date, late_finished.finished_at_utc,
        late_finished.finished_date
    from late
    inner join late_finished
        on late_finished.sales_order_channel = late.channel and late_finished.sales_order_id = late.fulfilment_ref
    union all
    select late.order_key, late_finished.production_order_id, late_finished.due_date, late_finished.finished_at_utc,
        late_finished.finished_date
    from late
    inner join order_skus on order_skus.order_key = late.order_key
    inner join late_finished
        on late_finished.sku = order_skus.sku
        and late_finished.finished_at_utc >= late.ordered_at_utc
        and late_finished.finished_at_utc <= late.shipped_at_utc
),

last_waited_for as (
    select *
    from waited_for
    qualify row_number() over (partition by order_key order by finished_at_utc desc, production_order_id) = 1
)

select
    late.order_key,
    late.channel,
    late.channel_order_id,
    late.fulfilment_ref,
    late.product_category,
    late.warehouse_code,
    late.carrier,
    late.order_date,
    late.promised_date,
    late.shipped_date,
    late.delivered_date,
    late.days_late,
    late.standard_transit_days,
    late.ship_by_date,
    {{ dbt.datediff('late.ship_by_date', 'late.shipped_date', 'day') }} as days_left_late,
    {{ dbt.datediff('late.shipped_date', 'late.delivered_date', 'day') }} as transit_days,
    case
        when late.shipped_date <= late.ship_by_date then 'carrier'
        when last_waited_for.production_order_id is not null then 'late_production'
        else 'late_shipment'
    end as late_reason,
    case when late.shipped_date > late.ship_by_date then last_waited_for.production_order_id end
        as late_production_order_id,
    case when late.shipped_date > late.ship_by_date then last_waited_for.due_date end as production_due_date,
    case when late.shipped_date > late.ship_by_date then last_waited_for.finished_date end
        as production_finished_date,
    {{ refreshed_at() }} as refreshed_at_utc
from late
left join last_waited_for on last_waited_for.order_key = late.order_key
