"""Planner overrides: set through ``omniops forecast override``, stored with who/when, applied on top."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import sqlalchemy as sa

from decisions import forecast_overrides
from decisions.people import Actor
from decisions.store import Store
from decisions.tables import audit_log
from orchestration.cli import main
from planning.consensus_layer import apply_overrides


@pytest.fixture
def cli(store_url, tmp_path, monkeypatch, capsys):
    users = tmp_path / "users.toml"
    users.write_text('[users.pete]\nrole = "planner"\n\n[users.ana]\nrole = "analyst"\n', encoding="utf-8")
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OMNIOPS_DB_URL", store_url)
    monkeypatch.setenv("OMNIOPS_USERS_FILE", str(users))
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    Store(store_url).upgrade()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["forecast", "override", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_planner_sets_and_replaces_an_override_with_reason_who_and_when(cli, store_url):
    base = ["set", "--user", "pete", "--series", "SKU-1|tmall", "--period", "2026-12-01"]
    assert cli(*base, "--quantity", "120", "--reason", "Double 12 promotion")[0] == 0
    code, out, _ = cli(*base, "--quantity", "150", "--reason", "promotion extended", "--json")
    assert code == 0 and json.loads(out)["version"] == 2

    code, out, _ = cli("list", "--json")
    (row,) = json.loads(out)
    assert (row["unique_id"], row["ds"], row["quantity"], row["set_by"]) == (
        "SKU-1|tmall",
        "2026-12-01",
        150,
        "pete",
    )
    assert row["reason"] == "promotion extended" and row["set_at"]
    with Store(store_url).read() as conn:
        actions = conn.execute(sa.select(audit_log.c.action, audit_log.c.before)).all()
    assert [a for a, _ in actions] == ["forecast.override"] * 2 and '"quantity": 120.0' in actions[1][1]


def test_the_number_an_override_replaced_is_kept_when_it_is_replaced_again(store_url):
    store = Store(store_url)
    store.upgrade()
    pete = Actor("pete", "planner")
    args = ("SKU-1|tmall", "MS", pd.Timestamp("2026-12-01").date())
    forecast_overrides.set_override(store, pete, *args, 120, "promotion", replaced=80.0)
    # the page then shows the override itself (120): a second override keeps the forecast's 80
    forecast_overrides.set_override(store, pete, *args, 150, "promotion extended", replaced=None)
    (row,) = forecast_overrides.list_overrides(store)
    assert (row["quantity"], row["replaced"]) == (150, 80)
    forecast_overrides.set_override(store, pete, "SKU-2|tmall", "MS", args[2], 5, "from the CLI")
    assert [r["replaced"] for r in forecast_overrides.list_overrides(store)] == [80, None]


def test_a_planner_removes_an_override_and_the_audit_keeps_the_removed_row(cli, store_url):
    where = ["--user", "pete", "--series", "SKU-1|tmall", "--period", "2026-12-01"]
    assert cli("set", *where, "--quantity", "120", "--reason", "Double 12 promotion")[0] == 0
    code, _, err = cli("remove", *[w if w != "pete" else "ana" for w in where])
    assert code == 1 and "may not override the forecast" in err
    code, out, _ = cli("remove", *where)
    assert code == 0 and "removed (was 120" in out
    assert json.loads(cli("list", "--json")[1]) == []
    code, _, err = cli("remove", *where)
    assert code != 0 and "no forecast_overrides row 'SKU-1|tmall@MS@2026-12-01'" in err
    with Store(store_url).read() as conn:
        actions = conn.execute(sa.select(audit_log.c.action, audit_log.c.before)).all()
    assert [a for a, _ in actions] == ["forecast.override", "forecast.override.remove"]
    assert '"quantity": 120.0' in actions[1][1]


def test_overrides_are_refused_to_analysts_and_checked(cli):
    code, _, err = cli(
        "set",
        "--user",
        "ana",
        "--series",
        "a|b",
        "--period",
        "2026-12-01",
        "--quantity",
        "1",
        "--reason",
        "x",
    )
    assert code == 1 and "may not override the forecast" in err
    base = ["set", "--user", "pete", "--series", "a|b", "--reason", "x"]
    code, _, err = cli(*base, "--period", "2026-12-15", "--quantity", "1")
    assert code == 2 and "not a month start" in err
    code, _, err = cli(*base, "--period", "2026-12-01", "--quantity", "-5")
    assert code == 2 and "≥ 0" in err
    code, _, err = cli(*base, "--period", "December", "--quantity", "5")
    assert code == 2 and "not a date" in err


def test_overrides_replace_the_consensus_of_their_period_and_move_its_band():
    forecast = pd.DataFrame(
        {
            "unique_id": ["a", "a", "b"],
            "ds": pd.to_datetime(["2026-12-01", "2027-01-01", "2026-12-01"]),
            "yhat": [100.0, 90.0, 10.0],
            "yhat_lower": [80.0, 70.0, 5.0],
            "yhat_upper": [130.0, 110.0, 15.0],
            "model": "consensus",
        }
    )
    rows = [{"unique_id": "a", "freq": "MS", "ds": pd.Timestamp("2026-12-01").date(), "quantity": 150.0}]
    out = apply_overrides(forecast, forecast_overrides.overrides_frame(rows), "MS")
    assert out["yhat"].tolist() == [150.0, 90.0, 10.0]
    assert out["model"].tolist() == ["override", "consensus", "consensus"]
    assert out.loc[0, ["yhat_lower", "yhat_upper"]].tolist() == [130.0, 180.0]
