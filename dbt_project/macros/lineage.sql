{#- The lineage columns every landed row carries, renamed for staging. -#}
{% macro lineage_columns() -%}
    _source_file as source_file,
    _record_number as source_record_number,
    _file_sha256 as source_file_sha256,
    _loaded_at as loaded_at
{%- endmacro %}
