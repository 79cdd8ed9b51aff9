"""Stock feeds: each channel's allocation written in the channel's own import format.

One file per channel and run under ``$OMNIOPS_HOME/outbox/<channel>/``, named after the day of the
stock it offers; the formats and their sources are in docs/data_sources.md ("Stock feeds"). A feed
lists every SKU the channel sells under each of its channel SKUs (from the ERP's SKU aliases, the
internal SKU when there is none): the quantity goes on the first channel SKU (sorted) and the others
get 0, so a product listed twice is never offered twice.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class FeedFormat:
    channel: str
    file_name: str  # with {day} = YYYY-MM-DD
    header: tuple[str, ...]
    delimiter: str
    encoding: str
    source: str  # where the format is documented

    def row(self, r) -> list:
        """One line of the file for ``r`` (sku, channel_sku, product_name, warehouse_id, qty)."""
        return [_FIELDS[self.channel][col](r) for col in self.header]


def _blank(_r) -> str:
    return ""


_FIELDS = {
    "shopify": {
        "Handle": lambda r: r.channel_sku.lower(),
        "Title": lambda r: r.product_name,
        "Option1 Name": lambda r: "Title",
        "Option1 Value": lambda r: "Default Title",
        "Option2 Name": _blank,
        "Option2 Value": _blank,
        "Option3 Name": _blank,
        "Option3 Value": _blank,
        "SKU": lambda r: r.channel_sku,
        "HS Code": _blank,
        "COO": _blank,
        "Location": lambda r: "OmniOps allocation",
        "Available": lambda r: int(r.qty),
    },
    "amazon": {
        "sku": lambda r: r.channel_sku,
        "price": _blank,
        "minimum-seller-allowed-price": _blank,
        "maximum-seller-allowed-price": _blank,
        "quantity": lambda r: int(r.qty),
        "handling-time": _blank,
        "fulfillment-channel": _blank,
    },
    "tmall": {
        "商家编码": lambda r: r.channel_sku,
        "宝贝标题": lambda r: r.product_name,
        "可售库存": lambda r: int(r.qty),
    },
    "social": {
        "sku": lambda r: r.channel_sku,
        "product_name": lambda r: r.product_name,
        "available_qty": lambda r: int(r.qty),
    },
    "stores": {
        "sku": lambda r: r.channel_sku,
        "product_name": lambda r: r.product_name,
        "available_qty": lambda r: int(r.qty),
    },
}

FORMATS = {
    f.channel: f
    for f in (
        FeedFormat(
            "shopify",
            "inventory_{day}.csv",
            tuple(_FIELDS["shopify"]),
            ",",
            "utf-8",
            "Shopify Help Center, 'Exporting or importing inventory with a CSV file' (Products > "
            "Inventory > Import; the 'Only Available quantities' layout)",
        ),
        FeedFormat(
            "amazon",
            "price_quantity_{day}.txt",
            tuple(_FIELDS["amazon"]),
            "\t",
            "utf-8",
            "Amazon Seller Central help, 'Price & Quantity file' (Inventory Loader family, "
            "tab-delimited text; price left empty = quantity only)",
        ),
        FeedFormat(
            "tmall",
            "库存批量修改_{day}.csv",
            tuple(_FIELDS["tmall"]),
            ",",
            "utf-8-sig",
            "Tmall / Taobao seller centre (千牛) batch stock update by merchant code (商家编码)",
        ),
        FeedFormat(
            "social",
            "stock_{day}.csv",
            tuple(_FIELDS["social"]),
            ",",
            "utf-8",
            "OmniOps social-commerce stock list (the WeChat / Douyin / Xiaohongshu shops have no "
            "common import; agents update listings from it)",
        ),
        FeedFormat(
            "stores",
            "store_stock_{day}.csv",
            tuple(_FIELDS["stores"]),
            ",",
            "utf-8",
            "OmniOps store stock list for the POS and store orders",
        ),
    )
}


def feed_rows(allocation: pd.DataFrame, aliases: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Per channel × channel SKU the quantity to offer (module docstring).

    ``allocation``: sku, channel, feed_qty; ``aliases``: channel, channel_sku, sku;
    ``products``: sku, product_name.
    """
    rows = allocation[["sku", "channel", "feed_qty"]].merge(aliases, on=["channel", "sku"], how="left")
    rows["channel_sku"] = rows["channel_sku"].fillna(rows["sku"])
    rows = rows.sort_values(["channel", "sku", "channel_sku"], ignore_index=True)
    first = ~rows.duplicated(["channel", "sku"])
    rows["qty"] = rows["feed_qty"].where(first, 0).astype(int)
    rows = rows.merge(products[["sku", "product_name"]], on="sku", how="left")
    rows["product_name"] = rows["product_name"].fillna("")
    return rows[["channel", "sku", "channel_sku", "product_name", "qty"]]


def write_feeds(rows: pd.DataFrame, outbox: Path, day: date) -> dict[str, Path]:
    """Write each channel's file (``FORMATS``) under ``outbox/<channel>/``; returns the paths.

    A file is written whole to a temporary name and renamed, so a channel's uploader never reads half.
    """
    written = {}
    for channel, fmt in FORMATS.items():
        folder = outbox / channel
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / fmt.file_name.format(day=day.isoformat())
        part = path.with_name(path.name + ".part")
        with part.open("w", newline="", encoding=fmt.encoding) as f:
            out = csv.writer(f, delimiter=fmt.delimiter, lineterminator="\n")
            out.writerow(fmt.header)
            for r in rows[rows["channel"] == channel].itertuples(index=False):
                out.writerow(fmt.row(r))
        part.replace(path)
        written[channel] = path
    return written


def read_feed(path: Path, channel: str) -> pd.DataFrame:
    """A written feed back as text columns (what a channel's importer would read)."""
    fmt = FORMATS[channel]
    return pd.read_csv(path, sep=fmt.delimiter, encoding=fmt.encoding, dtype=str, keep_default_na=False)
