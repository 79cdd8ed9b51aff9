select
    "Product" as sku,
    "Component" as component_sku,
    {{ safe_cast('"Quantity"', 'decimal(18, 4)') }} as quantity_per_unit,
    "Unit of Measure" as unit_of_measure,
    {{ lineage_columns() }}
from {{ source('erp', 'bom') }}
