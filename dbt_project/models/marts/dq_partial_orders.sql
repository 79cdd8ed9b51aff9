-- Orders whose landed copy is incomplete (fct_orders.is_partial): their lines do not add up to the order's
-- own subtotal, or the row with the order's fields is missing, typically a file cut inside a quoted field
-- (landing quarantined the cut line). They are kept out of the KPI marts until a complete copy lands (a
-- re-export, or `<name>.correction.<ext>`), then they leave this list. One row per order, naming the file.
select
    orders.channel,
    orders.channel_order_id,
    orders.order_key,
    orders.order_date,
    orders.partial_reason,
    orders.order_lines,
    orders.units,
    orders.order_gross_amount,
    lines.source_files
from {{ ref('fct_orders') }} as orders
inner join (
    select order_key, {{ listagg_distinct_sorted('source_file', "', '") }} as source_files
    from {{ ref('fct_order_lines') }}
    where is_partial_order
    group by order_key
) as lines on lines.order_key = orders.order_key
where orders.is_partial
