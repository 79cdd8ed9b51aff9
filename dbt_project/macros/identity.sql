{#- Normalised contact keys so the same person matches across channels (issue 3 extends the rules). -#}

{#- E-mail: trimmed, lower case; empty → null. -#}
{% macro normalise_email(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{#- Phone: digits only, a leading China country code 86 dropped from 13-digit numbers; empty → null. -#}
{% macro normalise_phone(expr) -%}
    {{ return(adapter.dispatch('normalise_phone', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__normalise_phone(expr) -%}
    nullif(regexp_replace(regexp_replace({{ expr }}, '[^0-9]', '', 'g'), '^86(1[0-9]{10})$', '\1'), '')
{%- endmacro %}
