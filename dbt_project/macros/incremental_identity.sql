{#-
  Incremental builds of the customer models (int_customers__identity, dim_customers). A delete+insert
  model rewrites only the keys of its new batch, so a key that vanished upstream (a contact record
  without contacts any more, a customer merged into another) would stay: the post-hook below deletes it.
-#}

{#- True for a contact record that can link to others: only such records have a customer. -#}
{% macro has_contact_value() -%}
    (customer_email is not null or customer_phone is not null or customer_handle is not null)
{%- endmacro %}

{#- Post-hook: on an incremental run, delete the rows of this model whose `key` is in no row of
    `relation` (that meet `condition`, a SQL predicate). -#}
{% macro delete_keys_gone_from(key, relation, condition='1 = 1') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ key }} not in (
            select {{ key }} from {{ relation }} where {{ condition }}
        )
    {%- endif -%}
{%- endmacro %}
