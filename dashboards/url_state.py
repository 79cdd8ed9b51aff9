"""A page's filters in its address (``st.query_params``), so that a view can be bookmarked and shared.

A page names each widget it keeps in the address: ``restore`` puts the address's values into the
widgets' session keys before they are drawn (only values the widget offers; anything else in the address
is ignored), and ``publish`` writes the choices back after they are drawn. Lists travel as
comma-separated values (``?channel=amazon,tmall``); an empty choice leaves the address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import streamlit as st

SEPARATOR = ","


def _parse(text: str, kind: str, options: Iterable[object] | None) -> object | None:
    if kind == "dates":
        try:
            days = tuple(date.fromisoformat(part) for part in text.split(SEPARATOR))
        except ValueError:
            return None
        return days if len(days) == 2 and days[0] <= days[1] else None
    allowed = None if options is None else {str(option): option for option in options}
    if kind == "list":
        parts = [part for part in text.split(SEPARATOR) if part]
        if allowed is not None:
            parts = [allowed[part] for part in parts if part in allowed]
        return parts or None
    if allowed is not None:
        return allowed.get(text)
    return text


def restore(key: str, param: str, kind: str = "one", options: Iterable[object] | None = None) -> None:
    """Once per session and page visit: the address's ``param`` into the widget ``key`` (``kind``: one
    value, a ``list`` or two ``dates``), when it is one of ``options``."""
    marker = f"_url_restored_{key}"
    if st.session_state.get(marker) or param not in st.query_params:
        st.session_state[marker] = True
        return
    st.session_state[marker] = True
    value = _parse(st.query_params[param], kind, options)
    if value is not None:
        st.session_state[key] = value


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return SEPARATOR.join(str(v) for v in value)
    return str(value)


def publish(values: dict[str, object], keep: Callable[[str, object], bool] | None = None) -> None:
    """The page's current choices into the address (``param`` → value); empty ones are removed."""
    for param, value in values.items():
        empty = value is None or (isinstance(value, list | tuple) and not value)
        if empty or (keep is not None and not keep(param, value)):
            if param in st.query_params:
                del st.query_params[param]
            continue
        text = _text(value)
        if st.query_params.get(param) != text:
            st.query_params[param] = text
