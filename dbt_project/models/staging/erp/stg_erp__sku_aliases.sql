select
    lower({{ adapter.quote('Channel') }}) as channel,
    {{ adapter.quote('Channel SKU') }} as channel_sku,
    {{ adapter.quote('Internal Reference') }} as sku,
    {{ lineage_columns() }}
from {{ source('erp', 'sku_aliases') }}
