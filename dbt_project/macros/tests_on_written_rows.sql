{#-
  In an incremental `dbt build`, data tests check what is new rather than all of history, so a daily
  run's tests cost what the new day costs:
  - an incremental model: the rows this invocation wrote (refreshed_at_utc = its stamp). Sound for the
    tests we use: delete+insert replaces every row of a recomputed key, so rows the run did not write
    cannot duplicate a key it wrote (unique), and they were tested when they were written;
  - a staging view: the rows landed after the last complete build started (loaded_at), which is recorded
    by record_complete_build() below; rows landed by a run that failed are tested by the next one.
  `dbt build --full-refresh` (`omniops run --full-refresh`), a first build, `dbt test` on its own, a
  build of a selection, and tables (every model on Spark) test every row. A test's own `where` config
  still applies. Overrides dbt's get_where_subquery, which wraps the `model` argument of generic tests.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set kind = new_rows_kind(relation) -%}
    {%- if kind == 'written' -%}
        {%- do conditions.append('refreshed_at_utc = ' ~ refreshed_at()) -%}
    {%- elif kind == 'landed' -%}
        {%- set since = last_complete_build() -%}
        {%- if since -%}
            {%- do conditions.append("loaded_at > cast('" ~ since ~ "' as timestamp)") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- 'written' for an incremental model, 'landed' for a staging view (it carries lineage_columns), in an
    incremental `dbt build`; none otherwise. -#}
{% macro new_rows_kind(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or flags.WHICH != 'build' or relation.identifier is none -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower -%}
            {%- if node.config.materialized == 'incremental' -%}
                {%- do return('written') -%}
            {%- elif node.config.materialized == 'view'
                and 'macro.omniops.lineage_columns' in node.depends_on.macros -%}
                {%- do return('landed') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}

{#- When the last complete build started (text), or none: no build recorded yet. -#}
{% macro last_complete_build() -%}
    {%- set builds = adapter.get_relation(database=target.database, schema='main', identifier='dbt_complete_builds') -%}
    {%- if builds is none -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set found = run_query(
        "select strftime(max(started_at_utc), '%Y-%m-%d %H:%M:%S.%f') from " ~ builds
    ).columns[0].values()[0] -%}
    {%- do return(found) -%}
{%- endmacro %}

{#- on-run-end: a `dbt build` of the whole project (Dagster passes `--select fqn:*`) in which nothing
    failed records when it started; the next incremental build tests staging rows landed after that. -#}
{% macro record_complete_build(results) -%}
    {%- if execute and flags.WHICH == 'build' and target.type == 'duckdb' -%}
        {%- set selection = invocation_args_dict.get('select') or [] -%}
        {%- set whole = selection | length == 0 or selection | list == ['fqn:*'] -%}
        {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'skipped']) | list -%}
        {%- if whole and not failed and not invocation_args_dict.get('exclude') -%}
            create table if not exists main.dbt_complete_builds (started_at_utc timestamp, full_refresh boolean);
            insert into main.dbt_complete_builds values ({{ refreshed_at() }}, {{ flags.FULL_REFRESH | string | lower }});
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
