{#- JSON access, dispatched per engine. `path` is a JSONPath such as '$.customer.phone'. -#}
{% macro json_text(expr, path) -%}
    {{ return(adapter.dispatch('json_text', 'omniops')(expr, path)) }}
{%- endmacro %}

{% macro default__json_text(expr, path) -%}
    json_extract_string({{ expr }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_text(expr, path) -%}
    get_json_object({{ expr }}, '{{ path }}')
{%- endmacro %}

{#- One row per element index of a JSON array column (0-based): select ..., <this> as i from rel. -#}
{% macro json_array_indexes(expr) -%}
    {{ return(adapter.dispatch('json_array_indexes', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__json_array_indexes(expr) -%}
    unnest(range(cast(json_array_length({{ expr }}) as bigint)))
{%- endmacro %}

{#- sequence(0, -1) would count down to -1, so an empty array explodes nothing (null). -#}
{% macro spark__json_array_indexes(expr) -%}
    explode(case when json_array_length({{ expr }}) > 0 then sequence(0, json_array_length({{ expr }}) - 1) end)
{%- endmacro %}

{#- The element at a 0-based index of a JSON array, as JSON. -#}
{% macro json_array_item(expr, index) -%}
    {{ return(adapter.dispatch('json_array_item', 'omniops')(expr, index)) }}
{%- endmacro %}

{% macro default__json_array_item(expr, index) -%}
    json_extract({{ expr }}, '$[' || cast({{ index }} as varchar) || ']')
{%- endmacro %}

{% macro spark__json_array_item(expr, index) -%}
    get_json_object({{ expr }}, concat('$[', cast({{ index }} as string), ']'))
{%- endmacro %}

{#- A JSON sub-document at a path, as JSON text. -#}
{% macro json_value(expr, path) -%}
    {{ return(adapter.dispatch('json_value', 'omniops')(expr, path)) }}
{%- endmacro %}

{% macro default__json_value(expr, path) -%}
    json_extract({{ expr }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_value(expr, path) -%}
    get_json_object({{ expr }}, '{{ path }}')
{%- endmacro %}
