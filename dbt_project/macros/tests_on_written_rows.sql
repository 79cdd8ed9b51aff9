{#-
  Data tests of an incremental model, in an incremental `dbt build`, check the rows this invocation
  wrote (refreshed_at_utc = its stamp) rather than all of history: a daily run's tests then cost what the
  new day costs. Sound for the tests we use: delete+insert replaces every row of a recomputed key, so a
  key cannot be duplicated by rows the run did not write (unique), and the rows it did not write were
  tested when they were written (not_null, accepted_values, relationships from the child side).
  `dbt build --full-refresh` (`omniops run --full-refresh`), a first build, `dbt test` on its own and
  tables (every model on Spark) test every row. A test's own `where` config still applies.
  Overrides dbt's get_where_subquery, which wraps the `model` argument of every generic test.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if written_rows_only(relation) -%}
        {%- do conditions.append('refreshed_at_utc = ' ~ refreshed_at()) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- True when `relation` is an incremental model and this invocation is an incremental `dbt build`. -#}
{% macro written_rows_only(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or flags.WHICH != 'build' or relation.identifier is none -%}
        {%- do return(false) -%}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'incremental'
            and node.alias | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower -%}
            {%- do return(true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(false) -%}
{%- endmacro %}
