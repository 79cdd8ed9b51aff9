{#-
  Incremental builds of the daily aggregates (one row per date × dimensions). On an incremental run a
  model rebuilds every row of the dates touched since its last build and nothing else: the pre-hook
  deletes those dates, the model computes them again from their inputs filtered to those dates, and
  delete+insert on the date writes them. Deleting first is what removes a group (or a whole date) that
  has no rows any more.

  What "touched" means is declared once per model, as a dict read both by the model and by its pre-hook:
    restamped  [[model, date column], ...]: dates of the rows an upstream incremental model re-stamped
               (refreshed_at_utc) since the last build;
    landed     [[model, date column], ...]: dates of the rows of a staging model loaded (loaded_at) since;
    joined     [{from, stamp, join, on, date}, ...]: dates reached through a join, e.g. store movements
               landed since → the order date of their lines;
    counted    [[model, date column, count column], ...]: dates whose number of rows in the input differs
               from Σ count column here: the old date of a row that moved to another date (or vanished);
    reference  [model, ...]: staging models with lineage whose rows loaded since change rows already built
               (a product's category, its cost): then every date is rebuilt.
  Dates are read at compile time, as literals, so DuckDB skips the row groups of other dates.
-#}

{#- The dates to rebuild as a list of 'YYYY-MM-DD', or none for all of them (a full build, or reference data
    loaded since). Called by the model and by its pre-hook, before anything is written, so both agree. -#}
{% macro dates_touched(since_last_build) -%}
    {#- a full build (or a unit test) reads no input here: only the ones its SQL names must exist -#}
    {%- if execute and not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since = last_refreshed_at() -%}
    {%- set selects = [] -%}
    {#- at parse time the ref() calls below record every input as a dependency -#}
    {%- for model_name, date_column in since_last_build.get('restamped', []) -%}
        {%- do selects.append(
            "select " ~ date_column ~ " as d from " ~ ref(model_name) ~ " where refreshed_at_utc > " ~ since
        ) -%}
    {%- endfor -%}
    {%- for model_name, date_column in since_last_build.get('landed', []) -%}
        {%- do selects.append(
            "select " ~ date_column ~ " as d from " ~ ref(model_name) ~ " where loaded_at > " ~ since
        ) -%}
    {%- endfor -%}
    {%- for item in since_last_build.get('joined', []) -%}
        {%- do selects.append(
            "select " ~ item['date'] ~ " as d from " ~ ref(item['from']) ~ " as " ~ item['from']
            ~ " inner join " ~ ref(item['join']) ~ " as " ~ item['join'] ~ " on " ~ item['on']
            ~ " where " ~ item['from'] ~ "." ~ item['stamp'] ~ " > " ~ since
        ) -%}
    {%- endfor -%}
    {%- for model_name, date_column, count_column in since_last_build.get('counted', []) -%}
        {%- do selects.append(
            "select coalesce(input.d, built.d) as d from (select " ~ date_column ~ " as d, count(*) as n from "
            ~ ref(model_name) ~ " where " ~ date_column ~ " is not null group by 1) as input"
            ~ " full outer join (select " ~ date_column ~ " as d, sum(" ~ count_column ~ ") as n from " ~ this
            ~ " group by 1) as built on built.d = input.d where input.n is distinct from built.n"
        ) -%}
    {%- endfor -%}
    {%- set reference = [] -%}
    {%- for model_name in since_last_build.get('reference', []) -%}
        {%- do reference.append(ref(model_name)) -%}
    {%- endfor -%}
    {%- if not execute or (reference and loaded_since(reference, since)) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query = "select distinct strftime(d, '%Y-%m-%d') from ("
        ~ (selects | join(" union all ")) ~ ") as touched where d is not null" -%}
    {{ return(run_query(query).columns[0].values() | sort | list) }}
{%- endmacro %}

{#- A condition keeping the rows of `dates` (from dates_touched); always true when every date is rebuilt. -#}
{% macro on_dates(column, dates) -%}
    {%- if dates is none -%}
        1 = 1
    {%- elif dates -%}
        {{ column }} in ({% for d in dates %}cast('{{ d }}' as date){{ ", " if not loop.last }}{% endfor %})
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of a model incremental by date: the SQL deleting the dates it is about to rebuild. -#}
{% macro delete_dates_touched(column, since_last_build) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ on_dates(column, dates_touched(since_last_build)) }}
    {%- endif -%}
{%- endmacro %}

{#- The config of a model incremental by date on `column` (a table where incremental builds are not used). -#}
{% macro incremental_by_date_config(column, since_last_build) -%}
    {{ return({
        'materialized': 'incremental' if target.type == 'duckdb' else 'table',
        'incremental_strategy': 'delete+insert',
        'unique_key': column,
        'pre_hook': "{{ delete_dates_touched('" ~ column ~ "', " ~ tojson(since_last_build) ~ ") }}",
    }) }}
{%- endmacro %}
