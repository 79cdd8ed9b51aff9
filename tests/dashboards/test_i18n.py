"""Every text a page passes to ``t()`` has a Chinese entry with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from dashboards.i18n import catalog, translate

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"


def literal_keys() -> dict[str, str]:
    """Each string literal passed as the first argument of ``t(...)``, with where it is."""
    found = {}
    for path in sorted(DASHBOARDS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(DASHBOARDS)}:{node.lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_pages_use_the_translation_function():
    assert len(literal_keys()) > 20


def test_every_text_has_a_chinese_entry():
    zh = catalog("zh")
    missing = [f"{where}: {key!r}" for key, where in literal_keys().items() if key not in zh]
    assert not missing, "texts without a Chinese entry:\n" + "\n".join(missing)


@pytest.mark.parametrize("key", sorted(catalog("zh")))
def test_a_chinese_entry_keeps_the_placeholders_of_its_english_text(key):
    assert placeholders(catalog("zh")[key]) == placeholders(key)


def test_translate_falls_back_to_english_and_fills_values():
    assert translate("Sign in", "zh") == "登录"
    assert translate("Last landed ({zone}): {parts}", "zh", zone="Asia/Shanghai", parts="erp") == (
        "最近落地时间（Asia/Shanghai）：erp"
    )
    assert translate("a text nobody translated", "zh") == "a text nobody translated"


def test_every_choice_with_translated_labels_is_kept_across_a_language_switch():
    """A radio or select box with a ``format_func`` loses its value on a language switch unless listed."""
    from dashboards.i18n import TRANSLATED_CHOICES

    keyed = set()
    for path in sorted(DASHBOARDS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(k.arg == "format_func" for k in node.keywords):
                key = next((k.value for k in node.keywords if k.arg == "key"), None)
                if isinstance(key, ast.Constant) and key.value != "language":
                    keyed.add(key.value)
    assert keyed <= set(TRANSLATED_CHOICES), sorted(keyed - set(TRANSLATED_CHOICES))
