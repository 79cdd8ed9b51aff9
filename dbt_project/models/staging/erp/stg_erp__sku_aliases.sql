select
    lower("Channel") as channel,
    "Channel SKU" as channel_sku,
    "Internal Reference" as sku,
    {{ lineage_columns() }}
from {{ source('erp', 'sku_aliases') }}
