-- `materialized` before a CTE's body where the engine supports it: the CTE is computed whole (and may
-- spill to disk) before the query reads it. DuckDB only; other engines plan the CTE as they see fit.
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'omniops')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
