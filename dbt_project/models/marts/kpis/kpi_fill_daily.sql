-- Units ordered and units filled per order date (company zone) × channel × product category × warehouse,
-- for the fill rate: units shipped complete from stock on the first shipment ÷ units ordered.
--
-- Choices (also in the YAML; computed per order in int_orders__fill_contributions):
--   * Orders: delivered by carrier, confirmed or further (not pending, not cancelled), and not made to
--     order (kpi_order_facts.counts_in_fill_rate). Counter sales are handed over at the till.
--   * Units ordered: the quantities of the order's lines that are neither cancelled nor pending.
--   * A line is filled when the order's first shipment (earliest shipped_at; ties: first shipment id)
--     carried at least the ordered quantity of its SKU; then all its units count as filled, else none.
--     An order that has not shipped yet counts as not filled, so the newest days are provisional.
--   * A unit KPI: each line counts under its own product category, and under the warehouse that shipped
--     its SKU for the order (most units; ties: first code), else the first shipment's warehouse; null
--     while nothing has shipped.
--
-- A roll-up of the per-order contributions, rebuilt whole each run: the contributions are incremental by
-- order, so a day's run computes only the touched orders, and summing one narrow row per order × group
-- is one scan (docs/choices_and_measurements.md, "Daily KPI marts per order").
{{ config(materialized='table') }}
select
    order_date,
    channel,
    product_category,
    warehouse_code,
    sum(units_ordered) as units_ordered,
    sum(units_filled) as units_filled,
    -- the newest stamp of the rows summed, not this build's: a run that changed no order leaves the row
    -- as it was
    max(refreshed_at_utc) as refreshed_at_utc
from {{ ref('int_orders__fill_contributions') }}
group by 1, 2, 3, 4
