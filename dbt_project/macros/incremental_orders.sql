{#-
  Orders withdrawn by a correction. The copy of an order landed last replaces the order whole
  (int_order_lines__deduplicated); when a corrected export no longer carries an order at all, the order
  is gone from the raw tables, and a delete+insert model, which only rewrites the keys of its new batch,
  would keep it. Each order model deletes it with the post-hook below, and int_orders__register records
  it (with its order date) so the daily aggregates rebuild that date.
-#}

{#- Post-hook: on an incremental run, delete the rows of this model (those meeting `only`, a SQL predicate)
    whose order, named by `columns` in both, is in no row of `relation`. -#}
{% macro delete_orders_gone_from(relation, columns=['order_key'], only='1 = 1') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ only }} and ({{ columns | join(', ') }}) not in (
            select {{ columns | join(', ') }} from {{ relation }}
        )
    {%- endif -%}
{%- endmacro %}
