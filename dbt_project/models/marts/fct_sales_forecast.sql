-- The sales team's monthly forecast per SKU and channel, every version kept. `lead_months` = months
-- between the version and the forecast month (1 = made the month before, the version scored against
-- the statistical forecast).
with sales_forecast as (
    select * from {{ ref('stg_erp__sales_forecast') }}
)

select
    forecast_month,
    sku,
    channel,
    forecast_version_month,
    {{ dbt.datediff('forecast_version_month', 'forecast_month', 'month') }} as lead_months,
    cast(forecast_quantity as double) as forecast_quantity,
    sales_team
from sales_forecast
