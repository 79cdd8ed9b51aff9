{#- A cast that gives null instead of failing on a malformed value (dbt's own safe_cast is a plain cast
    on DuckDB). Malformed values stay visible in the raw text columns and in data-quality checks. -#}
{% macro safe_cast(expr, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'omniops')(expr, type)) }}
{%- endmacro %}

{#- Written out, not dbt.safe_cast: dbt dispatches its own macros to the root project first, so
    dbt.safe_cast would come back here on an adapter without its own version below. -#}
{% macro default__safe_cast(expr, type) -%}
    cast({{ expr }} as {{ type }})
{%- endmacro %}

{% macro duckdb__safe_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{#- Spark's plain cast gives null on a malformed value only with ANSI mode off (dbt-spark turns it off);
    try_cast does so in either mode. -#}
{% macro spark__safe_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
