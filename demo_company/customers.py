"""People who buy from Lumen & Loom, and the ERP customer master.

One pool of Chinese consumers and one of overseas (mostly US) consumers. Channels draw buyers from
overlapping slices of the pools, so the same person shows up on Tmall, in a store and on WeChat, each time
with the phone written differently (and e-mails sometimes in upper case): the identity-linking work the
pipeline has to do later. The ERP knows B2B accounts and store members, with tiers A/B/C.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .window import Window, rng_for

# Chinese character : pinyin.
_SURNAMES = [
    tuple(x.split(":"))
    for x in (
        "王:Wang 李:Li 张:Zhang 刘:Liu 陈:Chen 杨:Yang 黄:Huang 赵:Zhao 吴:Wu "
        "周:Zhou 徐:Xu 孙:Sun 马:Ma 朱:Zhu 胡:Hu 郭:Guo 何:He 高:Gao 林:Lin 罗:Luo "
        "郑:Zheng 梁:Liang 谢:Xie 宋:Song 唐:Tang 韩:Han 冯:Feng 邓:Deng 曹:Cao "
        "彭:Peng"
    ).split()
]
_GIVEN = [
    tuple(x.split(":"))
    for x in (
        "伟:Wei 芳:Fang 娜:Na 敏:Min 静:Jing 丽:Li 强:Qiang 磊:Lei 军:Jun 洋:Yang "
        "勇:Yong 艳:Yan 杰:Jie 娟:Juan 涛:Tao 明:Ming 超:Chao 秀:Xiu 霞:Xia 平:Ping "
        "刚:Gang 英:Ying 华:Hua 玉:Yu 红:Hong 晨:Chen 宇:Yu 浩:Hao 欣:Xin 怡:Yi "
        "佳:Jia 雪:Xue 琳:Lin 婷:Ting 鹏:Peng 飞:Fei 鑫:Xin 博:Bo 慧:Hui 颖:Ying"
    ).split()
]
_NICK_A = ["快乐的", "安静的", "阳光", "可爱的", "追风", "小小", "甜甜", "爱吃", "奔跑的", "慢慢"]
_NICK_B = ["小鱼", "猫咪", "兔子", "星星", "少年", "橙子", "月亮", "熊猫", "柠檬", "小熊"]
_CN_CITIES = [
    ("上海", "Shanghai", 0.22),
    ("北京", "Beijing", 0.14),
    ("广州", "Guangzhou", 0.12),
    ("深圳", "Shenzhen", 0.12),
    ("杭州", "Hangzhou", 0.1),
    ("成都", "Chengdu", 0.09),
    ("南京", "Nanjing", 0.07),
    ("武汉", "Wuhan", 0.06),
    ("苏州", "Suzhou", 0.05),
    ("西安", "Xi'an", 0.03),
]
_US_FIRST = [
    "Ann",
    "James",
    "Mary",
    "John",
    "Linda",
    "Robert",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Jessica",
    "Daniel",
    "Laura",
    "Kevin",
    "Olivia",
    "Brian",
    "Sophia",
    "Ryan",
    "Emma",
    "Jason",
    "Chloe",
    "Eric",
    "Grace",
    "Tyler",
    "Megan",
    "Nathan",
    "Hannah",
    "Justin",
    "Rachel",
    "Aaron",
]
_US_LAST = [
    "Lee",
    "Smith",
    "Johnson",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Kim",
    "Patel",
    "Chen",
    "Lopez",
    "Hill",
]
# city, state/region, zip, country, calling code, area code, share
_US_CITIES = [
    ("New York", "NY", "10001", "US", "1", "212", 0.13),
    ("Brooklyn", "NY", "11201", "US", "1", "718", 0.06),
    ("Los Angeles", "CA", "90012", "US", "1", "213", 0.11),
    ("San Francisco", "CA", "94103", "US", "1", "415", 0.09),
    ("Seattle", "WA", "98101", "US", "1", "206", 0.07),
    ("Austin", "TX", "78701", "US", "1", "512", 0.06),
    ("Chicago", "IL", "60601", "US", "1", "312", 0.08),
    ("Boston", "MA", "02108", "US", "1", "617", 0.06),
    ("Denver", "CO", "80202", "US", "1", "303", 0.04),
    ("Miami", "FL", "33101", "US", "1", "305", 0.05),
    ("Portland", "OR", "97201", "US", "1", "503", 0.04),
    ("Atlanta", "GA", "30303", "US", "1", "404", 0.05),
    ("Toronto", "ON", "M5V 2T6", "CA", "1", "416", 0.06),
    ("London", "", "EC1A 1BB", "GB", "44", "20", 0.06),
    ("Sydney", "NSW", "2000", "AU", "61", "2", 0.04),
]
_COMPANY_A = [
    "星河",
    "锦程",
    "华美",
    "东方",
    "优品",
    "新潮",
    "恒信",
    "嘉禾",
    "瑞丰",
    "金叶",
    "百川",
    "天成",
    "安达",
    "美佳",
    "利达",
    "宏图",
    "青禾",
    "云裳",
    "盛世",
    "启航",
]
_COMPANY_B = [
    "服饰有限公司",
    "贸易有限公司",
    "电子商务有限公司",
    "商贸有限公司",
    "科技有限公司",
    "百货有限公司",
]
# Sales tax by the buyer's state or province, for the tax columns of the web shop and Amazon.
SALES_TAX_BY_STATE = {
    "NY": 0.08875,
    "CA": 0.0725,
    "WA": 0.101,
    "TX": 0.0825,
    "IL": 0.1025,
    "MA": 0.0625,
    "CO": 0.0881,
    "FL": 0.07,
    "OR": 0.0,
    "GA": 0.089,
    "ON": 0.13,
    "NSW": 0.1,
}

EMAIL_DOMAINS_CN = ["example.cn", "mail.example.cn", "example.com"]
EMAIL_DOMAINS_US = ["example.com", "example.net", "example.org"]


@dataclass(frozen=True)
class People:
    cn: (
        pd.DataFrame
    )  # Chinese consumers: name, phone (11 digits), email ('' when none), city, nick, wechat_id
    us: (
        pd.DataFrame
    )  # overseas consumers: name, phone (national digits), cc, email, city, state, zip, country
    erp: pd.DataFrame  # ERP customer master rows (B2B accounts and store members), see erp.py for columns

    def slice(self, lo: float, hi: float) -> np.ndarray:
        """Indices of the Chinese pool between fractions lo and hi (overlapping slices = shared people)."""
        n = len(self.cn)
        return np.arange(int(lo * n), max(int(hi * n), int(lo * n) + 1))

    def b2b(self, channel: str) -> pd.DataFrame:
        e = self.erp
        return e.loc[(e["kind"] == "b2b") & (e["channel"] == channel)]

    def members(self) -> pd.DataFrame:
        return self.erp.loc[self.erp["kind"] == "member"]


def _unique_digits(rng: np.random.Generator, n: int, first: list[str], width: int) -> np.ndarray:
    """n distinct digit strings: a random prefix from `first` followed by random digits."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        k = n - len(out)
        pre = rng.choice(first, k)
        body = rng.integers(0, 10**width, k)
        for p, b in zip(pre, body, strict=True):
            s = f"{p}{b:0{width}d}"
            if s not in seen:
                seen.add(s)
                out.append(s)
    return np.array(out)


def build_people(seed: int, scale: float, window: Window) -> People:
    """Consumer pools sized with `scale` (repeat buyers stay realistic) and the ERP customer master."""
    rng = rng_for(seed, "customers")
    n_cn = int(7000 * scale) + 300
    n_us = int(3200 * scale) + 150
    # E-mail numbers, WeChat ids and marketplace nicknames come from small number spaces, so some
    # unrelated people share one (identity linking has to cope). Above scale 1 the spaces grow with the
    # pools, so a shared handle stays as rare per person as at scale 1 (half as rare): a fixed space
    # would link ever more strangers into ever longer chains (at 1 M order lines the identity model's
    # six rounds no longer converge).
    spread = max(1, math.ceil(2 * scale) - 1)

    sur = rng.integers(0, len(_SURNAMES), n_cn)
    giv1 = rng.integers(0, len(_GIVEN), n_cn)
    two = rng.random(n_cn) < 0.55
    giv2 = rng.integers(0, len(_GIVEN), n_cn)
    name = [
        _SURNAMES[s][0] + _GIVEN[a][0] + (_GIVEN[b][0] if t else "")
        for s, a, b, t in zip(sur, giv1, giv2, two, strict=True)
    ]
    given_py = [
        _GIVEN[a][1] + (_GIVEN[b][1].lower() if t else "") for a, b, t in zip(giv1, giv2, two, strict=True)
    ]
    sur_py = [_SURNAMES[s][1] for s in sur]
    phone = _unique_digits(rng, n_cn, ["13", "15", "17", "18", "19"], 9)
    num = rng.integers(1, 999 * spread, n_cn)
    dom = rng.choice(EMAIL_DOMAINS_CN, n_cn)
    has_mail = rng.random(n_cn) < 0.6
    email = [
        f"{g.lower()}.{s.lower()}{k}@{d}" if m else ""
        for g, s, k, d, m in zip(given_py, sur_py, num, dom, has_mail, strict=True)
    ]
    cities = np.array([c[0] for c in _CN_CITIES])
    city_en = np.array([c[1] for c in _CN_CITIES])
    w = np.array([c[2] for c in _CN_CITIES])
    ci = rng.choice(len(cities), n_cn, p=w / w.sum())
    nick = [
        f"{_NICK_A[a]}{_NICK_B[b]}{i % (997 * spread)}"
        for i, (a, b) in enumerate(zip(rng.integers(0, 10, n_cn), rng.integers(0, 10, n_cn), strict=True))
    ]
    wechat = [
        f"{s.lower()}_{g.lower()}{k % (100 * spread)}" for s, g, k in zip(sur_py, given_py, num, strict=True)
    ]
    cn = pd.DataFrame(
        dict(
            name=name,
            name_en=[f"{g} {s}" for g, s in zip(given_py, sur_py, strict=True)],
            phone=phone,
            email=email,
            city=cities[ci],
            city_en=city_en[ci],
            nick=nick,
            wechat_id=wechat,
        )
    )

    first = rng.choice(_US_FIRST, n_us)
    last = rng.choice(_US_LAST, n_us)
    uw = np.array([c[6] for c in _US_CITIES])
    ui = rng.choice(len(_US_CITIES), n_us, p=uw / uw.sum())
    uc = [_US_CITIES[i] for i in ui]
    local = rng.integers(2_000_000, 10_000_000, n_us)  # 7-digit subscriber numbers
    us_phone = [f"{c[5]}{loc}" for c, loc in zip(uc, local, strict=True)]
    us_mail = [
        f"{f.lower()}.{la.lower()}{k}@{d}"
        for f, la, k, d in zip(
            first, last, rng.integers(1, 99 * spread, n_us), rng.choice(EMAIL_DOMAINS_US, n_us), strict=True
        )
    ]
    us = pd.DataFrame(
        dict(
            name=[f"{f} {la}" for f, la in zip(first, last, strict=True)],
            phone=us_phone,
            cc=[c[4] for c in uc],
            area=[c[5] for c in uc],
            email=us_mail,
            city=[c[0] for c in uc],
            state=[c[1] for c in uc],
            zip=[c[2] for c in uc],
            country=[c[3] for c in uc],
        )
    )
    return People(cn=cn, us=us, erp=_erp_customers(rng, scale, cn, window))


def _erp_customers(rng: np.random.Generator, scale: float, cn: pd.DataFrame, window: Window) -> pd.DataFrame:
    n = len(cn)
    n_b2b = int(110 * scale) + 16
    n_members = int(1500 * scale) + 60
    contacts = np.arange(int(0.86 * n), n)
    contacts = rng.choice(contacts, min(n_b2b, len(contacts)), replace=False)
    n_b2b = len(contacts)
    cities = sorted({c[0] for c in _CN_CITIES})
    combos = [f"{c}{a}{b}" for c in cities for a in _COMPANY_A for b in _COMPANY_B]
    order = rng.permutation(len(combos))
    # Beyond the distinct combinations (very large scales), branches get a number.
    names = [
        combos[order[i % len(combos)]] + (f"（{i // len(combos) + 1}）" if i >= len(combos) else "")
        for i in range(n_b2b)
    ]
    b2b = pd.DataFrame(
        dict(
            kind="b2b",
            person=contacts,
            company=names,
            tier=rng.choice(["A", "B", "C"], n_b2b, p=[0.2, 0.4, 0.4]),
            channel=np.where(rng.random(n_b2b) < 0.6, "social", "stores"),
        )
    )
    members = np.arange(int(0.35 * n), int(0.35 * n) + min(n_members, int(0.5 * n)))
    mem = pd.DataFrame(
        dict(
            kind="member",
            person=members,
            company="",
            tier=rng.choice(["A", "B", "C"], len(members), p=[0.05, 0.2, 0.75]),
            channel="stores",
        )
    )
    erp = pd.concat([b2b, mem], ignore_index=True)
    start = np.datetime64(window.start, "D")
    erp["created_on"] = start - rng.integers(30, 1500, len(erp)).astype("timedelta64[D]")
    newer = rng.random(len(erp)) < 0.2  # a fifth joined during the history year
    erp.loc[newer, "created_on"] = start + rng.integers(0, 300, int(newer.sum())).astype("timedelta64[D]")
    erp["ref"] = [f"CUST-{i + 1:05d}" for i in range(len(erp))]
    return erp


# ---- phone formats: each system writes the same number its own way -------------------------------------


def cn_phone(digits: np.ndarray | pd.Series, style: str | np.ndarray) -> np.ndarray:
    """Format 11-digit Chinese mobiles: plain, dash (138-1234-5678), space, intl (+86 138 1234 5678), e164."""
    d = pd.Series(np.asarray(digits, dtype=object)).astype(str)
    a, b, c = d.str[:3], d.str[3:7], d.str[7:]
    forms = {
        "plain": d,
        "dash": a + "-" + b + "-" + c,
        "space": a + " " + b + " " + c,
        "intl": "+86 " + a + " " + b + " " + c,
        "e164": "+86" + d,
    }
    if isinstance(style, str):
        return forms[style].to_numpy(dtype=object)
    style = np.asarray(style)
    out = d.to_numpy(dtype=object).copy()
    for key, values in forms.items():
        m = style == key
        out[m] = values.to_numpy(dtype=object)[m]
    return out


def us_phone(us: pd.DataFrame, idx: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Overseas phones, free format as customers type them: `+1 (415) 555-0182`, `415-555-0182`, …"""
    sub = us.iloc[idx]
    ph = sub["phone"].astype(str)
    area, loc = sub["area"].astype(str), ph.str[-7:]
    cc = sub["cc"].astype(str)
    lo3, lo4 = loc.str[:3], loc.str[3:]
    forms = {
        "paren": "+" + cc + " (" + area + ") " + lo3 + "-" + lo4,
        "dash": area + "-" + lo3 + "-" + lo4,
        "plain": "+" + cc + area + loc,
        "dots": area + "." + lo3 + "." + lo4,
    }
    out = np.empty(len(idx), dtype=object)
    style = np.asarray(style)
    for key, values in forms.items():
        m = style == key
        out[m] = values.to_numpy(dtype=object)[m]
    return out


def shout(emails: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """Upper-case a share of e-mail addresses, as some forms and sales reps do."""
    emails = np.asarray(emails, dtype=object).copy()
    m = (rng.random(len(emails)) < share) & (emails != "")
    emails[m] = np.char.upper(emails[m].astype(str)).astype(object)
    return emails


def pick_buyers(rng: np.random.Generator, pool: np.ndarray, n: int, repeat: float = 1.1) -> np.ndarray:
    """Buyers for n orders from a pool; a Zipf-like weight makes some people order again and again."""
    ranks = rng.permutation(len(pool)) + 1
    w = 1.0 / np.power(ranks, repeat * 0.5)
    return pool[rng.choice(len(pool), n, p=w / w.sum())]
