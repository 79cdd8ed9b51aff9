{#-
  Incremental builds of the order chain. Every incremental model stamps the rows it writes with
  refreshed_at_utc (the start of the dbt invocation, UTC) and, on an incremental run, recomputes only the
  keys touched since its own newest stamp: rows landed after it (raw `_loaded_at`), or rows an upstream
  model re-stamped after it. Both comparisons read the newest stamp once, at compile time, as a literal,
  so DuckDB can skip old row groups and push the filter below the staging views' window functions.
  A full build (`dbt build --full-refresh`, or a first build) stamps every row and filters nothing.
-#}

{#- The stamp written on every row this invocation computes (naive UTC, like every timestamp here). -#}
{% macro refreshed_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- The newest stamp in the model being built, as a literal; only meaningful inside is_incremental(). -#}
{% macro last_refreshed_at() -%}
    {%- set stamp = none -%}
    {%- if execute and is_incremental() -%}
        {%- set stamp = run_query(
            "select strftime(max(refreshed_at_utc), '%Y-%m-%d %H:%M:%S.%f') from " ~ this
        ).columns[0].values()[0] -%}
    {%- endif -%}
    cast('{{ stamp or "1900-01-01 00:00:00" }}' as timestamp)
{%- endmacro %}

{#- The files of the given raw sources ([source, table] pairs) landed after `since` (a SQL literal),
    as a list of paths. The source() calls run at parse time too, so dbt records the dependencies. -#}
{% macro files_landed_since(raw_sources, since) -%}
    {%- set selects = [] -%}
    {%- for source_name, table_name in raw_sources -%}
        {%- do selects.append(
            "select distinct _source_file from " ~ source(source_name, table_name)
            ~ " where _loaded_at > " ~ since
        ) -%}
    {%- endfor -%}
    {%- if execute and is_incremental() -%}
        {{ return(run_query(selects | join(" union ")).columns[0].values() | list) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}

{#- True when any of the relations (staging models with lineage columns) has rows loaded after `since`:
    reference data (SKU aliases, products, exchange rates) that changes rows already built, so the
    model recomputes them all. -#}
{% macro loaded_since(relations, since) -%}
    {%- if execute and is_incremental() -%}
        {%- set selects = [] -%}
        {%- for relation in relations -%}
            {%- do selects.append("select count(*) from " ~ relation ~ " where loaded_at > " ~ since) -%}
        {%- endfor -%}
        {%- set counts = run_query(selects | join(" union all ")).columns[0].values() -%}
        {{ return(counts | sum > 0) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}

{#- `('a', 'b')` for an IN list; an empty list matches nothing. -#}
{% macro sql_list(values) -%}
    {%- if values -%}
        ({% for value in values %}'{{ value | replace("'", "''") }}'{{ "," if not loop.last }}{% endfor %})
    {%- else -%}
        (cast(null as varchar))
    {%- endif -%}
{%- endmacro %}
