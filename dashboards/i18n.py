"""English and Chinese for the pages: ``t("English text")`` returns the text in the user's language.

The English text is the key (as with gettext), so a page stays readable and an untranslated string
falls back to English instead of failing. Translations live in ``dashboards/locales/zh/*.json``, one
file per page plus ``common.json``, all merged; ``tests/dashboards/test_i18n.py`` checks that every
literal passed to ``t()`` has a Chinese entry. Placeholders use ``str.format`` names:
``t("{n} late orders", n=3)``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import settings

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "language"


@cache
def catalog(language: str) -> dict[str, str]:
    """All entries for a language, merged from its folder (later files do not override earlier ones)."""
    entries: dict[str, str] = {}
    folder = LOCALES / language
    if not folder.is_dir():
        return entries
    for path in sorted(folder.glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            entries.setdefault(key, value)
    return entries


def current_language() -> str:
    """The session's choice; outside a page run (a test, a script formatting a number) the default."""
    language = settings.language() or DEFAULT_LANGUAGE
    if get_script_run_ctx(suppress_warning=True) is not None:
        language = st.session_state.get(SESSION_KEY) or language
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def translate(text: str, language: str, **values: object) -> str:
    """``text`` in ``language`` (English when there is no entry), with ``values`` filled in."""
    translated = text if language == "en" else catalog(language).get(text, text)
    return translated.format(**values) if values else translated


def t(text: str, **values: object) -> str:
    return translate(text, current_language(), **values)


# The radios and select boxes whose option labels are translated. Streamlit keeps such a widget's value
# as the label shown, so after a language switch the old label matches no option and the widget falls
# back to its default (and a select box shows the old label); the switch re-sets them to the option chosen.
TRANSLATED_CHOICES = (
    "acc_scope",
    "dq_source",
    "fc_category",
    "fc_channel",
    "fc_freq",
    "fc_sku",
    "fo_pick",
    "inv_category",
    "inv_warehouse",
    "lookup_order",
    "lookup_other_order",
    "overview_channels",
    "overview_drill",
    "overview_inventory_level",
    "overview_machine",
    "overview_otd_channel",
    "overview_period",
    "overview_work_centers",
    "pr_by",
    "pr_day",
    "pr_method",
    # The loops' pages (inbox, daily close, rush orders).
    "close_code",
    "dc_pick",
    "ib_pick",
    "ib_states",
    "rp_pick",
    "rp_states",
    "t3_res_cause",
    "promise_channel",
    "promise_sku",
    "promise_warehouse",
)


def keep_choices() -> None:
    """Re-set each translated choice to its option, read with the previous run's (old language's) labels."""
    for key in TRANSLATED_CHOICES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_switch() -> None:
    """A sidebar switch; the choice lives in the session, so every page follows it."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = current_language()
    st.sidebar.radio(
        "Language / 语言",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=SESSION_KEY,
        horizontal=True,
        on_change=keep_choices,
    )
