"""A daily incremental run gives the same warehouse as a full rebuild, and touches only what is new.

Two instances of the small demo company. The incremental one is built without the newest day, then gets
the day's export files (orders of the day, and shipments of the day, many for older orders) and a
corrected re-export of a past Shopify file (a 'replaced' file) and of the ERP customers (one changed
tier) and runs incrementally. The corrected file also drops one order altogether (it must leave every
mart), and a second correction of another past file, under a new name, repeats one order without its last
line (the order is taken whole from the newest copy, never line by line), and a truncated copy of a
third past file comes again under its own name (landing holds it: the marts keep that file's orders).
Customer identity is exercised both ways: the day's first Shopify order carries one old customer's
e-mail and another's phone (two customers merge), and the corrected file gives back an order the phone
a typo had given it, which had joined two customers (they split). The full one
lands the same files in one run with ``--full-refresh``. Only landing and dbt run
(the ``omniops_land_and_transform`` job): the forecast does not read what is compared here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import dagster_events_in_memory
from tests.pipeline.daily_exports import split_newest_day

JOB = "omniops_land_and_transform"
# Compared row for row: the order marts, what customer service reads and every KPI mart.
COMPARED = (
    "intermediate.int_order_lines__deduplicated",
    "intermediate.int_order_lines__enriched",
    "intermediate.int_shipments__order_delivery",
    "intermediate.int_customers__identity",
    "intermediate.int_social__threads",
    "marts.fct_orders",
    "marts.fct_order_lines",
    "marts.fct_shipments",
    "marts.dim_customers",
    "marts.fct_demand_daily",
    "marts.fct_inventory_daily",
    "marts.fct_cs_tickets",
    "marts.fct_order_events",
    "marts.fct_order_lookup_keys",
    "intermediate.int_orders__fill_contributions",
    "intermediate.int_orders__cogs_contributions",
)
# The per-order contributions the daily KPI marts sum: a day's run rewrites the touched orders' rows only.
CONTRIBUTIONS = ("intermediate.int_orders__fill_contributions", "intermediate.int_orders__cogs_contributions")
# Columns that differ legitimately: when dbt wrote the row, and when its file landed.
LEGITIMATELY_DIFFERENT = {"refreshed_at_utc", "loaded_at"}
CORRECTED_FILE = "shopify/orders_export_2026-06.csv"
CORRECTED_DELIVERY = "shopify/orders_export_2026-06.correction.csv"
# A correction of the May file delivered under a new name: one order again, without its last line.
RENAMED_CORRECTION = "shopify/orders_export_2026-05_corrected.csv"
ERP_CUSTOMERS = "erp/customers.csv"
# A truncated copy of the April file re-delivered under its own name: landing holds it, the marts keep April.
SHRUNKEN_REDELIVERY = "shopify/orders_export_2026-04.csv"


def _run(home: Path, patch: pytest.MonkeyPatch, full_refresh: bool = False) -> None:
    from core.settings import OmniopsPaths
    from orchestration.pipeline import run_pipeline

    patch.setenv("OMNIOPS_HOME", str(home))
    patch.setenv("DAGSTER_HOME", str(dagster_events_in_memory(home / "dagster")))
    run_pipeline(OmniopsPaths(home), echo=lambda _: None, job_name=JOB, full_refresh=full_refresh)


def _query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _column(path: Path, *columns: str) -> set[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {tuple(row[c] for c in columns) for row in csv.DictReader(handle)}


def _sql_values(values) -> str:
    return ", ".join("(" + ", ".join(f"'{v}'" for v in value) + ")" for value in values)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _late_order_to_cancel(home: Path, path: Path, avoid: set[str]) -> str:
    """A late delivered order of the file, preferably alone in its delivery and order-date groups, so
    cancelling it must empty rows of the daily KPI marts (not only lower them). Not on the file's last
    day: the next month's file exports that day again."""
    names = _sql_values({(name,) for (name,) in _column(path, "Name")})
    rows = _query(
        home,
        "with facts as (select * from marts.kpi_order_facts), "
        f"in_file as (select * from facts where channel = 'shopify' and channel_order_id in ({names})) "
        "select late.channel_order_id from marts.kpi_late_orders as late "
        "inner join in_file using (order_key) "
        "where in_file.order_date < (select max(order_date) from in_file) "
        "order by (select count(*) from facts where facts.delivered_date = in_file.delivered_date "
        "and facts.channel = in_file.channel and facts.product_category = in_file.product_category "
        "and facts.warehouse_code is not distinct from in_file.warehouse_code), "
        "(select count(*) from facts where facts.order_date = in_file.order_date "
        "and facts.channel = in_file.channel and facts.counts_in_fill_rate), late.channel_order_id",
    )
    with path.open(encoding="utf-8", newline="") as handle:
        refunded = next(csv.DictReader(handle))["Name"]  # see _correct_a_past_order
    return next(name for (name,) in rows if name != refunded and name not in avoid)


def _correct_a_past_order(path: Path, cancel: str) -> str:
    """A corrected re-export: the first order of the file was refunded, and `cancel` was voided (it leaves
    the order KPIs, and its dates must be rebuilt without it). Returns the refunded order's name."""
    rows = _rows(path)
    header = rows[0]
    name = rows[1][header.index("Name")]
    assert name != cancel
    for row in rows[1:]:
        if row[header.index("Name")] == name and row[header.index("Financial Status")]:
            row[header.index("Financial Status")] = "refunded"
        if row[header.index("Name")] == cancel and row[header.index("Financial Status")]:
            row[header.index("Financial Status")] = "voided"
            row[header.index("Fulfillment Status")] = "unfulfilled"
    _write_rows(path, rows)
    return name


def _orders_only_in(landing: Path, relative: str) -> list[str]:
    """Names of the orders of a Shopify file that no other Shopify file carries, with more than one line
    first, in file order."""
    elsewhere = set()
    for path in sorted((landing / "shopify").glob("orders_export_*.csv")):
        if path != landing / relative:
            elsewhere |= {name for (name,) in _column(path, "Name")}
    rows = _rows(landing / relative)
    names = [row[rows[0].index("Name")] for row in rows[1:]]
    own = [name for name in dict.fromkeys(names) if name not in elsewhere]
    return sorted(own, key=lambda name: names.count(name) < 2)


def _move_an_order_back(path: Path, name: str, days: int = 2) -> None:
    """The corrected export places order `name` `days` earlier (its creation and payment times): its
    per-order KPI contributions must leave the old date for the new one."""
    rows = _rows(path)
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Name")] != name:
            continue
        for column in ("Created at", "Paid at"):
            if row[header.index(column)]:
                moved = datetime.strptime(row[header.index(column)], "%Y-%m-%d %H:%M:%S %z") - timedelta(
                    days=days
                )
                row[header.index(column)] = moved.strftime("%Y-%m-%d %H:%M:%S %z")
    _write_rows(path, rows)


def _drop_an_order(path: Path, name: str) -> None:
    """The corrected export no longer carries order `name` at all."""
    rows = _rows(path)
    _write_rows(path, [rows[0], *(row for row in rows[1:] if row[rows[0].index("Name")] != name)])


def _correct_without_last_line(source: Path, target: Path, name: str) -> int:
    """Writes a correction of `source` under a new name: order `name` alone, without its last line.
    Returns the units left."""
    rows = _rows(source)
    header = rows[0]
    lines = [row for row in rows[1:] if row[header.index("Name")] == name]
    assert len(lines) > 1
    _write_rows(target, [header, *lines[:-1]])
    return sum(int(row[header.index("Lineitem quantity")]) for row in lines[:-1])


def _change_a_tier(path: Path) -> None:
    """The ERP extract again, with the first customer in another tier (only dim_customers shows it)."""
    rows = _rows(path)
    tier = rows[0].index("Customer Tier")
    rows[1][tier] = "C" if rows[1][tier] == "A" else "A"
    _write_rows(path, rows)


def _set_contact(path: Path, order_name: str, email: str | None = None, phone: str | None = None) -> None:
    """Rewrites the e-mail and/or shipping phone of a Shopify order (order-level fields: its first row)."""
    rows = _rows(path)
    header = rows[0]
    first = next(row for row in rows[1:] if row[header.index("Name")] == order_name)
    for column, value in (("Email", email), ("Shipping Phone", phone)):
        if value is not None:
            first[header.index(column)] = value
    _write_rows(path, rows)


def _identity_cases(landing: Path) -> dict[str, tuple[str, str, str]]:
    """Orders (name, e-mail, phone) of different people found only in the corrected file: the bridge and
    the customer its wrong phone belongs to, the two customers the new day's order will join, and an order
    whose contacts the correction removes."""
    names_elsewhere = set()
    for path in sorted((landing / "shopify").glob("orders_export_*.csv")):
        if path != landing / CORRECTED_FILE:
            names_elsewhere |= {name for (name,) in _column(path, "Name")}
    seen: dict[str, tuple[str, str, str]] = {}
    with (landing / CORRECTED_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, email, phone = row["Name"], row["Email"], row["Shipping Phone"]
            if name in seen or name in names_elsewhere or not email or not phone:
                continue
            if all(email != e and phone != p for _, e, p in seen.values()):
                seen[name] = (name, email, phone)
    cases = list(seen.values())[1:6]  # the first order is the refunded one
    roles = ("bridge", "wrong_phone_owner", "email_owner", "phone_owner", "without_contacts")
    return dict(zip(roles, cases, strict=True))


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module, demo_company_files) -> dict:
    base = tmp_path_factory.mktemp("exports")
    shutil.copytree(demo_company_files(0.05, 7), base / "landing")
    day, day_files = split_newest_day(base / "landing")
    cases = _identity_cases(base / "landing")
    bridge, wrong_phone_owner = cases["bridge"], cases["wrong_phone_owner"]
    _set_contact(base / "landing" / CORRECTED_FILE, bridge[0], phone=wrong_phone_owner[2])
    incremental = tmp_path_factory.mktemp("incremental")
    full = tmp_path_factory.mktemp("full")
    held_back = {path.relative_to(base / "landing") for path in day_files}
    shutil.copytree(
        base / "landing",
        incremental / "landing",
        ignore=lambda folder, names: [
            n for n in names if (Path(folder) / n).relative_to(base / "landing") in held_back
        ],
    )
    _run(incremental, monkeypatch_module)
    before = dict(_query(incremental, "select order_key, customer_key from marts.fct_orders"))
    shopify_customers = (
        "select channel_order_id, customer_key from marts.fct_orders where channel = 'shopify'"
    )
    shopify_before = dict(_query(incremental, shopify_customers))

    identity_orders = {name for name, _, _ in cases.values()}
    cancelled_order = _late_order_to_cancel(incremental, base / "landing" / CORRECTED_FILE, identity_orders)
    corrected_order = _correct_a_past_order(base / "landing" / CORRECTED_FILE, cancelled_order)
    untouchable = identity_orders | {cancelled_order, corrected_order}
    dropped_order = next(
        name for name in _orders_only_in(base / "landing", CORRECTED_FILE) if name not in untouchable
    )
    _drop_an_order(base / "landing" / CORRECTED_FILE, dropped_order)
    own_orders = _sql_values((name,) for name in _orders_only_in(base / "landing", CORRECTED_FILE))
    # an order counted in the fill rate that the correction moves two days back
    moved_order, moved_from = next(
        (name, order_date)
        for name, order_date in _query(
            incremental,
            "select distinct facts.channel_order_id, facts.order_date from marts.kpi_order_facts as facts "
            "inner join intermediate.int_orders__fill_contributions using (order_key) "
            f"where facts.channel = 'shopify' and facts.channel_order_id in ({own_orders}) order by 1",
        )
        if name not in untouchable | {dropped_order}
    )
    _move_an_order_back(base / "landing" / CORRECTED_FILE, moved_order)
    shortened_order = _orders_only_in(base / "landing", "shopify/orders_export_2026-05.csv")[0]
    shortened_units = _correct_without_last_line(
        base / "landing" / "shopify/orders_export_2026-05.csv",
        base / "landing" / RENAMED_CORRECTION,
        shortened_order,
    )
    _set_contact(base / "landing" / CORRECTED_FILE, bridge[0], phone=bridge[2])
    _set_contact(base / "landing" / CORRECTED_FILE, cases["without_contacts"][0], email="", phone="")
    day_shopify = next(path for path in day_files if path.parent.name == "shopify")
    (day_order,) = sorted(_column(day_shopify, "Name"))[0]
    _set_contact(day_shopify, day_order, email=cases["email_owner"][1], phone=cases["phone_owner"][2])
    _change_a_tier(base / "landing" / ERP_CUSTOMERS)
    for relative in [*sorted(held_back), Path(RENAMED_CORRECTION), Path(ERP_CUSTOMERS)]:
        shutil.copy2(base / "landing" / relative, incremental / "landing" / relative)
    shrunken = _rows(incremental / "landing" / SHRUNKEN_REDELIVERY)
    _write_rows(incremental / "landing" / SHRUNKEN_REDELIVERY, shrunken[: len(shrunken) // 2])
    # The June re-export drops an order, so it comes with the `.correction` infix (landing holds a
    # shrinking re-delivery under the old name): it stands for the plain name and replaces it.
    shutil.copy2(base / "landing" / CORRECTED_FILE, incremental / "landing" / CORRECTED_DELIVERY)
    _run(incremental, monkeypatch_module)
    day_run = _query(
        incremental,
        "select order_key, customer_key from marts.fct_orders "
        "where refreshed_at_utc = (select max(refreshed_at_utc) from marts.fct_orders)",
    )
    after_day = dict(_query(incremental, "select order_key, customer_key from marts.fct_orders"))
    shopify_after = dict(_query(incremental, shopify_customers))

    shutil.copytree(base / "landing", full / "landing")
    _run(full, monkeypatch_module, full_refresh=True)
    return {
        "incremental": incremental,
        "full": full,
        "day": day,
        "day_files": day_files,
        "before": before,
        "day_run": dict(day_run),
        "after_day": after_day,
        "corrected_order": corrected_order,
        "cancelled_order": cancelled_order,
        "dropped_order": dropped_order,
        "moved_order": (moved_order, moved_from),
        "shortened_order": (shortened_order, shortened_units),
        "identity_cases": {role: name for role, (name, _, _) in cases.items()} | {"day_order": day_order},
        "shopify_before": shopify_before,
        "shopify_after": shopify_after,
    }


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_incremental_warehouse_equals_the_full_rebuild_row_for_row(homes):
    incremental = homes["incremental"] / "warehouse" / "build.duckdb"
    full = homes["full"] / "warehouse" / "build.duckdb"
    kpis = _query(
        homes["full"],
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and table_name like 'kpi_%' order by 1",
    )
    compared = [*COMPARED, *(f"marts.{name}" for (name,) in kpis)]
    assert len(kpis) >= 7
    with duckdb.connect() as conn:
        conn.execute(f"attach '{incremental}' as inc (read_only)")
        conn.execute(f"attach '{full}' as full_build (read_only)")
        for table in compared:
            schema, name = table.split(".")
            # Doubles compared to 9 decimals: DuckDB sums doubles in parallel in no fixed order, so a sum
            # (e.g. kpi_machine_daily's minutes) may differ in its last bits between two identical builds.
            columns = [
                f'round("{c}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
                for (c, kind) in conn.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_catalog = 'full_build' and table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if c not in LEGITIMATELY_DIFFERENT
            ]
            select = ", ".join(columns)
            (rows,) = conn.execute(f"select count(*) from full_build.{table}").fetchone()
            assert rows > 0, table
            for a, b in (("inc", "full_build"), ("full_build", "inc")):
                (extra,) = conn.execute(
                    f"select count(*) from (select {select} from {a}.{table} "
                    f"except all select {select} from {b}.{table})"
                ).fetchone()
                assert extra == 0, f"{table}: {extra} of {rows} rows in {a} not in {b}"


def test_the_day_run_recomputed_only_the_orders_the_new_files_touch(homes):
    inc, day = homes["incremental"], homes["day"]
    files = {(path.parent.name + "/" + path.name,) for path in homes["day_files"]}
    with_new_lines = _query(
        inc,
        "select distinct orders.order_key from intermediate.int_order_lines__unioned as lines "
        "inner join marts.fct_orders as orders using (channel, channel_order_id) "
        f"where lines.source_file in ({_sql_values(files)})",
    )
    social_day = inc / "landing" / "social" / f"events_{day}.jsonl"
    threads = {(json.loads(line)["thread_id"],) for line in social_day.read_text().splitlines() if line}
    social = _query(
        inc,
        "select order_key from marts.fct_orders "
        f"where channel = 'social' and channel_order_id in ({_sql_values(threads)})",
    )
    shipments = _column(inc / "landing" / "wms" / f"shipments_{day}.csv", "channel", "channel_order_id")
    shipped = _query(
        inc,
        "select order_key, order_date < date '" + day + "' from marts.fct_orders "
        f"where (lower(channel), fulfilment_ref) in ({_sql_values(shipments)})",
    )
    assert any(older for _, older in shipped), "the day's shipments include none for an older order"
    changed_customer = {
        key for key, customer in homes["after_day"].items() if homes["before"].get(key, customer) != customer
    }
    corrected_names = _column(inc / "landing" / CORRECTED_DELIVERY, "Name") | {(homes["shortened_order"][0],)}
    corrected = _query(
        inc,
        "select order_key from marts.fct_orders where channel = 'shopify' and channel_order_id in "
        f"({_sql_values(corrected_names)})",
    )
    expected = {k for (k,) in with_new_lines} | {k for (k,) in social} | {k for k, _ in shipped}
    assert set(homes["day_run"]) == expected | {k for (k,) in corrected} | changed_customer
    assert len(homes["day_run"]) < len(homes["after_day"]) / 10


def test_a_corrected_re_export_of_a_past_file_updates_its_orders(homes):
    inc = homes["incremental"]
    in_file = _column(inc / "landing" / CORRECTED_DELIVERY, "Name")
    keys = dict(
        _query(
            inc,
            "select channel_order_id, order_key from marts.fct_orders where channel = 'shopify' and "
            f"channel_order_id in ({_sql_values(in_file)})",
        )
    )
    assert len(keys) == len(in_file)
    assert set(keys.values()) <= set(homes["day_run"])
    (status,) = _query(
        inc,
        f"select channel_status from marts.fct_orders where order_key = '{keys[homes['corrected_order']]}'",
    )[0]
    assert status.startswith("refunded/")
    (status,) = _query(
        inc,
        f"select order_status from marts.fct_orders where order_key = '{keys[homes['cancelled_order']]}'",
    )[0]
    assert status == "cancelled"
    cancelled_key = keys[homes["cancelled_order"]]
    assert not _query(inc, f"select 1 from marts.kpi_late_orders where order_key = '{cancelled_key}'")


def test_the_day_merged_two_customers_split_two_others_and_dropped_one(homes):
    case, before, after = homes["identity_cases"], homes["shopify_before"], homes["shopify_after"]
    # the wrong phone had joined two people; the corrected export separates them again
    assert before[case["bridge"]] == before[case["wrong_phone_owner"]]
    assert after[case["bridge"]] != after[case["wrong_phone_owner"]]
    # the day's order carries one customer's e-mail and another's phone: the two become one
    assert before[case["email_owner"]] != before[case["phone_owner"]]
    assert after[case["email_owner"]] == after[case["phone_owner"]] == after[case["day_order"]]
    # an order left without any contact belongs to no customer
    assert before[case["without_contacts"]] is not None
    assert after[case["without_contacts"]] is None


def test_an_order_a_corrected_file_no_longer_carries_leaves_every_mart(homes):
    inc, name = homes["incremental"], homes["dropped_order"]
    for table in (
        "marts.fct_orders",
        "marts.fct_order_lines",
        "marts.kpi_order_facts",
        "marts.fct_order_lookup_keys",
    ):
        found = _query(
            inc, f"select count(*) from {table} where channel = 'shopify' and channel_order_id = '{name}'"
        )
        assert found == [(0,)], table
    withdrawn = _query(
        inc,
        "select withdrawn_at_utc is not null from intermediate.int_orders__register "
        f"where channel = 'shopify' and channel_order_id = '{name}'",
    )
    assert withdrawn == [(True,)]


def test_a_correction_under_a_new_name_replaces_the_order_whole_not_line_by_line(homes):
    inc, (name, units) = homes["incremental"], homes["shortened_order"]
    for home in (inc, homes["full"]):
        ((total, files),) = _query(
            home,
            "select sum(quantity), string_agg(distinct source_file, ',') from marts.fct_order_lines "
            f"where channel = 'shopify' and channel_order_id = '{name}'",
        )
        assert (total, files) == (units, RENAMED_CORRECTION), home


def test_a_shrunken_re_delivery_is_held_and_the_marts_keep_the_file_it_would_have_cut(homes):
    inc = homes["incremental"]
    statuses = [
        status
        for (status,) in _query(
            inc,
            "select status from landing.file_ledger "
            f"where file_path = '{SHRUNKEN_REDELIVERY}' order by landed_at",
        )
    ]
    assert statuses == ["loaded", "held"]
    assert (inc / "landing" / "shopify" / "_held").is_dir()
    landed = _column(homes["full"] / "landing" / SHRUNKEN_REDELIVERY, "Name")
    (kept,) = _query(
        inc,
        "select count(*) from marts.fct_orders where channel = 'shopify' and channel_order_id in "
        f"({_sql_values(landed)})",
    )[0]
    assert kept == len(landed)


def test_an_order_moved_to_another_date_contributes_to_the_new_date_only(homes):
    (name, moved_from), moved_to = homes["moved_order"], homes["moved_order"][1] - timedelta(days=2)
    for home in (homes["incremental"], homes["full"]):
        for table, date_column in zip(CONTRIBUTIONS, ("order_date", "kpi_date"), strict=True):
            dates = _query(
                home,
                f"select distinct contributions.{date_column} from {table} as contributions "
                "inner join marts.fct_orders as orders using (order_key) "
                f"where orders.channel = 'shopify' and orders.channel_order_id = '{name}'",
            )
            assert dates == [(moved_to,)], (home, table, moved_from)


def test_the_day_run_rewrote_the_contributions_of_the_touched_orders_only(homes):
    inc = homes["incremental"]
    names = {homes["moved_order"][0], homes["corrected_order"], homes["shortened_order"][0]}
    corrected = {
        key
        for (key,) in _query(
            inc,
            "select order_key from marts.fct_orders where channel = 'shopify' and channel_order_id in "
            f"({_sql_values((name,) for name in names)})",
        )
    }
    assert len(corrected) == len(names)
    rewritten: set[str] = set()
    for table in CONTRIBUTIONS:
        written = {
            key
            for (key,) in _query(
                inc,
                f"select distinct order_key from {table} "
                f"where refreshed_at_utc = (select max(refreshed_at_utc) from {table})",
            )
        }
        (orders,) = _query(inc, f"select count(distinct order_key) from {table}")[0]
        assert written <= set(homes["day_run"]), table
        assert len(written) < orders / 10, table
        # a re-delivered order is rewritten wherever it has a contribution
        keys = _sql_values((key,) for key in corrected)
        (has_rows,) = _query(
            inc, f"select list(distinct order_key) from {table} where order_key in ({keys})"
        )[0]
        assert set(has_rows) <= written, table
        rewritten |= set(has_rows)
    assert rewritten, "no re-delivered order has a contribution"
