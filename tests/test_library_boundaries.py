"""The libraries beside ``orchestration/`` stay free of Dagster, Streamlit and the layers above them.

Dependencies point one way: dashboards → (warehouse, operational store) ← orchestration → libraries.
Each library's every module is imported in a fresh interpreter, and the test fails if that pulls in
Dagster, Streamlit, ``orchestration`` or ``dashboards``.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = [
    "core",
    "demo_company",
    "landing",
    "quality",
    "kpis",
    "planning",
    "forecasting",
    "scheduling",
    "decisions",
    "inventory",
]
FORBIDDEN = {"dagster", "streamlit", "orchestration", "dashboards"}


def _modules(library: str) -> list[str]:
    found = [library]
    for info in pkgutil.walk_packages([str(REPO_ROOT / library)], prefix=f"{library}."):
        found.append(info.name)
    return found


@pytest.mark.parametrize("library", LIBRARIES)
def test_library_imports_nothing_above_it(library):
    modules = _modules(library)
    assert len(modules) > 1, f"{library}/ has no modules: is the list of libraries stale?"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(FORBIDDEN)!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", f"{library} imports {done.stdout.strip()}"


def test_every_top_level_library_is_checked():
    """A new Dagster-free package beside ``orchestration/`` must join the list above."""
    packages = {
        p.parent.name
        for p in REPO_ROOT.glob("*/__init__.py")
        if p.parent.name not in {"orchestration", "dashboards", "tests", "benchmarks"}
    }
    assert packages == set(LIBRARIES)


def test_every_top_level_package_is_installed_and_sorted_as_our_own():
    """``pip install .`` ships only the packages pyproject.toml lists: one missing there imports in the
    tests (run from the checkout) but not in ``omniops`` run from an install (``make demo``)."""
    import tomllib

    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = {name.rstrip("*") for name in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    first_party = set(config["tool"]["ruff"]["lint"]["isort"]["known-first-party"])
    packages = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    assert packages <= installed, f"not installed by pip: {sorted(packages - installed)}"
    assert packages <= first_party, f"not in ruff's known-first-party: {sorted(packages - first_party)}"
