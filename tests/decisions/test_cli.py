"""``omniops db`` and ``omniops warnings`` as a script uses them: exit codes, reasons, ``--json``."""

from __future__ import annotations

import json

import pytest

from decisions import t3_loop
from decisions.store import Store
from orchestration.cli import main
from tests.decisions.conftest import T0
from tests.decisions.test_t3_loop import register_row


@pytest.fixture
def cli(store_url, tmp_path, monkeypatch, capsys):
    users = tmp_path / "users.toml"
    users.write_text(
        '[users.pete]\nrole = "planner"\n\n[users.ana]\nrole = "analyst"\n\n'
        '[users."wu.min"]\nrole = "supervisor"\n\n[users.pam]\nrole = "pmc"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OMNIOPS_DB_URL", store_url)
    monkeypatch.setenv("OMNIOPS_USERS_FILE", str(users))
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    monkeypatch.delenv("OMNIOPS_ALERT_WEBHOOK", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_an_action_on_a_store_not_upgraded_says_so_then_db_upgrade_fixes_it(cli):
    code, _, err = cli("warnings", "list", "--user", "pete")
    assert code == 3 and "has no schema yet" in err and "omniops db upgrade" in err
    assert cli("db", "upgrade")[0] == 0
    code, out, _ = cli("db", "current")
    assert code == 0 and "up to date" in out
    assert cli("warnings", "list", "--user", "pete", "--json")[:2] == (0, "[]\n")


def test_every_command_on_a_store_of_an_older_revision_says_to_upgrade_and_writes_nothing(cli, store_url):
    store = Store(store_url)
    store.upgrade("0004")
    commands = [
        ("warnings", "list"),
        ("warnings", "escalate"),
        ("rush", "list"),
        ("close", "show"),
        ("close", "pending"),
        ("alerts", "list"),
        ("alerts", "subscribe", "--kpi", "oee"),
    ]
    for command in commands:
        user = [] if command == ("warnings", "escalate") else ["--user", "pete"]
        code, _, err = cli(*command, *user)
        assert code == 3 and "is at revision 0004" in err and "run `omniops db upgrade`" in err, command
    assert store.revision() == "0004"
    store.engine.dispose()


def test_ack_resolve_and_list_json_with_every_state(cli, store_url):
    cli("db", "upgrade")
    store = Store(store_url)
    t3_loop.sync_register(store, [register_row(), register_row("T3-00002"), register_row("T3-00003")], now=T0)
    ack = ("--countermeasure", "overtime", "--recovery-date", "2026-12-03")
    assert cli("warnings", "ack", "T3-00001", "--user", "pete", *ack)[0] == 0
    assert cli("warnings", "ack", "T3-00002", "--user", "pete", *ack, "--version", "1")[0] == 0
    code, out, _ = cli(
        "warnings",
        "resolve",
        "T3-00002",
        "--user",
        "pete",
        "--action",
        "moved",
        "--root-cause",
        "CAPACITY",
        "--json",
    )
    assert code == 0 and json.loads(out)["state"] == "resolved"
    code, out, _ = cli("warnings", "list", "--user", "ana", "--json")
    states = {row["id"]: (row["state"], row["version"]) for row in json.loads(out)}
    assert states == {"T3-00001": ("acknowledged", 2), "T3-00002": ("resolved", 3), "T3-00003": ("open", 1)}
    store.engine.dispose()


@pytest.mark.parametrize(
    "argv, code, reason",
    [
        (("ack", "T3-00001", "--user", "ana"), 1, "ana (analyst) may not acknowledge a T-3 warning"),
        (("ack", "T3-00001", "--user", "nobody"), 2, "no user 'nobody'"),
        (("ack", "T3-00009", "--user", "pete"), 1, "no T-3 warning 'T3-00009'"),
        (("ack", "T3-00001", "--user", "pete", "--version", "7"), 1, "changed by omniops at"),
    ],
)
def test_a_refused_action_exits_non_zero_with_the_reason_and_writes_nothing(
    cli, store_url, argv, code, reason
):
    cli("db", "upgrade")
    store = Store(store_url)
    t3_loop.sync_register(store, [register_row()], now=T0)
    before = t3_loop.get_warning(store, "T3-00001")
    result, out, err = cli(
        "warnings", *argv, "--countermeasure", "x", "--recovery-date", "2026-12-03", "--json"
    )
    assert result == code and reason in err and reason in json.loads(out)["reason"]
    assert t3_loop.get_warning(store, "T3-00001") == before
    store.engine.dispose()


def test_escalate_climbs_at_the_given_moment(cli, store_url):
    cli("db", "upgrade")
    store = Store(store_url)
    t3_loop.sync_register(store, [register_row()], now=T0)
    code, out, _ = cli("warnings", "escalate", "--now", "2026-12-01T16:00:00", "--json")
    assert code == 0 and [c["to"] for c in json.loads(out)["climbed"]] == ["T-2"]
    store.engine.dispose()


def test_close_a_supervisor_cannot_sign_a_day_with_an_unexplained_variance(cli, store_url):
    from decisions import close_loop
    from tests.decisions.test_close_loop import CID, V_OUT, output_row

    cli("db", "upgrade")
    store = Store(store_url)
    close_loop.sync_close(store, [output_row()], [], now=T0)
    code, out, err = cli("close", "sign", CID, "--user", "wu.min", "--json")
    assert code == 1 and f"1 variance(s) without a reason: {V_OUT}" in json.loads(out)["reason"]
    explain = ("--code", "MACHINE_BREAKDOWN", "--comment", "spindle", "--action", "PM moved up")
    code, _, err = cli("close", "reason", V_OUT, "--user", "ana", *explain)
    assert code == 1 and "ana (analyst) may not explain a daily-close variance" in err
    assert cli("close", "reason", V_OUT, "--user", "wu.min", *explain, "--action-due", "2026-11-25")[0] == 0
    code, out, _ = cli("close", "sign", CID, "--user", "wu.min", "--json")
    assert code == 0 and json.loads(out)["state"] == "signed"
    code, out, _ = cli("close", "show", "--user", "ana", "--day", "2026-11-21", "--json")
    (day,) = json.loads(out)
    assert (day["id"], day["state"], day["variances"][0]["reason_code"]) == (
        CID,
        "signed",
        "MACHINE_BREAKDOWN",
    )
    code, out, _ = cli("close", "pending", "--user", "ana", "--today", "2026-11-26", "--json")
    assert [v["id"] for v in json.loads(out)["overdue_actions"]] == [V_OUT]
    store.engine.dispose()


def test_rush_approve_acknowledge_list_and_the_refusals(cli, store_url):
    from decisions import rush_loop
    from tests.decisions.test_rush_loop import proposed

    cli("db", "upgrade")
    code, _, err = cli(
        "rush", "propose", "--user", "pete", "--sku", "S", "--quantity", "5", "--due", "2026-12-03"
    )
    assert code == 3 and "no published plan" in err  # the home has no warehouse
    store = Store(store_url)
    proposed(store)
    code, _, err = cli("rush", "approve", "RUSH-00001", "--user", "pete", "--comment", "ok")
    assert code == 1 and "pete (planner) may not approve a rush order" in err
    code, _, err = cli("rush", "acknowledge", "RUSH-00001", "--user", "wu.min")
    assert code == 1 and "RUSH-00001 is proposed" in err
    assert cli("rush", "approve", "RUSH-00001", "--user", "pam", "--comment", "A customer")[0] == 0
    assert cli("rush", "acknowledge", "RUSH-00001", "--user", "wu.min", "--comment", "night shift")[0] == 0
    code, out, _ = cli("rush", "list", "--user", "ana", "--json")
    (row,) = json.loads(out)
    assert (row["id"], row["state"], row["pmc_by"], row["production_by"]) == (
        "RUSH-00001",
        "acknowledged",
        "pam",
        "wu.min",
    )
    assert rush_loop.list_proposals(store)[0]["version"] == 3
    store.engine.dispose()
