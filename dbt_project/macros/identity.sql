{#- Normalised contact keys so the same person matches across channels. -#}

{#- E-mail: trimmed, lower case; empty → null. -#}
{% macro normalise_email(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{#-
  Phone → E.164 ('+8613812345678', '+14155550182'); null when empty or not a plausible number.
  Rules, in order: a leading 00 is an international prefix; '+86…' / 13 digits starting 86 is China;
  '+1…', or a US-style '(415) …', or 10 digits is North America; 11 digits starting 1[3-9] is a
  Chinese mobile; anything else keeps its digits with a '+' if it had one (other countries).
-#}
{% macro normalise_phone(expr) -%}
    {{ return(adapter.dispatch('normalise_phone', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__normalise_phone(expr) -%}
    {%- set digits = regex_replace_all(expr, '[^0-9]', '') %}
    case
        when {{ expr }} is null or {{ digits }} = '' then null
        when regexp_replace(trim({{ expr }}), '^00', '+') like '+86%'
            or {{ regex_full_match(digits, '86[0-9]{11}') }}
            then '+86' || right({{ digits }}, 11)
        when regexp_replace(trim({{ expr }}), '^00', '+') like '+1%'
            or ({{ expr }} like '%(%' and length({{ digits }}) = 10)
            or length({{ digits }}) = 10
            then '+1' || right({{ digits }}, 10)
        when {{ regex_full_match(digits, '1[3-9][0-9]{9}') }}
            then '+86' || {{ digits }}
        when trim({{ expr }}) like '+%' then '+' || {{ digits }}
        else {{ digits }}
    end
{%- endmacro %}

{#- A one-way hash for personal data the marts need only for matching, never in clear. -#}
{% macro hash_pii(expr) -%}
    {{ return(adapter.dispatch('hash_pii', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__hash_pii(expr) -%}
    sha256({{ expr }})
{%- endmacro %}

{% macro spark__hash_pii(expr) -%}
    sha2({{ expr }}, 256)
{%- endmacro %}

{#- 'ann.lee@example.com' → 'a***@example.com'; '+8613812345678' → '+86138****5678'. -#}
{% macro mask_email(expr) -%}
    case when {{ expr }} is not null then left({{ expr }}, 1) || '***@' || split_part({{ expr }}, '@', 2) end
{%- endmacro %}

{% macro mask_phone(expr) -%}
    case when {{ expr }} is not null
        then left({{ expr }}, length({{ expr }}) - 8) || '****' || right({{ expr }}, 4)
    end
{%- endmacro %}
