"""`omniops forecast` as an analyst uses it: a long CSV in, a forecast CSV and JSON summaries out."""

import json

import numpy as np
import pandas as pd

from orchestration.cli import main


def test_forecast_command_writes_csv_and_json(tmp_path, capsys):
    ds = pd.date_range("2025-01-06", periods=84, freq="D")
    weekly = np.tile([10.0, 12, 15, 20, 25, 30, 8], 12)
    trend = 50 + 2.0 * np.arange(84)
    history = pd.concat(
        [
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": weekly}),
            pd.DataFrame({"unique_id": "b", "ds": ds, "y": trend}),
        ]
    )
    src, dst = tmp_path / "history.csv", tmp_path / "forecast.csv"
    history.to_csv(src, index=False)

    assert main(["forecast", "--input", str(src), "--horizon", "7", "--output", str(dst), "--json"]) == 0

    out = pd.read_csv(dst)
    assert list(out.columns) == ["unique_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]
    assert out.groupby("unique_id").size().to_dict() == {"a": 7, "b": 7}
    assert out["ds"].min() == "2025-03-31"
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [r["unique_id"] for r in records] == ["a", "b"]
    for r in records:
        assert set(r["baselines_wape"]) == {"SeasonalNaive", "WindowAverage"}
        assert r["wape"] <= min(r["baselines_wape"].values())


def test_forecast_command_rejects_bad_input(tmp_path):
    src = tmp_path / "bad.csv"
    pd.DataFrame({"id": ["a"], "ds": ["2025-01-01"], "y": [1]}).to_csv(src, index=False)
    assert main(["forecast", "--input", str(src), "--horizon", "3", "--output", str(tmp_path / "o.csv")]) == 1


def test_bench_forecast_command_prints_speed_and_accuracy(capsys):
    assert main(["bench", "forecast", "--series", "6", "--repeat", "1", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "series/s" in out and "prophet=off" in out
    assert "champion" in out and "SeasonalNaive" in out
