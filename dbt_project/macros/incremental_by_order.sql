{#-
  Incremental builds of the per-order contributions behind the daily KPI marts (one or more rows per
  order). On an incremental run a model replaces the rows of the orders touched since its last build and
  nothing else: the pre-hook deletes those orders' rows, the model computes them again, and they are
  appended (the pre-hook already removed every row they replace). Deleting first is what removes a contribution that has no row any more (an
  order cancelled, withdrawn, or whose every line was cancelled), and a contribution that moved to another
  date or group leaves its old one behind in no row: the roll-up by date reads only what is here.

  What "touched" means is declared once per model, as a dict read both by the model and by its pre-hook:
    restamped  [model, ...]: orders (order_key) an upstream incremental model re-stamped (refreshed_at_utc);
    joined     [{from, stamp, join, on}, ...]: orders reached through a join, e.g. store movements landed
               since → the order whose channel order id they name (`join` must have order_key);
    reference  [model, ...]: staging models with lineage whose rows loaded since change rows already built
               (a product's category, its cost): then every order is rebuilt.
  The touched orders are a subquery on the upstream stamps, read after the last build's newest stamp,
  so the model and its pre-hook (both rendered before anything is written) name the same orders.
-#}

{#- The SQL selecting the touched orders (one column, order_key), or none for all of them (a full build,
    or reference data loaded since). -#}
{% macro orders_touched(since_last_build) -%}
    {%- if execute and not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since = last_refreshed_at() -%}
    {%- set selects = [] -%}
    {#- at parse time the ref() calls below record every input as a dependency -#}
    {%- for model_name in since_last_build.get('restamped', []) -%}
        {%- do selects.append(
            "select order_key from " ~ ref(model_name) ~ " where refreshed_at_utc > " ~ since
        ) -%}
    {%- endfor -%}
    {%- for item in since_last_build.get('joined', []) -%}
        {%- do selects.append(
            "select " ~ item['join'] ~ ".order_key from " ~ ref(item['from']) ~ " as " ~ item['from']
            ~ " inner join " ~ ref(item['join']) ~ " as " ~ item['join'] ~ " on " ~ item['on']
            ~ " where " ~ item['from'] ~ "." ~ item['stamp'] ~ " > " ~ since
        ) -%}
    {%- endfor -%}
    {%- set reference = [] -%}
    {%- for model_name in since_last_build.get('reference', []) -%}
        {%- do reference.append(ref(model_name)) -%}
    {%- endfor -%}
    {%- if not execute or (reference and loaded_since(reference, since)) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("select order_key from (" ~ (selects | join(" union ")) ~ ") as touched where order_key is not null") }}
{%- endmacro %}

{#- A condition keeping the rows of the touched orders (from orders_touched); always true when every
    order is rebuilt. -#}
{% macro on_orders(column, touched) -%}
    {%- if touched is none -%}
        1 = 1
    {%- else -%}
        {{ column }} in ({{ touched }})
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of a model incremental by order: the SQL deleting the orders it is about to rebuild. -#}
{% macro delete_orders_touched(since_last_build) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ on_orders('order_key', orders_touched(since_last_build)) }}
    {%- endif -%}
{%- endmacro %}

{#- The config of a model incremental by order (a table where incremental builds are not used). -#}
{% macro incremental_by_order_config(since_last_build) -%}
    {{ return({
        'materialized': 'incremental' if target.type == 'duckdb' else 'table',
        'incremental_strategy': 'append',
        'pre_hook': "{{ delete_orders_touched(" ~ tojson(since_last_build) ~ ") }}",
    }) }}
{%- endmacro %}
