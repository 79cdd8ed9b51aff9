"""A corpus of broken and awkward export files: what lands, what is quarantined, what is rejected.

Every file is built here, small, in tmp_path. Each test asserts the file's ledger row and the exact
quarantined rows (physical line numbers, header = line 1).
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from landing.load import LandingError, load_table
from landing.sources import SOURCE_TABLES

SPECS = {t.raw_table: t for t in SOURCE_TABLES}
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku"
)
AMAZON_HEADER = "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\tquantity\titem-price"


def shopify_row(
    name="#1001", status="paid", created="2026-03-01 10:23:45 -0500", qty="1", price="29.90", sku="LL-AP-0001"
):
    return f"{name},a@example.com,{status},{created},{qty},Linen Shirt,{price},{sku}"


def amazon_row(order="111-1", qty="1", price="10.00", purchase="2026-03-01T15:23:45+00:00"):
    return f"{order}\t{purchase}\t{purchase}\tShipped\tAMZ-EL0001\t{qty}\t{price}"


class Landing:
    """A landing folder and a warehouse; ``drop`` writes a file, ``land`` loads its table."""

    def __init__(self, root):
        self.root = root
        self.conn = duckdb.connect()

    def drop(self, relative: str, content: str | bytes, encoding: str = "utf-8"):
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def seed_shopify(self):
        """An earlier good export, so the raw table exists and a rejected file is not the only one."""
        self.drop("shopify/orders_export_2026-01.csv", lines(SHOPIFY_HEADER, shopify_row("#1000")))

    def land(self, raw_table: str):
        return load_table(self.conn, self.root, SPECS[raw_table], run_id="test", now=NOW)

    def ledger(self, file_path: str) -> list[tuple]:
        return self.conn.execute(
            "select status, rows_read, rows_loaded, rows_rejected, error_text, notes, overlapping_orders "
            "from landing.file_ledger where file_path = ? order by landed_at, status",
            [file_path],
        ).fetchall()

    def quarantine(self, file_path: str) -> list[tuple]:
        return self.conn.execute(
            "select line_number, raw_text, reason from landing.quarantine where file_path = ? order by 1",
            [file_path],
        ).fetchall()

    def raw(self, sql: str) -> list[tuple]:
        return self.conn.execute(sql).fetchall()


@pytest.fixture()
def landing(tmp_path):
    land = Landing(tmp_path)
    yield land
    land.conn.close()


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def test_truncated_file_quarantines_the_cut_last_line(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(SHOPIFY_HEADER, shopify_row(), shopify_row("#1002")) + "#1003,c@x.com,pa",
    )
    landing.land("shopify__orders")
    ((status, read, loaded, rejected, error, _, _),) = landing.ledger("shopify/orders_export_2026-03.csv")
    assert (status, read, loaded, rejected, error) == ("loaded", 3, 2, 1, None)
    ((line, text, reason),) = landing.quarantine("shopify/orders_export_2026-03.csv")
    assert (line, text) == (4, "#1003,c@x.com,pa")
    assert "Expected Number of Columns: 8 Found: 3" in reason


def test_unterminated_quote_is_a_duckdb_reject_of_that_line(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv", lines(SHOPIFY_HEADER, shopify_row()) + '#1002,"b@x.com,paid'
    )
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 2, 1, 1)
    ((line, _, reason),) = landing.quarantine("shopify/orders_export_2026-03.csv")
    assert line == 3 and "unterminated quote" in reason


def test_wrong_delimiter_rejects_the_file_and_moves_it_aside(landing):
    landing.seed_shopify()
    path = landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(SHOPIFY_HEADER.replace(",", ";"), shopify_row().replace(",", ";")),
    )
    load = landing.land("shopify__orders")
    ((status, read, loaded, rejected, error, _, _),) = landing.ledger("shopify/orders_export_2026-03.csv")
    assert (status, read, loaded, rejected) == ("rejected", 0, 0, 0)
    assert error.startswith(
        "shopify/orders_export_2026-03.csv: missing required columns 'Name', 'Created at'"
    )
    assert "wrong delimiter?" in error
    assert not path.exists()
    moved = landing.root / "shopify" / "_rejected" / "orders_export_2026-03.csv"
    assert moved.exists()
    assert (moved.parent / "orders_export_2026-03.csv.reason.txt").read_text().strip() == error
    assert [e.error_text for e in load.rejected] == [error]


def test_gbk_without_declaration_is_detected(landing):
    text = lines(
        "订单编号,子订单编号,订单状态,订单创建时间,商家编码,购买数量,实付金额",
        "2000000000000000001,2000000000000000011,交易成功,2026-03-01 12:34:56,TM-AP-0001,1,199.00",
    )
    landing.drop("tmall/ExportOrderList202603.csv", text, encoding="gbk")
    landing.land("tmall__orders")
    assert landing.ledger("tmall/ExportOrderList202603.csv")[0][:4] == ("loaded", 1, 1, 0)
    assert landing.raw('select "订单编号", "订单状态" from raw.tmall__orders') == [
        ("2000000000000000001", "交易成功")
    ]


def test_utf8_bom_is_stripped_from_the_first_header(landing):
    landing.drop("shopify/orders_export_2026-03.csv", "\ufeff" + lines(SHOPIFY_HEADER, shopify_row()))
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 1, 1, 0)
    assert landing.raw('select "Name" from raw.shopify__orders') == [("#1001",)]


def test_quoted_newlines_keep_physical_line_numbers(landing):
    multi = shopify_row("#1001").replace("Linen Shirt", '"Linen\nShirt"')
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(SHOPIFY_HEADER, multi, shopify_row("#1002", qty="abc"), shopify_row("#1003")),
    )
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 3, 2, 1)
    assert landing.quarantine("shopify/orders_export_2026-03.csv") == [
        (4, shopify_row("#1002", qty="abc"), "column 'Lineitem quantity': 'abc' is not a whole number")
    ]
    assert landing.raw('select "Lineitem name", _record_number from raw.shopify__orders order by 2') == [
        ("Linen\nShirt", 1),
        ("Linen Shirt", 3),
    ]


def test_duplicate_header_rejects_the_file(landing):
    landing.seed_shopify()
    landing.drop("shopify/orders_export_2026-03.csv", lines(SHOPIFY_HEADER + ",Name", shopify_row() + ",#9"))
    landing.land("shopify__orders")
    ((status, _, _, _, error, _, _),) = landing.ledger("shopify/orders_export_2026-03.csv")
    assert status == "rejected" and error.endswith("column 'Name' appears twice in the header")


def test_missing_required_column_rejects_the_file_naming_it(landing):
    landing.seed_shopify()
    header = SHOPIFY_HEADER.replace(",Lineitem sku", "")
    row = shopify_row().rsplit(",", 1)[0]
    landing.drop("shopify/orders_export_2026-03.csv", lines(header, row))
    landing.land("shopify__orders")
    ((status, _, _, _, error, _, _),) = landing.ledger("shopify/orders_export_2026-03.csv")
    assert (status, error) == (
        "rejected",
        "shopify/orders_export_2026-03.csv: missing required column 'Lineitem sku'",
    )


def test_extra_column_is_kept_and_reported(landing):
    landing.drop("shopify/orders_export_2026-03.csv", lines(SHOPIFY_HEADER, shopify_row()))
    landing.land("shopify__orders")
    landing.drop(
        "shopify/orders_export_2026-04.csv",
        lines(SHOPIFY_HEADER + ",Gift Note", shopify_row("#1002") + ",Happy birthday"),
    )
    landing.land("shopify__orders")
    ((status, read, loaded, rejected, _, notes, _),) = landing.ledger("shopify/orders_export_2026-04.csv")
    assert (status, read, loaded, rejected, notes) == ("loaded", 1, 1, 0, "extra column 'Gift Note' kept")
    assert landing.raw('select "Name", "Gift Note" from raw.shopify__orders order by 1') == [
        ("#1001", None),
        ("#1002", "Happy birthday"),
    ]


def test_negative_quantity_is_quarantined_except_for_pos_returns(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(SHOPIFY_HEADER, shopify_row(qty="-1"), shopify_row("#1002")),
    )
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 2, 1, 1)
    assert landing.quarantine("shopify/orders_export_2026-03.csv") == [
        (2, shopify_row(qty="-1"), "column 'Lineitem quantity': '-1' is below 0")
    ]
    landing.drop(
        "stores/pos_receipts_2026-03.csv",
        lines(
            "receipt_no,store_code,sold_at,barcode,qty,line_total",
            "R-2,SH01,2026-03-02 10:00:00,6927181000190,-1,-299.00",
        ),
    )
    landing.land("stores__pos_receipts")
    assert landing.ledger("stores/pos_receipts_2026-03.csv")[0][:4] == ("loaded", 1, 1, 0)


def test_non_numeric_amount_is_quarantined_but_known_gaps_land(landing):
    landing.drop(
        "amazon/All-Orders-Report_a.txt",
        lines(
            AMAZON_HEADER,
            amazon_row("111-1", price="abc"),
            amazon_row("111-2", price=""),
            amazon_row("111-3"),
        ),
    )
    landing.land("amazon__all_orders")
    assert landing.ledger("amazon/All-Orders-Report_a.txt")[0][:4] == ("loaded", 3, 2, 1)
    assert landing.quarantine("amazon/All-Orders-Report_a.txt") == [
        (2, amazon_row("111-1", price="abc"), "column 'item-price': 'abc' is not a number")
    ]
    # Shopify's `N/A` line price is a known defect staging handles: it lands.
    landing.drop("shopify/orders_export_2026-03.csv", lines(SHOPIFY_HEADER, shopify_row(price="N/A")))
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 1, 1, 0)


def test_unparseable_and_future_dates_are_quarantined(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(
            SHOPIFY_HEADER,
            shopify_row("#1001", created="yesterday"),
            shopify_row("#1002", created="2027-01-01 10:00:00 -0500"),
            shopify_row("#1003", created="2026-11-26 06:00:00 -0500"),
        ),
    )
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 3, 1, 2)
    assert [
        (line, reason) for line, _, reason in landing.quarantine("shopify/orders_export_2026-03.csv")
    ] == [
        (2, "column 'Created at': 'yesterday' does not parse as %Y-%m-%d %H:%M:%S %z"),
        (3, "column 'Created at': '2027-01-01 10:00:00 -0500' is in the future"),
    ]


def test_unknown_sku_and_unknown_status_land_for_dbt_to_name(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(
            SHOPIFY_HEADER, shopify_row("#1001", sku="NOPE-404"), shopify_row("#1002", status="teleported")
        ),
    )
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv")[0][:4] == ("loaded", 2, 2, 0)
    assert landing.quarantine("shopify/orders_export_2026-03.csv") == []


def test_empty_and_binary_files_are_rejected(landing):
    landing.drop("shopify/orders_export_2026-03.csv", b"")
    landing.drop("shopify/orders_export_2026-04.csv", b"PK\x03\x04\x00\x00binary")
    landing.drop("shopify/orders_export_2026-05.csv", lines(SHOPIFY_HEADER, shopify_row()))
    landing.land("shopify__orders")
    assert landing.ledger("shopify/orders_export_2026-03.csv") == [
        ("rejected", 0, 0, 0, "shopify/orders_export_2026-03.csv: empty file", None, None)
    ]
    assert landing.ledger("shopify/orders_export_2026-04.csv")[0][4].endswith(
        "binary file (NUL byte), not text"
    )
    assert landing.ledger("shopify/orders_export_2026-05.csv")[0][:4] == ("loaded", 1, 1, 0)
    assert sorted(p.name for p in (landing.root / "shopify" / "_rejected").iterdir()) == [
        "orders_export_2026-03.csv",
        "orders_export_2026-03.csv.reason.txt",
        "orders_export_2026-04.csv",
        "orders_export_2026-04.csv.reason.txt",
    ]


def test_the_same_file_twice_is_unchanged_the_second_time(landing):
    landing.drop(
        "shopify/orders_export_2026-03.csv",
        lines(SHOPIFY_HEADER, shopify_row(), shopify_row("#1002", qty="x")),
    )
    landing.land("shopify__orders")
    before = landing.raw("select * exclude (_loaded_at) from raw.shopify__orders order by _record_number")
    landing.land("shopify__orders")
    assert [row[:4] for row in landing.ledger("shopify/orders_export_2026-03.csv")] == [("loaded", 2, 1, 1)]
    # unchanged files are one ledger row per run and table, not one per file
    assert landing.ledger("shopify/orders_export_*.csv") == [
        ("unchanged", 0, 0, 0, None, "1 file(s) already landed, not read again", None)
    ]
    assert (
        landing.raw("select * exclude (_loaded_at) from raw.shopify__orders order by _record_number")
        == before
    )
    assert len(landing.quarantine("shopify/orders_export_2026-03.csv")) == 1


def test_overlapping_re_export_counts_the_orders_already_landed(landing):
    landing.drop(
        "amazon/All-Orders-Report_a.txt", lines(AMAZON_HEADER, amazon_row("111-1"), amazon_row("111-2"))
    )
    landing.drop(
        "amazon/All-Orders-Report_b.txt", lines(AMAZON_HEADER, amazon_row("111-2"), amazon_row("111-3"))
    )
    landing.land("amazon__all_orders")
    assert landing.ledger("amazon/All-Orders-Report_a.txt")[0][6] == 0
    assert landing.ledger("amazon/All-Orders-Report_b.txt")[0][6] == 1


def test_corrected_re_export_of_the_same_path_replaces_its_rows(landing):
    path = "amazon/All-Orders-Report_a.txt"
    landing.drop(path, lines(AMAZON_HEADER, amazon_row("111-1", qty="two"), amazon_row("111-2")))
    landing.land("amazon__all_orders")
    landing.drop(
        path, lines(AMAZON_HEADER, amazon_row("111-1", qty="2"), amazon_row("111-2"), amazon_row("111-3"))
    )
    landing.land("amazon__all_orders")
    assert [row[:4] for row in landing.ledger(path)] == [("loaded", 2, 1, 1), ("replaced", 3, 3, 0)]
    assert landing.raw('select "amazon-order-id", quantity from raw.amazon__all_orders order by 1') == [
        ("111-1", "2"),
        ("111-2", "1"),
        ("111-3", "1"),
    ]
    assert landing.quarantine(path) == []


def test_a_vanished_file_keeps_its_rows(landing):
    path = landing.drop("amazon/All-Orders-Report_a.txt", lines(AMAZON_HEADER, amazon_row("111-1")))
    landing.land("amazon__all_orders")
    path.unlink()
    landing.land("amazon__all_orders")
    assert landing.raw('select "amazon-order-id" from raw.amazon__all_orders') == [("111-1",)]


def test_json_lines_that_are_not_json_are_quarantined_with_their_line(landing):
    good = (
        '{"event_id": "EV-1", "thread_id": "WX-1", "event_type": "inquiry", '
        '"event_time": "2026-03-01T12:00:00+08:00"}'
    )
    landing.drop(
        "social/events_2026-03.jsonl", lines(good, '{"event_id": "EV-2", "thread_id": ', "", "[1, 2]")
    )
    landing.land("social__events")
    assert landing.ledger("social/events_2026-03.jsonl")[0][:4] == ("loaded", 3, 1, 2)
    quarantined = landing.quarantine("social/events_2026-03.jsonl")
    assert [(line, reason.split(":")[0]) for line, _, reason in quarantined] == [
        (2, "not valid JSON"),
        (4, "not a JSON object"),
    ]
    assert landing.raw("select json_extract_string(record, '$.event_time') from raw.social__events") == [
        ("2026-03-01T12:00:00+08:00",)
    ]


def test_a_first_delivery_with_every_file_rejected_is_a_clear_error(landing):
    landing.drop("erp/products.csv", b"")
    with pytest.raises(LandingError, match=r"raw.erp__products has no rows: every file was rejected"):
        landing.land("erp__products")
    assert landing.ledger("erp/products.csv")[0][:2] == ("rejected", 0)
