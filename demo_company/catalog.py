"""Lumen & Loom's product catalogue: 200 SKUs, their channel codes, prices, costs, routes and BOMs.

The catalogue does not depend on `scale`: the same SKUs exist at every size of the demo company. Each SKU
is a variant (size / colour) of a style; styles carry the Chinese title, the seasonality and whether the
plant makes them (`Manufacture`) or they are bought in (`Buy`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .window import rng_for

N_APPAREL = 130
N_ELECTRONICS = 70

# Season profiles: relative demand by calendar month (Jan..Dec).
SEASONS: dict[str, tuple[float, ...]] = {
    "all": (1.0,) * 12,
    "summer": (0.5, 0.55, 0.75, 1.0, 1.3, 1.55, 1.6, 1.45, 1.1, 0.8, 0.6, 0.55),
    "winter": (1.5, 1.2, 0.85, 0.55, 0.4, 0.35, 0.35, 0.45, 0.75, 1.2, 1.6, 1.75),
    "transit": (0.8, 0.9, 1.25, 1.3, 1.05, 0.8, 0.7, 0.8, 1.2, 1.35, 1.1, 0.85),
    "gift": (0.9, 0.95, 0.9, 0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 1.05, 1.3, 1.45),
}

# One style per line: name|Chinese title|category|old-code prefix|base price (CNY)|sizes ("-" for one
# size)|colours|season profile|made in the plant or bought|base popularity.
_APPAREL = """
Linen Shirt|亚麻衬衫|Apparel / Shirts|LSH|299|S M L XL|White, Sky Blue, Olive|summer|make|1.6
Oxford Shirt|牛津纺衬衫|Apparel / Shirts|OXS|259|S M L XL|White, Blue|all|make|1.5
Organic Cotton Tee|有机棉T恤|Apparel / T-Shirts|OCT|99|S M L XL|White, Black, Grey|summer|make|2.6
Chino Trousers|斜纹休闲裤|Apparel / Trousers|CHN|329|30 32 34 36|Khaki, Navy|all|make|1.3
Hoodie|连帽卫衣|Apparel / Sweatshirts|HOD|259|S M L XL|Grey, Black, Navy|winter|buy|1.5
Polo Shirt|Polo衫|Apparel / Shirts|PLO|229|S M L XL|White, Navy, Green|summer|buy|1.0
Flannel Shirt|法兰绒衬衫|Apparel / Shirts|FLN|279|S M L XL|Red Check, Green Check|winter|buy|0.8
Pocket Tee|口袋T恤|Apparel / T-Shirts|PKT|119|M L|Navy, Olive|summer|buy|1.0
Merino Crew Sweater|美利奴圆领毛衣|Apparel / Knitwear|MER|599|M L XL|Charcoal, Oatmeal|winter|buy|0.9
Denim Jeans|牛仔裤|Apparel / Trousers|DNM|399|30 32 34|Indigo|all|buy|1.2
Down Jacket|羽绒服|Apparel / Outerwear|DWN|899|M L XL|Black, Navy|winter|buy|0.9
Rain Jacket|防风雨夹克|Apparel / Outerwear|RNJ|599|M L XL|Olive, Yellow|transit|buy|0.6
Fleece Jacket|抓绒外套|Apparel / Outerwear|FLC|399|M L XL|Grey, Navy|winter|buy|0.7
Wrap Dress|裹身连衣裙|Apparel / Dresses|WRD|459|S M L|Floral, Black|summer|buy|0.8
Pleated Skirt|百褶半身裙|Apparel / Skirts|PLS|329|S M L|Black, Beige|transit|buy|0.5
Linen Shorts|亚麻短裤|Apparel / Shorts|LNS|199|S M L|Sand, Navy|summer|buy|0.8
Cashmere Scarf|羊绒围巾|Apparel / Accessories|CSC|399|-|Camel, Grey|winter|buy|0.6
Wool Beanie|羊毛针织帽|Apparel / Accessories|BNE|129|-|Grey, Black|winter|buy|0.6
Canvas Tote|帆布托特包|Apparel / Accessories|TOT|149|-|Natural, Black|all|buy|0.7
Running Socks 3-Pack|运动袜三双装|Apparel / Accessories|SOK|79|M L|White, Black|all|buy|1.2
"""
_ELECTRONICS = """
Wireless Earbuds|无线蓝牙耳机|Electronics / Audio|EBD|399|-|Black, White, Sage, Blue|gift|make|2.2
Portable Speaker|便携蓝牙音箱|Electronics / Audio|SPK|299|-|Black, Blue, Red, Green|gift|make|1.2
Power Bank 10000mAh|充电宝10000mAh|Electronics / Charging|PB1|159|-|Black, White, Blue|all|make|2.0
Power Bank 20000mAh|充电宝20000mAh|Electronics / Charging|PB2|229|-|Black, White, Grey|all|make|1.4
GaN Charger 65W|氮化镓充电器65W|Electronics / Charging|GAN|199|-|White, Black|all|make|1.6
USB-C Cable|USB-C数据线|Electronics / Charging|CBL|49|1m 2m|White, Black|all|make|2.4
Noise-Cancelling Headphones|降噪头戴耳机|Electronics / Audio|NCH|999|-|Black, Silver|gift|buy|0.8
Sport Earphones|运动耳机|Electronics / Audio|SPE|199|-|Black, Orange, Blue|all|buy|0.7
Wireless Charging Pad|无线充电板|Electronics / Charging|WCP|149|-|Black, White, Grey|all|buy|0.8
Smart Watch|智能手表|Electronics / Wearables|SWT|1299|41mm 45mm|Black, Silver, Rose|gift|buy|0.7
Fitness Band|运动手环|Electronics / Wearables|FTB|299|-|Black, Blue, Pink, Green|transit|buy|0.9
Heated Vest|发热背心|Electronics / Wearables|HVS|699|M L XL|Black|winter|buy|0.5
LED Desk Lamp|LED护眼台灯|Electronics / Lighting|LMP|259|-|White, Black, Grey|all|buy|0.7
Smart Bulb|智能灯泡|Electronics / Lighting|BLB|89|E27 E14|Warm White, RGB|all|buy|0.6
Night Light|感应小夜灯|Electronics / Lighting|NLT|69|-|White, Warm|all|buy|0.5
Mini Fan|便携小风扇|Electronics / Home|FAN|99|-|White, Pink, Green, Blue|summer|buy|0.8
Electric Toothbrush|声波电动牙刷|Electronics / Personal Care|TBR|299|-|White, Black|all|buy|0.8
Ionic Hair Dryer|负离子吹风机|Electronics / Personal Care|HDR|399|-|White, Pink|gift|buy|0.6
Bluetooth Tracker|蓝牙防丢器|Electronics / Accessories|TRK|129|1-Pack 4-Pack|White|gift|buy|0.5
Bluetooth Keyboard|蓝牙键盘|Electronics / Computer|KBD|349|-|Grey, White, Pink|all|buy|0.5
Wireless Mouse|无线鼠标|Electronics / Computer|MSE|149|-|Black, White, Grey|all|buy|0.6
USB-C Hub|USB-C扩展坞|Electronics / Computer|HUB|259|-|Grey, Silver|all|buy|0.4
HD Webcam|高清摄像头|Electronics / Computer|CAM|399|-|Black, White|all|buy|0.3
"""


def _styles(text: str) -> list[tuple]:
    rows = []
    for line in text.strip().splitlines():
        name, zh, category, code, price, sizes, colors, season, route, pop = (
            x.strip() for x in line.split("|")
        )
        rows.append(
            (
                name,
                zh,
                category,
                code,
                int(price),
                "" if sizes == "-" else sizes,
                colors.split(", "),
                season,
                route == "make",
                float(pop),
            )
        )
    return rows


_COLOR_ZH = {
    "White": "白色",
    "Sky Blue": "天蓝",
    "Blue": "蓝色",
    "Black": "黑色",
    "Grey": "灰色",
    "Khaki": "卡其",
    "Navy": "藏青",
    "Green": "绿色",
    "Red Check": "红格",
    "Green Check": "绿格",
    "Olive": "橄榄绿",
    "Charcoal": "炭灰",
    "Oatmeal": "燕麦色",
    "Indigo": "靛蓝",
    "Yellow": "黄色",
    "Floral": "碎花",
    "Beige": "米色",
    "Sand": "沙色",
    "Camel": "驼色",
    "Natural": "本色",
    "Sage": "鼠尾草绿",
    "Silver": "银色",
    "Rose": "玫瑰金",
    "Red": "红色",
    "Pink": "粉色",
    "Orange": "橙色",
    "Warm White": "暖白",
    "RGB": "彩光",
    "Warm": "暖光",
}


@dataclass(frozen=True)
class Catalog:
    products: pd.DataFrame  # one row per SKU, index 0..199 = the "sku index" used everywhere
    bom: pd.DataFrame

    @property
    def n(self) -> int:
        return len(self.products)

    def season_factor(self, month_numbers: np.ndarray) -> np.ndarray:
        """Demand factor per (row = month number 1..12 given, column = SKU)."""
        table = np.array([SEASONS[s] for s in self.products["season"]]).T  # 12 x n
        return table[np.asarray(month_numbers) - 1]


def _ean13(body12: list[str]) -> list[str]:
    out = []
    for b in body12:
        digits = [int(c) for c in b]
        total = sum(digits[0::2]) + 3 * sum(digits[1::2])
        out.append(b + str((10 - total % 10) % 10))
    return out


def _variants(styles: list[tuple], family: str, count: int) -> list[dict]:
    rows: list[dict] = []
    for st in styles:
        name, zh, category, code, price, sizes, colors, season, make, pop = st
        size_list = sizes.split() or [""]
        for color in colors:
            for size in size_list:
                rows.append(
                    dict(
                        style=name,
                        style_zh=zh,
                        category=category,
                        style_code=code,
                        base_price=price,
                        size=size,
                        color=color,
                        season=season,
                        make=bool(make),
                        style_pop=pop,
                        family=family,
                    )
                )
    if len(rows) < count:
        raise ValueError(f"only {len(rows)} {family} variants defined, {count} needed")
    # Keep every style represented: drop surplus variants from the end of the longest styles.
    return rows[:count]


def build_catalog(seed: int) -> Catalog:
    """The 200-SKU catalogue; deterministic for a seed and independent of scale."""
    rng = rng_for(seed, "catalog")
    rows = _variants(_styles(_APPAREL), "Apparel", N_APPAREL) + _variants(
        _styles(_ELECTRONICS), "Electronics", N_ELECTRONICS
    )
    p = pd.DataFrame(rows)
    n = len(p)
    ap = p["family"] == "Apparel"
    counter = p.groupby("family").cumcount() + 1
    p["sku"] = np.where(ap, "LL-AP-", "LL-EL-") + counter.map("{:04d}".format)
    p["amazon_sku"] = np.where(ap, "AMZ-AP", "AMZ-EL") + counter.map("{:04d}".format)
    p["tmall_code"] = np.where(ap, "TM-AP-", "TM-EL-") + counter.map("{:04d}".format)
    p["old_sku"] = [
        f"{c}-{col.replace(' ', '')[:3].upper()}" + (f"-{s}" if s else "")
        for c, col, s in zip(p["style_code"], p["color"], p["size"], strict=True)
    ]
    variant = [" / ".join(x for x in (s, c) if x) for s, c in zip(p["size"], p["color"], strict=True)]
    p["name"] = [f"{st} - {v}" for st, v in zip(p["style"], variant, strict=True)]
    p["name_zh"] = [
        f"{zh} {_COLOR_ZH[c]}" + (f" {s}" if s else "")
        for zh, c, s in zip(p["style_zh"], p["color"], p["size"], strict=True)
    ]
    item = 100000 + np.arange(n) * 37 + rng.integers(0, 30, n)
    p["barcode"] = _ean13([f"692718{i:06d}" for i in item])
    letters = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
    p["asin"] = ["B0" + "".join(rng.choice(letters, 8)) for _ in range(n)]
    # Prices: larger sizes cost the same; a small per-variant spread keeps totals from looking synthetic.
    p["price_cny"] = (
        p["base_price"] + np.where(p["size"].isin(["XL", "36", "45mm", "2m", "4-Pack"]), 10, 0)
    ).astype(float)
    p.loc[p["size"] == "4-Pack", "price_cny"] = p.loc[p["size"] == "4-Pack", "base_price"] * 3.0
    p["cost_cny"] = np.round(p["price_cny"] * rng.uniform(0.35, 0.55, n), 2)
    usd = np.ceil(p["price_cny"] / 7.2 * 1.1)
    p["price_usd"] = usd - 0.10
    p["amazon_usd"] = usd + rng.integers(0, 3, n) - 0.01
    p["route"] = np.where(p["make"], "Manufacture", "Buy")
    p["mfg_lead_days"] = np.where(p["make"], np.where(ap, 21, 24), 0)
    p["vendor_lead_days"] = np.where(p["make"], 0, rng.integers(20, 46, n))
    # Popularity: style popularity x size/colour preference x noise -> a long tail.
    size_pref = (
        p["size"]
        .map({"S": 0.6, "M": 1.2, "L": 1.1, "XL": 0.6, "30": 0.6, "32": 1.2, "34": 1.0, "36": 0.5})
        .fillna(1.0)
    )
    color_rank = p.groupby("style").cumcount()
    # The plant makes the basics that sell best.
    p["popularity"] = (
        p["style_pop"]
        * np.where(p["make"], 1.4, 1.0)
        * size_pref
        * np.power(0.8, color_rank)
        * rng.lognormal(0.0, 0.45, n)
    )
    p["popularity"] /= p["popularity"].sum()
    on_amazon = (~ap) | (rng.random(n) < 0.6)
    p["on_amazon"] = on_amazon
    p["on_tmall"] = rng.random(n) < 0.92
    p["sku_idx"] = np.arange(n)
    return Catalog(products=p, bom=_bom(p))


def _bom(p: pd.DataFrame) -> pd.DataFrame:
    rows: list[tuple[str, str, float, str]] = []
    fabric_m = {
        "Apparel / Shirts": 1.6,
        "Apparel / T-Shirts": 1.1,
        "Apparel / Trousers": 1.4,
        "Apparel / Sweatshirts": 1.8,
    }
    for r in p.loc[p["make"]].itertuples():
        color = r.color.replace(" ", "").upper()[:4]
        if r.family == "Apparel":
            rows.append((r.sku, f"RM-FAB-{r.style_code}-{color}", fabric_m.get(r.category, 1.5), "m"))
            rows.append((r.sku, f"RM-THR-{color}", 150.0, "m"))
            if r.category == "Apparel / Shirts":
                rows.append((r.sku, "RM-BTN-11MM", 8.0, "Units"))
            if r.category == "Apparel / Trousers":
                rows.append((r.sku, "RM-ZIP-18CM", 1.0, "Units"))
            rows.append((r.sku, "RM-LABEL-LL", 2.0, "Units"))
            rows.append((r.sku, "RM-POLYBAG", 1.0, "Units"))
        else:
            rows.append((r.sku, f"RM-PCBA-{r.style_code}", 1.0, "Units"))
            rows.append((r.sku, f"RM-HSG-{r.style_code}-{color}", 1.0, "Units"))
            if r.style_code in ("EBD", "SPK", "PB1", "PB2"):
                rows.append((r.sku, f"RM-BAT-{r.style_code}", 1.0, "Units"))
            rows.append((r.sku, f"RM-BOX-{r.style_code}", 1.0, "Units"))
            rows.append((r.sku, "RM-MANUAL-EL", 1.0, "Units"))
    return pd.DataFrame(rows, columns=["Product", "Component", "Quantity", "Unit of Measure"])
