{#- Generic test: a boolean expression holds on every row. -#}
{% test expression_holds(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
