{#-
  Every timestamp is stored in UTC (naive, UTC by convention) with the source's zone kept beside it.
  Engine-specific date functions live only here, dispatched per adapter. The Spark versions need the
  session time zone to be UTC (spark.sql.session.timeZone, set by the spark target in profiles.yml):
  Spark's timestamp is an instant shown in that zone, so in UTC it reads like DuckDB's naive UTC.
-#}

{#- A naive local timestamp text in a named zone (e.g. 'Asia/Shanghai') → UTC timestamp. -#}
{% macro local_text_to_utc(expr, time_zone) -%}
    {{ return(adapter.dispatch('local_text_to_utc', 'omniops')(expr, time_zone)) }}
{%- endmacro %}

{% macro default__local_text_to_utc(expr, time_zone) -%}
    timezone('UTC', timezone('{{ time_zone }}', {{ safe_cast(expr, 'timestamp') }}))
{%- endmacro %}

{% macro spark__local_text_to_utc(expr, time_zone) -%}
    to_utc_timestamp({{ safe_cast(expr, 'timestamp') }}, '{{ time_zone }}')
{%- endmacro %}

{#- ISO-8601 text with an offset ('2026-03-01T15:23:45+00:00') → UTC timestamp. -#}
{% macro iso_text_to_utc(expr) -%}
    {{ return(adapter.dispatch('iso_text_to_utc', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__iso_text_to_utc(expr) -%}
    timezone('UTC', try_cast({{ expr }} as timestamptz))
{%- endmacro %}

{% macro spark__iso_text_to_utc(expr) -%}
    try_cast({{ expr }} as timestamp)
{%- endmacro %}

{#- Shopify's '2026-03-01 10:23:45 -0500' (offset without colon) → UTC timestamp. -#}
{% macro offset_text_to_utc(expr) -%}
    {{ return(adapter.dispatch('offset_text_to_utc', 'omniops')(expr)) }}
{%- endmacro %}

{% macro default__offset_text_to_utc(expr) -%}
    timezone('UTC', try_strptime({{ expr }}, '%Y-%m-%d %H:%M:%S %z'))
{%- endmacro %}

{% macro spark__offset_text_to_utc(expr) -%}
    try_to_timestamp({{ expr }}, 'yyyy-MM-dd HH:mm:ss Z')
{%- endmacro %}

{#- The calendar date of a UTC timestamp in a named zone (the company's, for reporting). -#}
{% macro utc_to_local_date(expr, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local_date', 'omniops')(expr, time_zone)) }}
{%- endmacro %}

{% macro default__utc_to_local_date(expr, time_zone) -%}
    cast(timezone('{{ time_zone }}', timezone('UTC', {{ expr }})) as date)
{%- endmacro %}

{% macro spark__utc_to_local_date(expr, time_zone) -%}
    cast(from_utc_timestamp({{ expr }}, '{{ time_zone }}') as date)
{%- endmacro %}
