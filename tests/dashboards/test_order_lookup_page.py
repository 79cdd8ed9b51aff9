"""The customer-service order lookup page on a real published warehouse.

Every expectation is a query written here against the base marts (``fct_orders``, ``fct_shipments``,
``fct_cs_tickets``, ``fct_inventory_daily``, ``dim_customers``) and the intermediate contacts, not the
lookup marts the page reads, so a wrong mart or a wrong page fails.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.appkit import open_app

PAGE = "views/order_lookup.py"
ZONE = "Asia/Shanghai"
CAP = 50

# The search rule, written down independently of the page: a channel order number (or the channel's
# second reference) or an e-mail containing the typed text (lower case, spaces removed); a phone whose
# digits contain the typed digits when the text is written like a phone (7+ digits lose leading zeros).
EXPECTED_SQL = """
select distinct o.channel, o.channel_order_id
from marts.fct_orders as o
left join intermediate.int_customers__contacts as c on c.order_key = o.order_key
left join marts.fct_cs_tickets as t on t.order_key = o.order_key
where position($1 in lower(o.channel_order_id)) > 0
    or position($1 in lower(o.fulfilment_ref)) > 0
    or position($1 in lower(trim(c.customer_email))) > 0
    or (t.customer_contact like '%@%' and position($1 in lower(trim(t.customer_contact))) > 0)
    or ($2 is not null and position($2 in regexp_replace(c.customer_phone, '[^0-9]', '', 'g')) > 0)
    or ($2 is not null and t.customer_contact not like '%@%'
        and regexp_matches(t.customer_contact, '^[+0-9 ().-]+$')
        and position($2 in regexp_replace(t.customer_contact, '[^0-9]', '', 'g')) > 0)
"""


def typed_digits(text: str) -> str | None:
    if not re.fullmatch(r"\+?[\d\s().\-/]+", text.strip()):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 7:
        digits = digits.lstrip("0")
    return digits if len(digits) >= 4 else None


def expected_orders(built_instance, text: str) -> set[tuple[str, str]]:
    term = re.sub(r"\s+", "", text).lower()
    return set(built_instance.query(EXPECTED_SQL, [term, typed_digits(text)]))


def local(utc) -> str:
    return pd.Timestamp(utc).tz_localize("UTC").tz_convert(ZONE).strftime("%Y-%m-%d %H:%M")


def open_page(home, monkeypatch, role: str = "cs_agent", language: str = "en") -> AppTest:
    return open_app(home, monkeypatch, role=role, page=PAGE, language=language)


def search(app: AppTest, text: str) -> AppTest:
    app.text_input(key="lookup_query").set_value(text).run()
    assert not app.exception, app.exception
    return app


def table(app: AppTest, column: str, without: str | None = None) -> pd.DataFrame | None:
    """The first dataframe that has ``column`` (and not ``without``)."""
    for frame in app.dataframe:
        value = frame.value
        if column in value.columns and (without is None or without not in value.columns):
            return value
    return None


def found_orders(app: AppTest) -> set[tuple[str, str]]:
    results = table(app, "Matched on")
    return set() if results is None else set(zip(results["Channel"], results["Order number"], strict=True))


def as_read(markdown: str) -> str:
    """Markdown as the reader sees it: backslash escapes (of data such as a masked ``a***@x.com``) gone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def rendered_text(app: AppTest) -> str:
    """Everything the page shows: texts, tables, metrics, choices and the chart's data."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error"):
        parts += [as_read(str(element.value)) for element in app.get(kind)]
    parts += [f"{metric.label} {metric.value}" for metric in app.metric]
    parts += [frame.value.to_csv() for frame in app.dataframe]
    for box in app.selectbox:
        parts += [str(option) for option in box.options]
    parts += [chart.proto.spec for chart in app.get("plotly_chart")]
    return "\n".join(parts)


def open_order(app: AppTest, order_key: str) -> AppTest:
    app.selectbox(key="lookup_order").set_value(order_key).run()
    assert not app.exception, app.exception
    return app


# --- search ------------------------------------------------------------------------------------------
def test_nothing_typed_explains_what_can_be_searched(built_instance, monkeypatch):
    app = open_page(built_instance.home, monkeypatch)
    assert app.title[0].value == "Order lookup"
    assert app.text_input(key="lookup_query").label == "Order number, phone or e-mail"
    explanation = app.info[0].value
    assert "order number" in explanation and "phone" in explanation and "e-mail" in explanation
    assert not app.dataframe


@pytest.mark.parametrize("channel", ["shopify", "amazon", "tmall", "social", "stores"])
def test_a_full_channel_order_number_finds_that_order_first(built_instance, monkeypatch, channel):
    ((number,),) = built_instance.query(
        "select channel_order_id from marts.fct_orders where channel = ? order by order_key limit 1",
        [channel],
    )
    app = search(open_page(built_instance.home, monkeypatch), number)
    assert found_orders(app) == expected_orders(built_instance, number)
    assert (channel, number) in found_orders(app)
    results = table(app, "Matched on")
    assert (results["Channel"].iloc[0], results["Order number"].iloc[0]) == (channel, number)
    assert app.subheader[0].value == f"Order {number} · {channel}"


@pytest.mark.parametrize(
    ("channel", "part"),
    [
        ("shopify", lambda number: number.lstrip("#")[:3]),  # '#1042' → '104'
        ("tmall", lambda number: number[-12:]),  # 12 of the 19 digits
        ("amazon", lambda number: number[4:15]),  # '1234567-123' out of 113-1234567-1234567
        ("social", lambda number: number.lower()[:9]),  # 'dy-2026-0' in lower case
    ],
)
def test_part_of_an_order_number_finds_every_order_containing_it(built_instance, monkeypatch, channel, part):
    ((number,),) = built_instance.query(
        "select channel_order_id from marts.fct_orders where channel = ? order by order_key desc limit 1",
        [channel],
    )
    text = part(number)
    expected = expected_orders(built_instance, text)
    assert (channel, number) in expected
    app = search(open_page(built_instance.home, monkeypatch), text)
    if len(expected) <= CAP:
        assert found_orders(app) == expected
    else:
        assert len(found_orders(app)) == CAP and found_orders(app) <= expected
        assert f"{len(expected):,} orders match" in app.caption[1].value


@pytest.mark.parametrize(
    "written",
    [
        lambda national: f"{national[:3]}-{national[3:7]}-{national[7:]}",  # 138-1234-5678
        lambda national: f"+86 {national[:3]} {national[3:7]} {national[7:]}",  # +86 138 1234 5678
        lambda national: f"0086{national}",  # international prefix
    ],
)
def test_a_chinese_mobile_typed_in_another_format_finds_its_orders(built_instance, monkeypatch, written):
    """The number is stored as the channel wrote it (here without spaces or dashes); digits are compared."""
    # a number no ticket gives (a ticket's contact is compared as written, this one only as stored)
    rows = built_instance.query(
        "select l.customer_phone, c.customer_phone from intermediate.int_order_lines__enriched as l "
        "join intermediate.int_customers__contacts as c using (order_key) "
        "where regexp_matches(l.customer_phone, '^1[3-9][0-9]{9}$') and right(c.customer_phone, 11) not in ("
        "select right(regexp_replace(customer_contact, '[^0-9]', '', 'g'), 11) from marts.fct_cs_tickets "
        "where customer_contact is not null) order by l.order_key limit 1"
    )
    stored, e164 = rows[0]
    text = written(stored)
    assert text != stored
    app = search(open_page(built_instance.home, monkeypatch), text)
    # by hand: every order whose normalised phone is this number
    expected = set(
        built_instance.query(
            "select o.channel, o.channel_order_id from marts.fct_orders as o "
            "join intermediate.int_customers__contacts as c using (order_key) where c.customer_phone = ?",
            [e164],
        )
    )
    assert expected and found_orders(app) == expected == expected_orders(built_instance, text)


@pytest.mark.parametrize(
    "written",
    [
        lambda ten: f"({ten[:3]}) {ten[3:6]}-{ten[6:]}",  # (415) 555-0182
        lambda ten: ten[3:],  # 5550182, without the area code
    ],
)
def test_a_north_american_phone_typed_in_another_format_finds_its_orders(
    built_instance, monkeypatch, written
):
    rows = built_instance.query(
        "select customer_phone from intermediate.int_customers__contacts "
        "where customer_phone like '+1%' and order_key is not null order by order_key limit 1"
    )
    ten = rows[0][0][2:]
    text = written(ten)
    app = search(open_page(built_instance.home, monkeypatch), text)
    expected = expected_orders(built_instance, text)
    assert expected and found_orders(app) == expected


def test_part_of_an_email_in_another_case_finds_its_orders(built_instance, monkeypatch):
    ((email,),) = built_instance.query(
        "select customer_email from intermediate.int_customers__contacts "
        "where customer_email is not null and order_key is not null order by order_key limit 1"
    )
    text = email.split("@")[0].upper() + "@" + email.split("@")[1][:4].upper()  # ANN.LEE7@EXAM
    app = search(open_page(built_instance.home, monkeypatch), text)
    expected = set(
        built_instance.query(
            "select distinct o.channel, o.channel_order_id from marts.fct_orders as o "
            "left join intermediate.int_customers__contacts as c using (order_key) "
            "left join marts.fct_cs_tickets as t using (order_key) "
            "where position(lower(?) in lower(c.customer_email)) > 0 "
            "or (t.customer_contact like '%@%' and position(lower(?) in lower(t.customer_contact)) > 0)",
            [text, text],
        )
    )
    assert expected and found_orders(app) == expected
    assert "e-mail" in set(table(app, "Matched on")["Matched on"])


def test_an_amazon_order_is_found_by_the_email_its_buyer_gave_customer_service(built_instance, monkeypatch):
    ((channel_order_id, contact),) = built_instance.query(
        "select channel_order_id, customer_contact from marts.fct_cs_tickets "
        "where channel = 'amazon' and order_key is not null and customer_contact like '%@%' "
        "order by ticket_id limit 1"
    )
    app = search(open_page(built_instance.home, monkeypatch), contact.upper())
    assert ("amazon", channel_order_id) in found_orders(app)
    assert found_orders(app) == expected_orders(built_instance, contact)


def test_more_matches_than_shown_are_capped_with_a_note(built_instance, monkeypatch):
    expected = expected_orders(built_instance, "example")
    assert len(expected) > CAP
    app = search(open_page(built_instance.home, monkeypatch), "example")
    assert len(found_orders(app)) == CAP and found_orders(app) <= expected
    assert f"{len(expected):,} orders match; showing the {CAP} best" in app.caption[1].value
    newest = table(app, "Matched on")["Ordered"].tolist()
    assert newest == sorted(newest, reverse=True)


@pytest.mark.parametrize(
    "hostile",
    ["' or 1=1 --", "%%%", "___", "%' or '1'='1", "'; drop table marts.fct_orders; --", "a%b_c", "\\%\\_"],
)
def test_hostile_input_matches_nothing_and_breaks_nothing(built_instance, monkeypatch, hostile):
    app = search(open_page(built_instance.home, monkeypatch), hostile)
    assert found_orders(app) == set() == expected_orders(built_instance, hostile)
    assert len(app.warning) == 1 and app.warning[0].value.startswith("No order matches.")
    assert hostile in as_read(app.warning[0].value)  # says what was searched, as typed
    assert built_instance.query("select count(*) from marts.fct_orders")[0][0] > 0


def test_a_lone_wildcard_is_too_short_to_search(built_instance, monkeypatch):
    app = search(open_page(built_instance.home, monkeypatch), "%")
    assert app.info[0].value == "Type at least 3 characters to search."
    assert not app.dataframe


# --- one order ----------------------------------------------------------------------------------------
def test_the_timeline_shows_each_step_with_carrier_tracking_number_and_tickets(built_instance, monkeypatch):
    order_key, number = built_instance.query(
        "select o.order_key, o.channel_order_id from marts.fct_orders as o "
        "join marts.fct_cs_tickets as t using (order_key) "
        "where o.shipments >= 1 and o.delivered_at_utc is not null and o.paid_at_utc is not null "
        "and t.resolved_at_utc is not null order by o.order_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    timeline = table(app, "Event")
    rows = list(zip(timeline["Time"], timeline["Event"], timeline["Details"], strict=True))

    ordered_at, paid_at, delivered_at = built_instance.query(
        "select ordered_at_utc, paid_at_utc, delivered_at_utc from marts.fct_orders where order_key = ?",
        [order_key],
    )[0]
    assert (local(ordered_at), "Placed") in [(time, event) for time, event, _ in rows]
    assert (local(paid_at), "Paid") in [(time, event) for time, event, _ in rows]
    shipments = built_instance.query(
        "select shipment_id, min(shipped_at_utc), max(delivered_at_utc), any_value(carrier), "
        "any_value(tracking_no) from marts.fct_shipments where order_key = ? group by shipment_id",
        [order_key],
    )
    assert shipments
    for shipment_id, shipped, delivered, carrier, tracking in shipments:
        shipped_rows = [
            detail for time, event, detail in rows if event == "Shipped" and time == local(shipped)
        ]
        assert any(
            carrier in detail and tracking in detail and shipment_id in detail for detail in shipped_rows
        )
        assert any(event == "Delivered" and time == local(delivered) for time, event, _ in rows)
    assert max(local(d) for _, _, d, _, _ in shipments) == local(delivered_at)
    tickets = built_instance.query(
        "select ticket_id, created_at_utc, first_response_at_utc, resolved_at_utc from marts.fct_cs_tickets "
        "where order_key = ?",
        [order_key],
    )
    for ticket_id, created, first_response, resolved in tickets:
        for at, event in (
            (created, "Ticket created"),
            (first_response, "First response"),
            (resolved, "Ticket resolved"),
        ):
            if at is not None:
                assert any(t == local(at) and e == event and ticket_id in d for t, e, d in rows)
    times = [time for time, _, _ in rows if time != "–"]
    assert times == sorted(times)

    # the shipments table and the chart say the same
    shipped = table(app, "Tracking number")
    assert set(zip(shipped["Carrier"], shipped["Tracking number"], strict=True)) == {
        (carrier, tracking) for _, _, _, carrier, tracking in shipments
    }
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    lanes = {trace["name"] for trace in chart["data"]}
    assert {f"Shipment {shipment_id}" for shipment_id, *_ in shipments} <= lanes
    assert {f"Ticket {ticket_id}" for ticket_id, *_ in tickets} <= lanes

    # the order's lines, with amounts in their currency
    lines = table(app, "Unit price")
    expected_lines = built_instance.query(
        "select sku, quantity, line_amount, currency from marts.fct_order_lines where order_key = ? "
        "order by line_number, channel_line_id",
        [order_key],
    )
    assert lines["SKU"].tolist() == [sku for sku, *_ in expected_lines]
    assert lines["Quantity"].tolist() == [quantity for _, quantity, _, _ in expected_lines]
    assert lines["Amount"].tolist() == [f"{float(a):,.2f} {c}" for _, _, a, c in expected_lines]


def test_an_order_without_shipments_or_tickets_says_so(built_instance, monkeypatch):
    order_key, number = built_instance.query(
        "select order_key, channel_order_id from marts.fct_orders where fulfilment_type = 'ship' "
        "and shipments is null and order_key not in (select order_key from marts.fct_cs_tickets "
        "where order_key is not null) order by order_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    infos = [info.value for info in app.info]
    assert any(info.startswith("No shipment for this order yet") for info in infos)
    assert "No customer-service ticket about this order." in infos
    assert table(app, "Tracking number") is None


def test_a_counter_sale_is_handed_over_not_shipped(built_instance, monkeypatch):
    order_key, number, sold_at = built_instance.query(
        "select order_key, channel_order_id, ordered_at_utc from marts.fct_orders "
        "where fulfilment_type = 'counter' and order_status = 'delivered' order by order_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    assert "A counter sale: handed over in the store, nothing was shipped." in [
        info.value for info in app.info
    ]
    timeline = table(app, "Event")
    assert (local(sold_at), "Delivered") in set(zip(timeline["Time"], timeline["Event"], strict=True))


def test_the_customers_other_orders_across_channels_and_opening_one(built_instance, monkeypatch):
    customer_key, order_key, number, channel = built_instance.query(
        "select o.customer_key, min(o.order_key), min_by(o.channel_order_id, o.order_key), "
        "min_by(o.channel, o.order_key) "
        "from marts.fct_orders as o join marts.dim_customers as c using (customer_key) "
        "where c.channels >= 2 and c.orders between 3 and 50 group by o.customer_key "
        "order by o.customer_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    others = table(app, "Order number", without="Matched on")
    expected = set(
        built_instance.query(
            "select channel, channel_order_id from marts.fct_orders "
            "where customer_key = ? and order_key <> ?",
            [customer_key, order_key],
        )
    )
    assert len({other for other, _ in expected} | {channel}) >= 2, "orders in several channels"
    assert set(zip(others["Channel"], others["Order number"], strict=True)) == expected

    # drill-down: open another order of the customer (what a click on its row does)
    other_key, other_number = built_instance.query(
        "select order_key, channel_order_id from marts.fct_orders where customer_key = ? and order_key <> ? "
        "order by order_key limit 1",
        [customer_key, order_key],
    )[0]
    app.selectbox(key="lookup_other_order").set_value(other_key).run()
    app.button(key="lookup_open_other").click().run()
    assert not app.exception, app.exception
    assert app.text_input(key="lookup_query").value == other_number
    assert app.selectbox(key="lookup_order").value == other_key
    assert app.subheader[0].value.startswith(f"Order {other_number} · ")


def test_an_order_without_customer_link_explains_why_there_are_no_other_orders(built_instance, monkeypatch):
    order_key, number = built_instance.query(
        "select order_key, channel_order_id from marts.fct_orders where customer_key is null "
        "order by order_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    assert any("not linked to a customer" in info.value for info in app.info)


def test_the_stock_available_now_for_a_replacement(built_instance, monkeypatch):
    order_key, number = built_instance.query(
        "select order_key, channel_order_id from marts.fct_orders "
        "where order_lines >= 2 and channel = 'shopify' order by order_key limit 1"
    )[0]
    app = open_order(search(open_page(built_instance.home, monkeypatch), number), order_key)
    stock = table(app, "All warehouses")
    expected = pd.DataFrame(
        built_instance.query(
            "select i.sku, i.warehouse_code, i.available_qty from marts.fct_inventory_daily as i "
            "where i.snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) "
            "and i.sku in (select sku from marts.fct_order_lines where order_key = ?)",
            [order_key],
        ),
        columns=["sku", "warehouse", "available"],
    )
    skus = {
        sku
        for (sku,) in built_instance.query(
            "select sku from marts.fct_order_lines where order_key = ? and sku is not null", [order_key]
        )
    }
    assert not expected.empty
    assert set(stock["SKU"]) == skus
    shown = stock.set_index("SKU")
    for sku, warehouse, available in expected.itertuples(index=False):
        assert shown.loc[sku, warehouse] == available
    for sku, rows in expected.groupby("sku"):
        assert shown.loc[sku, "All warehouses"] == rows["available"].sum()
    ((latest,),) = built_instance.query("select max(snapshot_date) from marts.fct_inventory_daily")
    assert any(
        f"{latest:%Y-%m-%d}" in caption.value and "the latest WMS stock snapshot" in caption.value
        for caption in app.caption
    )


# --- masking ------------------------------------------------------------------------------------------
def _contacts_of(built_instance, order_key: str) -> tuple[list[str], list[str]]:
    """The order's full phones and e-mails: its own (normalised) and those its tickets give, as written."""
    own = built_instance.query(
        "select customer_phone, lower(trim(customer_email)) from intermediate.int_customers__contacts "
        "where order_key = ?",
        [order_key],
    )
    given = [
        contact
        for (contact,) in built_instance.query(
            "select customer_contact from marts.fct_cs_tickets "
            "where order_key = ? and customer_contact is not null",
            [order_key],
        )
    ]
    phones = [phone for phone, _ in own if phone] + [c for c in given if re.fullmatch(r"[+0-9 ().-]+", c)]
    emails = [email for _, email in own if email] + [c.strip().lower() for c in given if "@" in c]
    return phones, emails


def _full_contacts_shown(text: str, phones: list[str], emails: list[str]) -> list[str]:
    """Which full contacts appear in the text; a phone in any writing (its last 10 digits are compared)."""
    runs = [re.sub(r"\D", "", run) for run in re.findall(r"\+?\d[\d ().-]*\d", text)]
    shown = [phone for phone in phones if any(re.sub(r"\D", "", phone)[-10:] in run for run in runs)]
    return shown + [email for email in emails if email in text.lower()]


MASKING_CASES = {
    # an order whose ticket gives a phone, searched by that phone as the customer wrote it
    "phone": (
        "select t.order_key, t.customer_contact from marts.fct_cs_tickets as t "
        "join intermediate.int_customers__contacts as c using (order_key) "
        "where regexp_matches(t.customer_contact, '^[+0-9 ().-]+$') and c.customer_phone is not null "
        "order by t.ticket_id limit 1"
    ),
    # an order with its own e-mail and a ticket giving an e-mail, searched by its own e-mail
    "email": (
        "select t.order_key, lower(c.customer_email) from marts.fct_cs_tickets as t "
        "join intermediate.int_customers__contacts as c using (order_key) "
        "where t.customer_contact like '%@%' and c.customer_email is not null "
        "order by t.ticket_id limit 1"
    ),
}


@pytest.mark.parametrize("role", ["manager", "analyst"])
@pytest.mark.parametrize("by", sorted(MASKING_CASES))
def test_roles_without_contacts_see_them_masked_and_cannot_search_by_them(
    built_instance, monkeypatch, role, by
):
    """A masked role could otherwise confirm a phone or an e-mail one character at a time."""
    order_key, typed = built_instance.query(MASKING_CASES[by])[0]
    (number,) = built_instance.query(
        "select channel_order_id from marts.fct_orders where order_key = ?", [order_key]
    )[0]
    phones, emails = _contacts_of(built_instance, order_key)
    assert phones if by == "phone" else emails
    page = open_page(built_instance.home, monkeypatch, role=role)
    assert page.text_input(key="lookup_query").label == "Order number or customer name"
    by_contact = search(page, typed)
    assert number not in {shown for _, shown in found_orders(by_contact)}
    assert not _full_contacts_shown(rendered_text(by_contact), phones, emails)
    app = open_order(search(by_contact, number), order_key)
    text = rendered_text(app)
    assert not _full_contacts_shown(text, phones, emails)
    assert "Phone numbers and e-mails are masked for your role." in text
    for email in emails:
        assert f"{email[0]}***@{email.split('@')[1]}" in text  # masked, still recognisable
    assert table(app, "Contact") is not None  # the ticket, with its masked contact, is on the page


def test_roles_without_contacts_find_orders_by_customer_name(built_instance, monkeypatch):
    channel, number, name = built_instance.query(
        "select o.channel, o.channel_order_id, c.customer_name from intermediate.int_customers__contacts c "
        "join marts.fct_orders o using (order_key) where c.customer_name like '% %' "
        "order by o.ordered_at_utc desc limit 1"
    )[0]
    app = search(open_page(built_instance.home, monkeypatch, role="manager"), name.upper())
    assert (channel, number) in found_orders(app)


@pytest.mark.parametrize("by", sorted(MASKING_CASES))
def test_customer_service_agents_see_contacts_in_full(built_instance, monkeypatch, by):
    order_key, typed = built_instance.query(MASKING_CASES[by])[0]
    phones, emails = _contacts_of(built_instance, order_key)
    app = open_order(search(open_page(built_instance.home, monkeypatch, role="cs_agent"), typed), order_key)
    text = rendered_text(app)
    assert sorted(_full_contacts_shown(text, phones, emails)) == sorted(phones + emails)
    assert "masked" not in text


# --- language ---------------------------------------------------------------------------------------
def test_the_page_in_chinese(built_instance, monkeypatch):
    order_key, number = built_instance.query(
        "select order_key, channel_order_id from marts.fct_orders where channel = 'tmall' and shipments >= 1 "
        "order by order_key limit 1"
    )[0]
    app = open_page(built_instance.home, monkeypatch, language="zh")
    assert app.title[0].value == "订单查询"
    assert app.text_input(key="lookup_query").label == "订单号、电话或邮箱"
    app = open_order(search(app, number), order_key)
    assert app.subheader[0].value == f"订单 {number} · tmall"
    assert {"时间", "事件", "详情"} <= set(app.dataframe[1].value.columns)
    assert "已发货" in set(app.dataframe[1].value["事件"])
    assert any(markdown.value == "#### 时间线" for markdown in app.markdown)
