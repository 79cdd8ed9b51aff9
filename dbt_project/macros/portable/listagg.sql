{#- The distinct values of a column joined in sorted order ('a, b, c'); null when all are null.
    dbt.listagg's Spark version drops the order by (collect_list has no order), so the text would
    change from run to run; Spark sorts the set instead. -#}
{% macro listagg_distinct_sorted(column, delimiter_text) -%}
    {{ return(adapter.dispatch('listagg_distinct_sorted', 'omniops')(column, delimiter_text)) }}
{%- endmacro %}

{% macro default__listagg_distinct_sorted(column, delimiter_text) -%}
    {{ dbt.listagg('distinct ' ~ column, delimiter_text, 'order by ' ~ column) }}
{%- endmacro %}

{% macro spark__listagg_distinct_sorted(column, delimiter_text) -%}
    case when count({{ column }}) > 0
        then array_join(array_sort(collect_set({{ column }})), {{ delimiter_text }})
    end
{%- endmacro %}
