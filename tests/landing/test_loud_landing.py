"""Landing refuses or shouts, never drops quietly: each test is a file a data engineer really meets
(a shrunken re-delivery, a compressed export, a misnamed file, a link out of the folder, UTF-16, a bad
file sent twice, an ISO time with ``Z``), built small in tmp_path, and asserts the ledger row, where the
file went and the run's summary line."""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime

import duckdb
import pytest

from landing.load import ignore_unknown_files
from landing.report import trouble_lines
from landing.sources import tables_of
from quality.suites import rules_of
from quality.validate import validate_frame
from tests.landing.test_broken_files import (
    AMAZON_HEADER,
    SHOPIFY_HEADER,
    Landing,
    amazon_row,
    lines,
    shopify_row,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MARCH = "shopify/orders_export_2026-03.csv"


@pytest.fixture()
def landing(tmp_path):
    land = Landing(tmp_path / "landing")
    yield land
    land.conn.close()


EVENT = (
    '{"event_id": "e1", "thread_id": "t1", "event_type": "inquiry", "event_time": "2026-03-01T12:00:00Z"}\n'
)


def statuses(landing: Landing, path: str) -> list[str]:
    """The file's ledger events in the order they were recorded."""
    rows = landing.raw(f"select status from landing.file_ledger where file_path = '{path}' order by rowid")
    return [status for (status,) in rows]


def summary(landing: Landing) -> list[str]:
    return trouble_lines(landing.conn, "test")


def three_orders() -> str:
    return lines(SHOPIFY_HEADER, shopify_row("#1001"), shopify_row("#1002"), shopify_row("#1003"))


def test_a_truncated_re_delivery_under_a_landed_name_is_held_and_the_old_rows_kept(landing):
    landing.drop(MARCH, three_orders())
    landing.land("shopify__orders")
    path = landing.drop(MARCH, lines(SHOPIFY_HEADER, shopify_row("#1001")))

    landing.land("shopify__orders")

    assert landing.raw('select "Name" from raw.shopify__orders order by 1') == [
        ("#1001",),
        ("#1002",),
        ("#1003",),
    ]
    (held,) = [row for row in landing.ledger(MARCH) if row[0] == "held"]
    assert held[:4] == ("held", 1, 0, 1)
    assert (
        "1 rows where 3 are landed from it" in held[4]
        and "2 order(s) it had are missing (#1002, #1003)" in held[4]
    )
    assert "orders_export_2026-03.correction.csv" in held[4]
    assert not path.exists() and (path.parent / "_held" / path.name).exists()
    assert summary(landing) == [f"HELD {held[4]}"]


def test_a_re_delivery_that_drops_an_order_without_losing_rows_is_held(landing):
    landing.drop(MARCH, three_orders())
    landing.land("shopify__orders")
    landing.drop(
        MARCH, lines(SHOPIFY_HEADER, shopify_row("#1001"), shopify_row("#1002"), shopify_row("#1004"))
    )
    landing.land("shopify__orders")
    assert statuses(landing, MARCH) == ["loaded", "held"]
    assert landing.raw("select count(*) from raw.shopify__orders where \"Name\" = '#1003'") == [(1,)]


def test_a_shrinking_re_delivery_marked_as_correction_replaces_the_file(landing):
    landing.drop(MARCH, three_orders())
    landing.land("shopify__orders")
    correction = landing.drop(
        "shopify/orders_export_2026-03.correction.csv", lines(SHOPIFY_HEADER, shopify_row("#1001"))
    )
    landing.land("shopify__orders")
    assert landing.raw('select "Name", _source_file from raw.shopify__orders') == [("#1001", MARCH)]
    assert statuses(landing, MARCH) == ["loaded", "replaced"]
    (replaced,) = [row for row in landing.ledger(MARCH) if row[0] == "replaced"]
    assert replaced[:4] == ("replaced", 1, 1, 0)
    assert replaced[5] == "correction delivered as orders_export_2026-03.correction.csv"
    assert correction.exists() and summary(landing) == []
    landing.land("shopify__orders")  # the correction stays in the folder: unchanged from now on
    assert landing.raw("select count(*) from raw.shopify__orders") == [(1,)]


def test_a_correction_beside_the_export_it_corrects_wins_once_and_for_all(landing):
    landing.drop(MARCH, three_orders())
    landing.land("shopify__orders")
    landing.drop("shopify/orders_export_2026-03.correction.csv", lines(SHOPIFY_HEADER, shopify_row("#1001")))
    for _ in range(3):  # the original stays in the folder: it must not take the table back
        landing.land("shopify__orders")
    assert statuses(landing, MARCH) == ["loaded", "replaced"]
    assert landing.raw('select "Name" from raw.shopify__orders') == [("#1001",)]


def test_an_amazon_report_with_utc_z_and_other_iso_forms_lands_every_row_and_passes_gx(landing):
    times = [
        "2026-11-26T10:00:00Z",
        "2026-11-26T10:00:00.250Z",
        "2026-11-26T18:00:00+0800",
        "2026-11-26T05:00:00-05:00",
    ]
    report = "amazon/All-Orders-Report_2026-11-26.txt"
    landing.drop(
        report, lines(AMAZON_HEADER, *(amazon_row(f"111-{i}", purchase=t) for i, t in enumerate(times)))
    )
    landing.land("amazon__all_orders")
    assert landing.ledger(report)[0][:4] == ("loaded", 4, 4, 0)
    frame = (
        landing.conn.execute("select * from raw.amazon__all_orders")
        .df()
        .assign(currency="USD", **{"item-tax": "0"})
    )
    outcomes = validate_frame(frame, rules_of("amazon")[0], NOW)
    assert [(o.expectation, o.column) for o in outcomes if not o.success] == []
    checked = {(o.expectation, o.column) for o in outcomes if o.element_count}
    assert ("expect_column_values_to_match_regex", "purchase-date") in checked


def test_a_time_in_no_valid_form_is_still_quarantined_and_the_summary_says_so(landing):
    report = "amazon/All-Orders-Report_2026-11-26.txt"
    landing.drop(
        report, lines(AMAZON_HEADER, amazon_row("111-1"), amazon_row("111-2", purchase="26/11/2026 10:00"))
    )
    landing.land("amazon__all_orders")
    assert landing.ledger(report)[0][:4] == ("loaded", 2, 1, 1)
    (line,) = summary(landing)
    assert line.startswith(
        f"QUARANTINED {report}: 1 of 2 rows kept out, first line 3: column 'purchase-date': "
    )
    assert line.endswith("(all in landing.quarantine)")


def gz(text: str) -> bytes:
    return gzip.compress(text.encode())


def zipped(**members: str) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_gzip_and_zip_exports_are_landed_decompressed(landing):
    landing.drop("shopify/orders_export_2026-03.csv.gz", gz(lines(SHOPIFY_HEADER, shopify_row("#1001"))))
    landing.drop(
        "shopify/orders_2026-04.zip",
        zipped(**{"orders_export_2026-04.csv": lines(SHOPIFY_HEADER, shopify_row("#1002"))}),
    )
    landing.drop("amazon/All-Orders-Report_2026-11.txt.gz", gz(lines(AMAZON_HEADER, amazon_row("111-1"))))
    landing.drop("social/events_2026-03-01.jsonl.gz", gz(EVENT))
    landing.land("shopify__orders")
    landing.land("amazon__all_orders")
    landing.land("social__events")
    assert landing.ledger("shopify/orders_export_2026-03.csv.gz")[0][:4] == ("loaded", 1, 1, 0)
    assert landing.ledger("shopify/orders_2026-04.zip")[0][:4] == ("loaded", 1, 1, 0)
    assert landing.raw('select "Name", _source_file from raw.shopify__orders order by 1') == [
        ("#1001", "shopify/orders_export_2026-03.csv.gz"),
        ("#1002", "shopify/orders_2026-04.zip"),
    ]
    assert landing.raw("select count(*) from raw.amazon__all_orders") == [(1,)]
    assert landing.raw("select record->>'event_id' from raw.social__events") == [("e1",)]


def test_a_corrupt_gzip_and_a_zip_of_two_files_are_rejected_with_a_ledger_row(landing):
    landing.seed_shopify()
    landing.drop("shopify/orders_export_2026-03.csv.gz", gz(three_orders())[:40])
    landing.drop(
        "shopify/orders_export_2026-04.csv.zip", zipped(**{"a.csv": three_orders(), "b.csv": three_orders()})
    )
    landing.land("shopify__orders")
    ((status, *_, error, _, _),) = landing.ledger("shopify/orders_export_2026-03.csv.gz")
    assert status == "rejected" and "cannot decompress it" in error
    ((status, *_, error, _, _),) = landing.ledger("shopify/orders_export_2026-04.csv.zip")
    assert status == "rejected" and error.endswith("the zip archive holds 2 files: expected one export")
    assert (landing.root / "shopify" / "_rejected" / "orders_export_2026-03.csv.gz").exists()
    assert [line.split(":")[0] for line in summary(landing)] == [
        "REJECTED shopify/orders_export_2026-03.csv.gz",
        "REJECTED shopify/orders_export_2026-04.csv.zip",
    ]


def test_a_file_of_unknown_name_gets_a_ledger_row_a_summary_line_and_is_moved_aside(landing):
    landing.seed_shopify()
    path = landing.drop("shopify/orders 2026-03.xlsx", b"PK\x03\x04 not a csv")
    landing.drop("shopify/.DS_Store", b"\x00")
    landing.land("shopify__orders")
    (event,) = ignore_unknown_files(
        landing.conn, landing.root, "shopify", tables_of("shopify"), run_id="test", now=NOW
    )
    assert event.status == "ignored"
    assert landing.ledger("shopify/orders 2026-03.xlsx")[0][:4] == ("ignored", 0, 0, 0)
    assert summary(landing) == [
        "IGNORED shopify/orders 2026-03.xlsx: no raw table of shopify takes this name "
        "(expected orders_export_*.csv, or .gz/.zip of one)"
    ]
    assert not path.exists() and (path.parent / "_rejected" / path.name).exists()
    assert (
        ignore_unknown_files(landing.conn, landing.root, "shopify", tables_of("shopify"), run_id="test") == []
    )


def test_a_symlink_pointing_outside_the_landing_folder_is_refused_not_followed(landing, tmp_path):
    landing.seed_shopify()
    secret = tmp_path / "elsewhere.csv"
    secret.write_text(lines(SHOPIFY_HEADER, shopify_row("#6666")))
    link = landing.root / "shopify" / "orders_export_2026-03.csv"
    link.symlink_to(secret)
    landing.land("shopify__orders")
    ((status, *_, error, _, _),) = landing.ledger(MARCH)
    assert status == "rejected" and "symbolic link pointing outside the landing folder" in error
    assert landing.raw("select count(*) from raw.shopify__orders where \"Name\" = '#6666'") == [(0,)]
    assert secret.exists() and (link.parent / "_rejected" / link.name).is_symlink()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(landing, encoding):
    landing.drop(MARCH, lines(SHOPIFY_HEADER, shopify_row("#1001", sku="LL-AP-0001")), encoding=encoding)
    landing.land("shopify__orders")
    assert landing.ledger(MARCH)[0][:4] == ("loaded", 1, 1, 0)
    assert landing.raw('select "Name", "Lineitem sku" from raw.shopify__orders') == [("#1001", "LL-AP-0001")]


def test_utf16_without_a_bom_is_refused_as_utf16_not_as_binary(landing):
    landing.seed_shopify()
    landing.drop(MARCH, lines(SHOPIFY_HEADER, shopify_row()), encoding="utf-16-le")
    landing.land("shopify__orders")
    ((status, *_, error, _, _),) = landing.ledger(MARCH)
    assert status == "rejected" and error.endswith("without a byte-order mark: convert to UTF-8")


def test_the_same_bad_file_sent_again_gets_a_ledger_row_each_time(landing):
    landing.seed_shopify()
    broken = lines(SHOPIFY_HEADER.replace(",", ";"), shopify_row().replace(",", ";"))
    landing.drop(MARCH, broken)
    landing.land("shopify__orders")
    landing.drop(MARCH, broken)
    landing.land("shopify__orders")
    rejections = landing.ledger(MARCH)
    assert [row[0] for row in rejections] == ["rejected", "rejected"]
    assert rejections[1][4] == rejections[0][4] + " (sent again)"
    assert not (landing.root / MARCH).exists()


def test_unchanged_files_are_one_ledger_row_per_run_and_table(landing):
    for month in ("01", "02", "03"):
        landing.drop(
            f"shopify/orders_export_2026-{month}.csv", lines(SHOPIFY_HEADER, shopify_row(f"#{month}"))
        )
    landing.land("shopify__orders")
    landing.land("shopify__orders")
    landing.land("shopify__orders")
    assert (
        landing.raw("select file_path, notes from landing.file_ledger where status = 'unchanged'")
        == [("shopify/orders_export_*.csv", "3 file(s) already landed, not read again")] * 2
    )


def test_the_ledger_refuses_a_row_whose_rows_do_not_add_up(landing):
    landing.seed_shopify()
    landing.land("shopify__orders")
    assert landing.raw(
        "select count(*) from landing.file_ledger where rows_read <> rows_loaded + rows_rejected"
    ) == [(0,)]
    with pytest.raises(duckdb.ConstraintException):
        landing.conn.execute(
            "insert into landing.file_ledger "
            "select * replace (rows_read + 1 as rows_read) from landing.file_ledger"
        )


def test_a_clean_run_prints_no_summary_line(landing):
    landing.drop(MARCH, three_orders())
    landing.land("shopify__orders")
    landing.land("shopify__orders")
    assert summary(landing) == []
