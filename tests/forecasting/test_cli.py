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


def _promo_world(n_past: int, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily history of two series with promotion days the history cannot foresee, and a sales team that
    knows them (its forecast of past days and of the horizon, within 5 %)."""
    rng = np.random.default_rng(7)
    ds = pd.date_range("2025-01-06", periods=n_past + horizon, freq="D")
    frames, team = [], []
    for uid, level in (("a", 40.0), ("b", 200.0)):
        y = level * rng.lognormal(0, 0.1, len(ds)) * np.where(rng.random(len(ds)) < 0.15, 3.0, 1.0)
        frames.append(pd.DataFrame({"unique_id": uid, "ds": ds[:n_past], "y": y[:n_past]}))
        team.append(pd.DataFrame({"unique_id": uid, "ds": ds, "yhat": y * rng.lognormal(0, 0.05, len(ds))}))
    return pd.concat(frames), pd.concat(team)


def test_forecast_with_judgmental_blends_and_reports_three_wapes(tmp_path, capsys):
    history, team = _promo_world(84, 7)
    src, judg, dst = tmp_path / "history.csv", tmp_path / "team.csv", tmp_path / "forecast.csv"
    history.to_csv(src, index=False)
    team.to_csv(judg, index=False)
    args = ["forecast", "--input", str(src), "--horizon", "7", "--output", str(dst), "--json"]
    assert main([*args, "--judgmental", str(judg)]) == 0

    out = pd.read_csv(dst)
    assert list(out.columns) == ["unique_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]
    assert (out["model"] == "consensus").all() and len(out) == 14
    assert (out["yhat_lower"] <= out["yhat"]).all() and (out["yhat"] <= out["yhat_upper"]).all()
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [r["unique_id"] for r in records] == ["a", "b"]
    for r in records:
        j = r["judgmental"]
        assert set(j) == {"wape_champion", "wape_judgmental", "wape_consensus", "weight", "scale"}
        assert j["weight"] > 0.6  # the team knows the promotions
        assert j["wape_consensus"] < j["wape_champion"]
    # on the horizon the consensus follows the team's promotion days
    future = team[team["ds"] > history["ds"].max()].assign(ds=lambda f: f["ds"].dt.strftime("%Y-%m-%d"))
    both = out.merge(future, on=["unique_id", "ds"], suffixes=("", "_team"))
    assert np.corrcoef(both["yhat"], both["yhat_team"])[0, 1] > 0.9


def test_forecast_judgmental_bad_rows_are_named_and_their_series_keep_the_model(tmp_path, capsys):
    weeks = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    ids = ["a", "b", "c", "d", "e", "f"]
    rng = np.random.default_rng(3)
    history = pd.concat(
        [pd.DataFrame({"unique_id": u, "ds": weeks, "y": rng.uniform(50, 60, len(weeks))}) for u in ids]
    )
    future = pd.date_range(weeks[-1], periods=4, freq="W-MON")[1:]
    rows = [(u, d.date(), "55") for u in ids if u != "e" for d in weeks[-8:]]  # file rows 2…41
    rows += [(u, d.date(), "55") for u in ids for d in future]  # rows 42…59
    rows += [
        ("zzz", weeks[-1].date(), "5"),  # row 60: unknown series
        ("b", weeks[-1].date(), "56"),  # row 61: duplicates row 17
        ("c", weeks[-10].date(), "-3"),  # row 62: negative
        ("d", (weeks[-2] + pd.Timedelta(days=1)).date(), "55"),  # row 63: a Tuesday
        ("f", weeks[-10].date(), "lots"),  # row 64: not a number
    ]
    src, judg, dst = tmp_path / "h.csv", tmp_path / "j.csv", tmp_path / "f.csv"
    history.to_csv(src, index=False)
    pd.DataFrame(rows, columns=["unique_id", "ds", "yhat"]).to_csv(judg, index=False)
    args = ["forecast", "--input", str(src), "--horizon", "3", "--freq", "W", "--output", str(dst)]
    assert main([*args, "--judgmental", str(judg)]) == 0

    printed = capsys.readouterr().out
    assert "rows 60: series not in the history (zzz)" in printed
    assert "rows 17, 61: duplicate unique_id, ds" in printed
    assert "rows 62: negative yhat" in printed
    assert "rows 63: date not a period start at frequency W" in printed
    assert "rows 64: non-numeric yhat" in printed
    assert "no past period to learn the weights from (e)" in printed
    model = pd.read_csv(dst).groupby("unique_id")["model"].first()
    assert model["a"] == "consensus"
    assert not model[["b", "c", "d", "e", "f"]].eq("consensus").any()


def test_forecast_judgmental_without_its_columns_fails(tmp_path):
    src, judg = tmp_path / "h.csv", tmp_path / "j.csv"
    ds = pd.date_range("2025-01-06", periods=40, freq="D")
    pd.DataFrame({"unique_id": "a", "ds": ds, "y": 5.0}).to_csv(src, index=False)
    pd.DataFrame({"unique_id": ["a"], "month": ["2025-01-06"], "yhat": [1]}).to_csv(judg, index=False)
    args = ["forecast", "--input", str(src), "--horizon", "3", "--output", str(tmp_path / "o.csv")]
    assert main([*args, "--judgmental", str(judg)]) == 1


def test_forecast_without_its_input_says_what_is_missing(capsys):
    assert main(["forecast", "--horizon", "3"]) == 2
    assert "needs --input, --output" in capsys.readouterr().out
