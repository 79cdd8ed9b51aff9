"""Tmall flagship store: 千牛 order exports (GBK, Chinese headers, Shanghai local time, CNY).

One row per sub-order (line). Double 11 and 618 bring the year's peaks (with festival discounts in the
paid amount). Merchant codes (`TM-AP-0001`) need the alias table; `联系手机` is written in whatever format
the buyer typed, and is empty on some orders. Status vocabulary: unpaid orders close (`交易关闭`, no
payment), returned orders close with `退款成功`, delivered orders wait for the buyer's confirmation
(`卖家已发货，等待买家确认`) until `交易成功`. An order shipped in two parts: `发货时间` is the first
shipment, each sub-order names the parcel that carried it (`物流公司`, `物流单号`; empty while it waits
for its backorder), the buyer confirms receipt after the last parcel, and a sub-order that was never
shipped and refunded instead closes on its own (`交易关闭` with `退款成功`, Tmall's per-sub-order status)
while the rest of the order completes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import backorders
from .channel import Basket, Company, channel_orders, fulfil, promise, sample_orders
from .customers import People, cn_phone, pick_buyers
from .demand import Carrier, ChannelOrders, Fulfilment, Lifecycle, money, tracking_numbers
from .output import fmt_local, fmt_money
from .window import DAY_S, month_day

BASKET = Basket(
    "tmall",
    per_year=6000,
    lines_p=(0.6, 0.25, 0.11, 0.04),
    qty_p=(0.8, 0.14, 0.04, 0.02),
    price="price_cny",
    tilt={"Apparel": 1.3},
    assortment="on_tmall",
)
SHOP = "流明织造官方旗舰店"
COLUMNS = [
    "订单编号",
    "子订单编号",
    "买家会员名",
    "收货人姓名",
    "联系手机",
    "订单状态",
    "订单创建时间",
    "订单付款时间",
    "发货时间",
    "确认收货时间",
    "商家编码",
    "宝贝标题",
    "单价",
    "购买数量",
    "实付金额",
    "退款状态",
    "物流公司",
    "物流单号",
    "店铺名称",
]
CARRIER_ZH = {
    "SF Express": "顺丰速运",
    "ZTO": "中通快递",
    "YTO": "圆通速递",
    "Yunda": "韵达快递",
    "JD Logistics": "京东物流",
}
FULFILMENT = Fulfilment(
    carriers=(
        Carrier("SF Express", 0.3, 0.6, 1),
        Carrier("ZTO", 0.3, 1.0, 1),
        Carrier("YTO", 0.2, 2.0, 2),
        Carrier("Yunda", 0.1, 1.2, 1),
        Carrier("JD Logistics", 0.1, 0.7, 1),
    ),
    warehouses=(("WH-SH", 0.55), ("WH-GZ", 0.45)),
    late_base=0.036,
    cancel_rate=0.035,
    cancel_unpaid_share=1.0,
    return_rate=0.02,
    pay_minutes=2.0,
    late_pay_share=0.03,
)


def _festival_discount(local_day: np.ndarray) -> np.ndarray:
    """Discount in the paid amount during Double 11, 618 and Double 12."""
    month, dom = month_day(local_day)
    disc = np.zeros(len(month))
    disc[(month == 11) & (dom <= 11)] = 0.2
    disc[(month == 6) & (dom <= 18)] = 0.15
    disc[(month == 12) & (dom == 12)] = 0.1
    return disc


def generate(rng: np.random.Generator, company: Company) -> tuple[ChannelOrders, dict]:
    """Simulate the Tmall store's year and write the monthly GBK exports."""
    window, people = company.window, company.people
    ordered_at, lines = sample_orders(rng, company, BASKET)
    n = len(ordered_at)
    cn, phone, consignee = _buyers(rng, people, n)
    promised = promise(window, "tmall", ordered_at)
    life, split = fulfil(rng, company, "tmall", ordered_at, promised, lines, FULFILMENT)
    snap = window.snapshot_utc
    confirm = life.delivered_at + rng.lognormal(np.log(1.5 * DAY_S), 0.9, n).clip(600, 7 * DAY_S).astype(
        "timedelta64[s]"
    )
    confirm = np.where(~np.isnat(life.returned_at) | (confirm >= snap), np.datetime64("NaT", "s"), confirm)
    order_no = _order_numbers(rng, n)
    o = lines["order"].to_numpy()
    cut_short = split.closed_by(snap)[o] & (split.short_qty > 0)
    refund = np.where(~np.isnat(life.returned_at)[o] | cut_short, "退款成功", "没有申请退款")
    line_status = np.where(cut_short, "交易关闭", _order_status(life, confirm)[o])
    local_day = (ordered_at + np.timedelta64(8, "h")).astype("datetime64[D]")
    disc = _festival_discount(local_day)[o]
    paid_amount = money(lines["qty"].to_numpy() * lines["unit_price"].to_numpy() * (1 - disc))
    tracking = tracking_numbers(rng, life.carrier)
    line_carrier, line_tracking = _parcels(life, split, tracking, snap)
    sku = lines["sku"].to_numpy()
    line_no = lines["line_no"].to_numpy()
    p = company.catalog.products
    title = ("流明织造 " + p["name_zh"]).to_numpy()

    def rows(take: np.ndarray) -> pd.DataFrame:
        """Sub-orders `take`, formatted (one file's worth at a time)."""
        ot, st = o[take], sku[take]
        return pd.DataFrame(
            {
                "订单编号": order_no[ot].astype(str),
                "子订单编号": (order_no[ot] + line_no[take]).astype(str),
                "买家会员名": cn["nick"].to_numpy()[ot],
                "收货人姓名": consignee[ot],
                "联系手机": phone[ot],
                "订单状态": line_status[take],
                "订单创建时间": fmt_local(ordered_at[ot]),
                "订单付款时间": fmt_local(life.paid_at[ot]),
                "发货时间": fmt_local(life.shipped_at[ot]),
                "确认收货时间": fmt_local(confirm[ot]),
                "商家编码": p["tmall_code"].to_numpy()[st],
                "宝贝标题": title[st],
                "单价": fmt_money(lines["unit_price"].to_numpy()[take]),
                "购买数量": lines["qty"].to_numpy()[take],
                "实付金额": fmt_money(paid_amount[take]),
                "退款状态": refund[take],
                "物流公司": line_carrier[take],
                "物流单号": line_tracking[take],
                "店铺名称": SHOP,
            }
        )[COLUMNS]

    month = local_day.astype("datetime64[M]").astype(str)[o]
    files = company.out.monthly_rows(
        "tmall",
        "ExportOrderList{}.csv",
        rows,
        np.char.replace(month, "-", ""),
        local_day[o],
        compact=True,
        encoding="gbk",
    )
    company.out.say(f"tmall: {n:,} orders, {len(lines):,} lines in {len(files)} files")

    counts = dict(orders=n, lines=len(lines), alias=len(lines), phone_empty=int((phone[o] == "").sum()))
    return channel_orders(
        "tmall",
        lines,
        life,
        split,
        order_id=order_no.astype(str),
        ordered_at=ordered_at,
        promised=window.start_day + promised.astype("timedelta64[D]"),
        tracking_no=tracking,
        contact_email="",
        contact_phone=phone,
        customer=cn["name"].to_numpy(),
    ), counts


def _buyers(rng: np.random.Generator, people: People, n: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The buyer of each order, the phone as typed (three formats, some empty) and the consignee (now and
    then someone else than the buyer)."""
    buyer = pick_buyers(rng, people.slice(0.0, 0.62), n)
    cn = people.cn.iloc[buyer].reset_index(drop=True)
    phone = cn_phone(cn["phone"], rng.choice(["plain", "dash", "intl"], n, p=[0.55, 0.25, 0.2]))
    no_phone = rng.random(n) < 0.015
    phone = np.where(no_phone, "", phone)
    consignee = np.where(
        rng.random(n) < 0.08,
        people.cn["name"].to_numpy()[rng.integers(0, len(people.cn), n)],
        cn["name"].to_numpy(),
    )
    return cn, phone, consignee


def _order_status(life: Lifecycle, confirm: np.ndarray) -> np.ndarray:
    """The order's status in Tmall's vocabulary, from unpaid to confirmed (or closed)."""
    status = np.full(len(confirm), "等待买家付款", dtype=object)
    status[~np.isnat(life.paid_at)] = "买家已付款，等待卖家发货"
    status[~np.isnat(life.shipped_at)] = "卖家已发货，等待买家确认"
    status[~np.isnat(confirm)] = "交易成功"
    closed = ~np.isnat(life.cancelled_at) | ~np.isnat(life.returned_at)
    status[closed] = "交易关闭"
    return status


def _parcels(
    life: Lifecycle, split: backorders.Split, tracking: np.ndarray, snap: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Carrier (in Chinese) and tracking number of the parcel that carried each sub-order: the first
    shipment, else its backorder once that left; empty while it waits."""
    o = split.line_order
    first = (~np.isnat(life.shipped_at))[o] & (split.first_qty > 0)
    back = (split.back_shipped < snap)[o] & (split.back_qty > 0)
    carrier_zh = np.array([CARRIER_ZH.get(c, "") for c in life.carrier], dtype=object)
    back_zh = np.array([CARRIER_ZH.get(c, "") for c in split.back_carrier], dtype=object)
    line_carrier = np.where(first, carrier_zh[o], np.where(back, back_zh[o], ""))
    line_tracking = np.where(first, tracking[o], np.where(back, split.back_tracking[o], ""))
    return line_carrier, line_tracking


def _order_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct 19-digit order numbers, spaced so `order + line_no` gives distinct sub-order numbers."""
    nums = np.unique(rng.integers(2 * 10**17, 5 * 10**17, int(n * 1.2) + 10)) * 10
    nums = rng.permutation(nums)[:n]
    return np.sort(nums).astype(np.int64)
