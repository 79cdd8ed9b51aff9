-- One row per POS receipt line. Returns are receipts with negative quantities naming the original sale.
with source as (
    select * from {{ source('stores', 'pos_receipts') }}
)

select
    receipt_no,
    row_number() over (partition by _source_file, receipt_no order by _record_number) as line_number,
    store_code,
    register_no,
    cashier,
    {{ local_text_to_utc('sold_at', 'Asia/Shanghai') }} as sold_at_utc,
    barcode as channel_sku,
    item_name,
    {{ safe_cast('qty', 'integer') }} as quantity,
    {{ safe_cast('unit_price', 'decimal(18, 2)') }} as unit_price,
    {{ safe_cast('discount_amount', 'decimal(18, 2)') }} as discount_amount,
    {{ safe_cast('line_total', 'decimal(18, 2)') }} as line_total,
    payment_method,
    member_phone,
    original_receipt_no,
    'CNY' as currency,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from source
