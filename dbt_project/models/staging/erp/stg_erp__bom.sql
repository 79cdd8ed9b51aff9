select
    {{ adapter.quote('Product') }} as sku,
    {{ adapter.quote('Component') }} as component_sku,
    {{ safe_cast(adapter.quote('Quantity'), 'decimal(18, 4)') }} as quantity_per_unit,
    {{ adapter.quote('Unit of Measure') }} as unit_of_measure,
    {{ lineage_columns() }}
from {{ source('erp', 'bom') }}
