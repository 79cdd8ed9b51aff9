"""Every ``OMNIOPS_*`` environment variable is in the table of docs/operations.md and read in one place.

The table is the contract for operators; code that reads a variable the table lacks (or a row nothing
reads) fails here. Application code reads the variables through ``core/settings.py`` only.
"""

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE = REPO_ROOT / "docs" / "operations.md"
NAME = re.compile(r"OMNIOPS_[A-Z0-9_]*[A-Z0-9]")
READ = re.compile(r"""(?:os\.environ\.get|os\.getenv|os\.environ\[|env_var)\(?\s*['"](OMNIOPS_[A-Z0-9_]+)""")
CODE_SUFFIXES = {".py", ".yml", ".yaml", ".toml", ".sql", ".sh"}
APPLICATION = ("core", "demo_company", "landing", "quality", "kpis", "planning", "forecasting", "scheduling")
APPLICATION += ("decisions", "orchestration", "dashboards")


def _code_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    files = [REPO_ROOT / name for name in listed]
    return [f for f in files if f.is_file() and (f.suffix in CODE_SUFFIXES or f.name == "Makefile")]


def _documented() -> set[str]:
    rows = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    return {m.group(0) for line in rows if (m := NAME.search(line.split("|")[1]))}


def test_every_variable_the_code_names_is_in_the_table_and_every_row_is_used():
    named: dict[str, set[str]] = {}
    for path in _code_files():
        for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(name, set()).add(str(path.relative_to(REPO_ROOT)))
    documented = _documented()
    missing = {name: sorted(files) for name, files in named.items() if name not in documented}
    assert not missing, f"add these to the table in docs/operations.md: {missing}"
    assert documented <= set(named), f"rows nothing reads: {sorted(documented - set(named))}"
    assert "OMNIOPS_HOME" in documented


def test_application_code_reads_the_variables_through_core_settings():
    readers = {}
    for path in _code_files():
        relative = path.relative_to(REPO_ROOT).as_posix()
        if path.suffix != ".py" or not relative.startswith(APPLICATION) or relative == "core/settings.py":
            continue
        found = READ.findall(path.read_text(encoding="utf-8"))
        if found:
            readers[relative] = found
    assert not readers, f"read these through core/settings.py: {readers}"
