"""Run the dbt CLI of the test's interpreter on the project, against the warehouse of one OMNIOPS_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.settings import DBT_PROJECT_DIR


def dbt(home: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` with the warehouse of `home`, its compiled files under home/dbt_target."""
    executable = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [str(executable), *args, "--profiles-dir", ".", "--target-path", str(home / "dbt_target")],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "OMNIOPS_HOME": str(home)},
        capture_output=True,
        text=True,
    )
