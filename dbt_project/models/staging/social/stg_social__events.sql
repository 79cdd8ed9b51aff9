-- One row per conversation event (inquiry, quote, counter offer, order, paid, lost).
-- The agreed items stay a JSON array here; int_social__threads turns them into lines.
with source as (
    select * from {{ source('social', 'events') }}
)

select
    {{ json_text('record', '$.event_id') }} as event_id,
    {{ json_text('record', '$.thread_id') }} as thread_id,
    {{ json_text('record', '$.platform') }} as platform,
    {{ json_text('record', '$.event_type') }} as event_type,
    {{ iso_text_to_utc(json_text('record', '$.event_time')) }} as event_at_utc,
    {{ json_text('record', '$.customer.nickname') }} as customer_nickname,
    {{ json_text('record', '$.customer.phone') }} as customer_phone,
    {{ json_text('record', '$.customer.wechat_id') }} as customer_wechat_id,
    {{ json_text('record', '$.order_no') }} as order_no,
    {{ safe_cast(json_text('record', '$.promised_date'), 'date') }} as promised_date,
    {{ json_text('record', '$.currency') }} as currency,
    {{ json_text('record', '$.sales_rep') }} as sales_rep,
    -- a JSON null ("items": null on paid / lost events) becomes SQL null
    case when {{ json_text('record', '$.items') }} is not null then {{ json_value('record', '$.items') }} end
        as items,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from source
