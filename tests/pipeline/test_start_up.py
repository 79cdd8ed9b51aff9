"""A run's start-up leaves dbt-core out of the process, and the asset graph is the one dbt-core gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# The asset graph as a run resolves it: every asset with its upstream assets, group, checks and kinds,
# and the assets of each job; and whether dbt-core was imported meanwhile.
GRAPH = """
import json, sys
if sys.argv[1] == "dbt-core first":
    import dbt.version
from orchestration.definitions import defs
graph = defs.resolve_asset_graph()
assets = {}
for key in graph.get_all_asset_keys():
    node = graph.get(key)
    assets[key.to_user_string()] = [
        sorted(k.to_user_string() for k in node.parent_keys),
        node.group_name,
        sorted(str(c) for c in node.check_keys),
        sorted(node.kinds),
        node.description,
    ]
jobs = {
    job.name: sorted(k.to_user_string() for k in job.asset_layer.selected_asset_keys)
    for job in defs.resolve_all_job_defs()
    if job.asset_layer.selected_asset_keys
}
print(json.dumps({"assets": assets, "jobs": jobs, "dbt_core": "dbt.version" in sys.modules}))
"""


def _graph(how: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", GRAPH, how], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_definitions_load_without_dbt_core_and_give_the_same_assets_as_with_it():
    without = _graph("as a run")
    with_core = _graph("dbt-core first")
    assert not without.pop("dbt_core"), "importing the definitions imported dbt-core"
    assert with_core.pop("dbt_core")
    assert len(without["assets"]) > 100  # the dbt models, seeds and snapshots are there
    assert "omniops_daily" in without["jobs"]
    assert without == with_core
