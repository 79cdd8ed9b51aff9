"""Tmall / Taobao: the seller order export, GBK, Chinese headers, Beijing time (``docs/data_sources.md``)."""

from __future__ import annotations

import pandas as pd

from landing.sources.declaration import (
    AMOUNT,
    BOTH,
    CHANNEL_STATUSES,
    LANDING,
    QUALITY,
    QUANTITY,
    Column,
    Derived,
    SourceSystem,
    SourceTable,
    Timestamp,
)
from landing.sources.time_formats import SHANGHAI_TIME

TIME = Timestamp(SHANGHAI_TIME)


def status_with_refund(frame: pd.DataFrame) -> pd.Series:
    """`订单状态`, with `/退款成功` appended after a refund, as staging builds the channel status."""
    refunded = frame["退款状态"].eq("退款成功").fillna(False).astype(bool)
    return frame["订单状态"].where(~refunded, frame["订单状态"] + "/退款成功")


STATUS_WITH_REFUND_SQL = (
    "case when {退款状态} = '退款成功' then {订单状态} || '/退款成功' else {订单状态} end"
)


ORDERS = SourceTable(
    "tmall",
    "orders",
    "ExportOrderList*.csv",
    "Tmall/Taobao seller order export (GBK, Chinese headers, Beijing time).",
    expected_every_hours=24,
    encoding="gb18030",
    key=("子订单编号",),
    order_id="订单编号",
    columns=(
        Column("订单编号", required=BOTH, filled=BOTH),
        Column("子订单编号", required=BOTH, filled=BOTH),
        Column("买家会员名"),
        Column("收货人姓名"),
        Column("联系手机"),
        Column("订单状态", required=BOTH, filled=QUALITY),
        Column("订单创建时间", TIME, required=BOTH, filled=BOTH),
        Column("订单付款时间", TIME, required=QUALITY),
        Column("发货时间", TIME, required=QUALITY),
        Column("确认收货时间", TIME, required=QUALITY),
        Column("商家编码", required=BOTH),
        Column("宝贝标题"),
        Column("单价", AMOUNT, required=QUALITY),
        Column("购买数量", QUANTITY, required=BOTH, filled=LANDING),
        Column("实付金额", AMOUNT, required=QUALITY),
        Column("退款状态", required=QUALITY, values={"没有申请退款", "退款成功"}),
        Column("物流公司"),
        Column("物流单号"),
        Column("店铺名称"),
    ),
    derived=(Derived("订单状态/退款状态", status_with_refund, CHANNEL_STATUSES, STATUS_WITH_REFUND_SQL),),
)

SYSTEM = SourceSystem(
    "tmall",
    "Tmall/Taobao seller order exports (GBK, Chinese headers), landed unchanged as UTF-8 text.",
    (ORDERS,),
)
