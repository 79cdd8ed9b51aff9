-- One row per Tmall sub-order (line). Times are Beijing time in the export; converted to UTC here.
with source as (
    select * from {{ source('tmall', 'orders') }}
)

select
    {{ adapter.quote('订单编号') }} as order_id,
    {{ adapter.quote('子订单编号') }} as sub_order_id,
    {{ adapter.quote('买家会员名') }} as buyer_nick,
    {{ adapter.quote('收货人姓名') }} as consignee_name,
    {{ adapter.quote('联系手机') }} as mobile_phone,
    {{ adapter.quote('订单状态') }} as order_status,
    {{ adapter.quote('退款状态') }} as refund_status,
    {{ adapter.quote('订单状态') }} || case when {{ adapter.quote('退款状态') }} = '退款成功' then '/退款成功' else '' end as channel_status,
    {{ local_text_to_utc(adapter.quote('订单创建时间'), 'Asia/Shanghai') }} as created_at_utc,
    {{ local_text_to_utc(adapter.quote('订单付款时间'), 'Asia/Shanghai') }} as paid_at_utc,
    {{ local_text_to_utc(adapter.quote('发货时间'), 'Asia/Shanghai') }} as shipped_at_utc,
    {{ local_text_to_utc(adapter.quote('确认收货时间'), 'Asia/Shanghai') }} as received_at_utc,
    {{ adapter.quote('商家编码') }} as channel_sku,
    {{ adapter.quote('宝贝标题') }} as item_name,
    {{ safe_cast(adapter.quote('单价'), 'decimal(18, 2)') }} as unit_price,
    {{ safe_cast(adapter.quote('购买数量'), 'integer') }} as quantity,
    {{ safe_cast(adapter.quote('实付金额'), 'decimal(18, 2)') }} as amount_paid,
    {{ adapter.quote('物流公司') }} as carrier,
    {{ adapter.quote('物流单号') }} as tracking_no,
    {{ adapter.quote('店铺名称') }} as shop_name,
    'CNY' as currency,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from source
