"""Landing keeps every row and column of real export formats, with lineage, and names bad files."""

from __future__ import annotations

import os

import duckdb
import pytest

from landing.load import LandingError, load_table
from landing.sources import SOURCE_TABLES, SourceTable

TMALL = next(t for t in SOURCE_TABLES if t.raw_table == "tmall__orders")
AMAZON = next(t for t in SOURCE_TABLES if t.raw_table == "amazon__all_orders")
SOCIAL = next(t for t in SOURCE_TABLES if t.raw_table == "social__events")


@pytest.fixture()
def conn():
    with duckdb.connect() as connection:
        yield connection


def test_gbk_export_with_chinese_headers_lands_as_text(tmp_path, conn):
    (tmp_path / "tmall").mkdir()
    text = (
        "订单编号,子订单编号,订单状态,订单创建时间,商家编码,购买数量,实付金额\n"
        '2000000000000000001,2000000000000000011,"买家已付款，等待卖家发货",'
        "2026-03-01 12:00:00,TM-1,1,199.00\n"
        "2000000000000000002,2000000000000000021,交易成功,2026-03-01 13:00:00,TM-2,1,\n"
    )
    (tmp_path / "tmall" / "ExportOrderList202603.csv").write_bytes(text.encode("gbk"))
    load = load_table(conn, tmp_path, TMALL)
    assert load.rows == 2 and load.files == 1
    rows = conn.execute(
        'select "订单编号", "订单状态", "实付金额", _source_file, _record_number '
        "from raw.tmall__orders order by 5"
    ).fetchall()
    assert rows == [
        ("2000000000000000001", "买家已付款，等待卖家发货", "199.00", "tmall/ExportOrderList202603.csv", 1),
        ("2000000000000000002", "交易成功", None, "tmall/ExportOrderList202603.csv", 2),
    ]
    (sha,) = conn.execute("select distinct _file_sha256 from raw.tmall__orders").fetchone()
    assert len(sha) == 64


def test_tab_separated_report_keeps_quotes_and_every_file(tmp_path, conn):
    (tmp_path / "amazon").mkdir()
    header = "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\tproduct-name\tquantity\n"
    fields = "2026-03-01T10:00:00+00:00\t2026-03-01T10:00:00+00:00\tShipped\tAMZ-1"
    (tmp_path / "amazon" / "All-Orders-Report_a.txt").write_text(
        header + f'111-1\t{fields}\tThe "Best" Tee\t2\n'
    )
    (tmp_path / "amazon" / "All-Orders-Report_b.txt").write_text(
        header + f"111-1\t{fields}\tThe Tee\t2\n111-2\t{fields}\tCable\t1\n"
    )
    load = load_table(conn, tmp_path, AMAZON)
    assert load.rows_by_file == {"amazon/All-Orders-Report_a.txt": 1, "amazon/All-Orders-Report_b.txt": 2}
    names = conn.execute(
        'select "product-name" from raw.amazon__all_orders order by _source_file, _record_number'
    )
    assert [n for (n,) in names.fetchall()] == ['The "Best" Tee', "The Tee", "Cable"]


def test_json_lines_keep_the_whole_record(tmp_path, conn):
    (tmp_path / "social").mkdir()
    event = '"thread_id": "WX-1", "event_type": "quote", "event_time": "2026-03-01T12:00:00+08:00"'
    (tmp_path / "social" / "events_2026-03.jsonl").write_text(
        f'{{"event_id": "EV-1", {event}, "items": [{{"sku": "A", "qty": 2}}], "new_key": "kept"}}\n'
        f'{{"event_id": "EV-2", {event}, "items": null}}\n'
    )
    load_table(conn, tmp_path, SOCIAL)
    rows = conn.execute(
        "select json_extract_string(record, '$.new_key'), json_extract_string(record, '$.items[0].sku') "
        "from raw.social__events order by _record_number"
    ).fetchall()
    assert rows == [("kept", "A"), (None, None)]


def test_reloading_replaces_instead_of_appending(tmp_path, conn):
    (tmp_path / "amazon").mkdir()
    (tmp_path / "amazon" / "All-Orders-Report_a.txt").write_text(
        "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\tquantity\n"
        "111-1\t2026-03-01T10:00:00+00:00\t2026-03-01T10:00:00+00:00\tShipped\tAMZ-1\t1\n"
    )
    load_table(conn, tmp_path, AMAZON)
    load_table(conn, tmp_path, AMAZON)
    assert conn.execute("select count(*) from raw.amazon__all_orders").fetchone() == (1,)


def test_a_file_in_no_known_encoding_is_rejected_naming_it(tmp_path, conn):
    (tmp_path / "tmall").mkdir()
    (tmp_path / "tmall" / "ExportOrderList202603.csv").write_bytes(b"\x81\x30\xff\xfe broken")
    with pytest.raises(LandingError, match="raw.tmall__orders has no rows: every file was rejected"):
        load_table(conn, tmp_path, TMALL)
    ((status, error),) = conn.execute("select status, error_text from landing.file_ledger").fetchall()
    assert status == "rejected"
    assert error.startswith("tmall/ExportOrderList202603.csv: not text: neither UTF-8 nor GB18030")


def test_a_missing_source_says_where_it_looked(tmp_path, conn):
    spec = SourceTable("erp", "products", "products.csv", "")
    with pytest.raises(LandingError, match=r"no files for erp__products: expected .*erp/products.csv"):
        load_table(conn, tmp_path, spec)


def test_files_land_in_arrival_order_so_a_later_correction_lands_last(tmp_path, conn):
    (tmp_path / "amazon").mkdir()
    header = "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\tproduct-name\tquantity\n"
    fields = "2026-03-01T10:00:00+00:00\t2026-03-01T10:00:00+00:00\tShipped\tAMZ-1\tTee\t1"
    original = tmp_path / "amazon" / "All-Orders-Report_z.txt"
    correction = tmp_path / "amazon" / "All-Orders-Report_a-corrected.txt"
    original.write_text(header + f"111-1\t{fields}\n")
    correction.write_text(header + f"111-1\t{fields}\n111-2\t{fields}\n")
    os.utime(original, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    os.utime(correction, ns=(1_700_000_100_000_000_000, 1_700_000_100_000_000_000))
    load_table(conn, tmp_path, AMAZON)
    order = conn.execute(
        "select _source_file from raw.amazon__all_orders group by _source_file order by max(_loaded_at)"
    ).fetchall()
    assert [f for (f,) in order] == [
        "amazon/All-Orders-Report_z.txt",
        "amazon/All-Orders-Report_a-corrected.txt",
    ]
