{#- A cast that gives null instead of failing on a malformed value (dbt's own safe_cast is a plain cast
    on DuckDB). Malformed values stay visible in the raw text columns and in data-quality checks. -#}
{% macro safe_cast(expr, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'omniops')(expr, type)) }}
{%- endmacro %}

{% macro default__safe_cast(expr, type) -%}
    {{ dbt.safe_cast(expr, type) }}
{%- endmacro %}

{% macro duckdb__safe_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
