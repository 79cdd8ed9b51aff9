"""The forecast scales out: the same champions and forecasts on a local Spark as in-process.

``ForecastSettings(engine=spark)`` hands the statsforecast fits to Spark through statsforecast's fugue
backend. The run happens in a subprocess (as ``test_dbt_on_spark``), so Spark's JVM never lives in the
pytest process; it prints both runs as JSON for the comparison here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17+ on PATH")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import numpy as np, pandas as pd
    from forecasting.select import forecast_and_backtest
    from forecasting.settings import ForecastSettings
    from orchestration.spark_target import spark_session

    rng = np.random.default_rng(5)
    ds = pd.date_range("2025-01-06", periods=70, freq="D")
    frames = []
    for i in range(6):
        level, weekly = rng.uniform(20, 80), np.tile(rng.uniform(0.5, 1.5, 7), 10)
        y = level * weekly * rng.lognormal(0, 0.1, 70)
        if i % 3 == 0:  # intermittent
            y = np.where(rng.random(70) < 0.5, 0.0, np.round(y / 10))
        frames.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": y}))
    history = pd.concat(frames, ignore_index=True)
    spark = spark_session(Path(sys.argv[1]), cores=2, driver_memory="1g")
    out = {}
    for name, engine in (("local", None), ("spark", spark)):
        fc, scores, _ = forecast_and_backtest(history, ForecastSettings(7, "D", prophet="off", engine=engine))
        out[name] = {
            "champions": scores.loc[scores["is_champion"]].set_index("unique_id")["model"].to_dict(),
            "forecast": fc.assign(ds=fc["ds"].dt.strftime("%Y-%m-%d")).to_dict("records"),
        }
    spark.stop()
    print("RESULT " + json.dumps(out))
    """
)


def test_spark_gives_the_same_champions_and_forecasts_as_the_local_run(tmp_path):
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "spark")],
        capture_output=True, text=True, timeout=900, env=env, start_new_session=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])
    assert result["spark"]["champions"] == result["local"]["champions"]
    assert len(set(result["local"]["champions"].values())) >= 2
    local, spark = (
        pd.DataFrame(result[k]["forecast"]).sort_values(["unique_id", "ds"]) for k in ("local", "spark")
    )
    assert (
        local[["unique_id", "ds", "model"]].values.tolist()
        == spark[["unique_id", "ds", "model"]].values.tolist()
    )
    for column in ("yhat", "yhat_lower", "yhat_upper"):
        assert (local[column].to_numpy() - spark[column].to_numpy()).max() < 1e-4 * (
            1 + local[column].abs().max()
        )
