{#- A filter for a test query that makes the engine raise an error naming the first failing row, so the
    build log says which value is wrong instead of only counting rows. It is always true otherwise, so
    on engines without such a function the test still fails by returning the rows. Use it in WHERE or
    HAVING, where the engine must evaluate it (a selected column may be optimised away by dbt's count). -#}
{% macro raise_in_filter(message_expr) -%}
    {{ return(adapter.dispatch('raise_in_filter', 'omniops')(message_expr)) }}
{%- endmacro %}

{% macro default__raise_in_filter(message_expr) -%}
    1 = 1
{%- endmacro %}

{% macro duckdb__raise_in_filter(message_expr) -%}
    error({{ message_expr }}) is null
{%- endmacro %}

{% macro spark__raise_in_filter(message_expr) -%}
    raise_error({{ message_expr }}) is null
{%- endmacro %}
