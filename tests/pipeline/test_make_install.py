"""`make install` is quiet: pip's output goes to a log file, shown only when the install fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOISE = "SetuptoolsDeprecationWarning: License classifiers are deprecated."


def fake_venv(folder: Path, pip_exit: int) -> Path:
    """A venv whose pip prints what a real install prints around its work, then exits ``pip_exit``."""
    bin_dir = folder / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "pip").write_text(
        f"#!/bin/sh\necho 'Collecting dagster'\necho '{NOISE}' >&2\necho 'ERROR: no matching distribution'\n"
        f"exit {pip_exit}\n"
    )
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return folder / "venv"


def make_install(venv: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "install", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_a_good_install_prints_one_line_and_keeps_pips_output_in_its_log(tmp_path):
    venv = fake_venv(tmp_path, 0)
    done = make_install(venv)
    assert done.returncode == 0, done.stdout + done.stderr
    assert NOISE not in done.stdout + done.stderr and "Collecting" not in done.stdout
    assert done.stdout.strip() == f"installing OmniOps and its dependencies (log: {venv}/install.log)"
    assert NOISE in (venv / "install.log").read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_a_failed_install_shows_the_end_of_its_log(tmp_path):
    venv = fake_venv(tmp_path, 1)
    failed = make_install(venv)
    assert failed.returncode != 0
    assert "ERROR: no matching distribution" in failed.stdout
    assert f"install failed; full log: {venv}/install.log" in failed.stdout
    assert not (venv / ".installed").exists()
