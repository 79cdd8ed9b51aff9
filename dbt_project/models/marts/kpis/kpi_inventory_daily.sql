-- Stock value and cost of goods sold per day × warehouse × product category, for inventory turnover days:
-- DIO = average inventory value ÷ COGS × days = Σ daily stock value ÷ Σ COGS over the days of the range
-- (the average is Σ value ÷ days, so the days cancel).
--   inventory_value = end-of-day stock at standard cost (fct_inventory_daily) on kpi_date = snapshot date.
--   cogs = standard cost of the units sold on kpi_date = order date, the same lines as kpi_monthly: line
--     status confirmed, shipped or delivered, and return lines (negative) subtract; not the lines of a
--     partial order (fct_orders.is_partial) until its complete copy lands.
-- A unit KPI, so each line counts under its own category. COGS is attributed to the warehouse the units
-- left from: for a shipped line the warehouse that shipped its SKU for the order (most units; ties: first
-- code), for a counter sale or store return the warehouse of its WMS `pos_sale` / `return` movement
-- (reference = receipt). A line sold but not shipped yet has no warehouse (null): it counts in totals
-- and category filters but not under any one warehouse.
--
-- A table rebuilt whole each run: the stock from fct_inventory_daily, the COGS a roll-up of the per-order
-- contributions (int_orders__cogs_contributions, incremental by order), so a day's run computes only the
-- touched orders' costs (docs/choices_and_measurements.md, "Daily KPI marts per order").
{{ config(materialized='table') }}
with products as (
    select sku, product_category from {{ ref('dim_products') }}
),

cogs as (
    select
        kpi_date, warehouse_code, product_category, sum(cogs) as cogs, max(refreshed_at_utc) as refreshed_at_utc
    from {{ ref('int_orders__cogs_contributions') }}
    group by 1, 2, 3
),

inventory as (
    select
        stock.snapshot_date as kpi_date,
        stock.warehouse_code,
        coalesce(products.product_category, 'Unmapped SKU') as product_category,
        sum(stock.inventory_value_reporting) as inventory_value,
        max(stock.refreshed_at_utc) as refreshed_at_utc
    from {{ ref('fct_inventory_daily') }} as stock
    left join products on products.sku = stock.sku
    group by 1, 2, 3
)

select
    coalesce(inventory.kpi_date, cogs.kpi_date) as kpi_date,
    coalesce(inventory.warehouse_code, cogs.warehouse_code) as warehouse_code,
    coalesce(inventory.product_category, cogs.product_category) as product_category,
    inventory.kpi_date is not null as is_snapshot_day,
    coalesce(inventory.inventory_value, 0) as inventory_value,
    coalesce(cogs.cogs, 0) as cogs,
    -- the newest stamp of the rows summed, not this build's: a run that changed nothing leaves the row
    -- as it was
    greatest(inventory.refreshed_at_utc, cogs.refreshed_at_utc) as refreshed_at_utc
from inventory
full outer join cogs
    on cogs.kpi_date = inventory.kpi_date
    and cogs.warehouse_code = inventory.warehouse_code
    and cogs.product_category = inventory.product_category
