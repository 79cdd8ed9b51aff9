-- Orders in a currency whose month has no ERP exchange rate: their reporting amounts are empty and
-- fct_orders flags them (has_data_issue), while everything else publishes. One row per order, naming the
-- currency, the month (company time) and the files its lines came from, so the missing rate is obvious.
select
    channel,
    channel_order_id,
    order_key,
    currency,
    {{ dbt.date_trunc('month', 'min(order_date)') }} as rate_month,
    count(*) as order_lines,
    sum(line_amount) as order_amount,
    string_agg(distinct source_file, ', ') as source_files
from {{ ref('fct_order_lines') }}
where fx_rate_to_reporting is null
group by channel, channel_order_id, order_key, currency
