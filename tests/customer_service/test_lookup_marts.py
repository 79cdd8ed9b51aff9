"""The customer-service marts behind the order lookup, checked against the base marts and staging.

``marts.fct_order_lookup_keys`` must find every order by its number and every contact it carries;
``marts.fct_order_events`` must tell each order's story with the times the base tables give.
Expectations are worked out here with pandas from the tables the marts are built from.
"""

from __future__ import annotations

import re

import pandas as pd


def _keys(built_instance) -> pd.DataFrame:
    return built_instance.df("select * from marts.fct_order_lookup_keys")


def test_every_order_is_found_by_its_channel_order_number_and_its_second_reference(built_instance):
    orders = built_instance.df("select order_key, channel_order_id, fulfilment_ref from marts.fct_orders")
    keys = _keys(built_instance)
    numbers = keys[keys["key_type"] == "order_number"]
    found = set(zip(numbers["order_key"], numbers["key_value"], strict=True))
    expected = set(zip(orders["order_key"], orders["channel_order_id"], strict=True)) | {
        (key, ref)
        for key, ref, number in zip(
            orders["order_key"], orders["fulfilment_ref"], orders["channel_order_id"], strict=True
        )
        if isinstance(ref, str) and ref != number
    }
    assert found == expected
    assert (numbers["search_value"] == numbers["key_value"].str.lower()).all()
    # the social threads carry an order number besides the thread id, and both find the order
    assert (orders["fulfilment_ref"] != orders["channel_order_id"]).any()


def test_an_orders_own_phone_and_email_are_keys_phones_searched_by_their_digits(built_instance):
    contacts = built_instance.df(
        "select order_key, customer_email, customer_phone from intermediate.int_customers__contacts "
        "where order_key is not null"
    )
    keys = _keys(built_instance)
    from_order = keys[keys["key_sources"].str.contains("order")]
    phones = contacts.dropna(subset=["customer_phone"])
    emails = contacts.dropna(subset=["customer_email"])
    assert set(zip(phones["order_key"], phones["customer_phone"], strict=True)) == set(
        from_order.loc[from_order["key_type"] == "phone", ["order_key", "key_value"]].itertuples(index=False)
    )
    assert set(
        zip(emails["order_key"], emails["customer_email"].str.strip().str.lower(), strict=True)
    ) == set(
        from_order.loc[from_order["key_type"] == "email", ["order_key", "key_value"]].itertuples(index=False)
    )
    phone_keys = keys[keys["key_type"] == "phone"]
    assert len(phone_keys) > 100
    assert (phone_keys["search_value"] == phone_keys["key_value"].map(lambda v: re.sub(r"\D", "", v))).all()


def test_a_ticket_contact_finds_an_order_that_has_no_contact_of_its_own(built_instance):
    """Amazon exports carry no contact; the e-mail the buyer gave customer service finds the order."""
    tickets = built_instance.df(
        "select t.order_key, t.customer_contact from marts.fct_cs_tickets as t "
        "where t.channel = 'amazon' and t.order_key is not null and t.customer_contact like '%@%'"
    )
    assert not tickets.empty, "the demo company has Amazon buyers who wrote to customer service"
    keys = _keys(built_instance)
    emails = keys[keys["key_type"] == "email"]
    found = set(zip(emails["order_key"], emails["search_value"], strict=True))
    for order_key, contact in zip(tickets["order_key"], tickets["customer_contact"], strict=True):
        assert (order_key, contact.strip().lower()) in found
    # names and company names on tickets are neither phones nor e-mails and are not search keys
    assert not keys["key_value"].str.contains(r"[\u4e00-\u9fff]", regex=True).any()


def test_the_lookup_keys_carry_the_orders_display_columns(built_instance):
    joined = built_instance.df(
        "select k.channel, o.channel as order_channel, k.ordered_at_utc, o.ordered_at_utc as order_ordered, "
        "k.order_status, o.order_status as order_order_status, "
        "k.order_amount, o.order_amount as order_amount_o "
        "from marts.fct_order_lookup_keys as k join marts.fct_orders as o using (order_key)"
    )
    assert (joined["channel"] == joined["order_channel"]).all()
    assert (joined["ordered_at_utc"] == joined["order_ordered"]).all()
    assert (joined["order_status"] == joined["order_order_status"]).all()
    assert (joined["order_amount"].fillna(-1) == joined["order_amount_o"].fillna(-1)).all()


def _events(built_instance) -> pd.DataFrame:
    return built_instance.df("select * from marts.fct_order_events")


def test_every_order_is_placed_at_its_order_time_and_paid_at_its_payment(built_instance):
    orders = built_instance.df(
        "select order_key, ordered_at_utc, paid_at_utc, order_status from marts.fct_orders"
    )
    events = _events(built_instance)
    placed = events[events["event_type"] == "placed"].set_index("order_key")["event_at_utc"]
    assert placed.index.is_unique and len(placed) == len(orders)
    assert (placed.loc[orders["order_key"]].to_numpy() == orders["ordered_at_utc"].to_numpy()).all()
    paid = events[events["event_type"] == "paid"].set_index("order_key")["event_at_utc"]
    with_payment = orders.dropna(subset=["paid_at_utc"])
    assert len(paid) == len(with_payment)
    assert (paid.loc[with_payment["order_key"]].to_numpy() == with_payment["paid_at_utc"].to_numpy()).all()


def test_each_shipment_is_shipped_then_delivered_with_carrier_and_tracking_number(built_instance):
    lines = built_instance.df("select * from marts.fct_shipments")
    by_hand = lines.groupby(["order_key", "shipment_id"]).agg(
        carrier=("carrier", "max"),
        tracking_no=("tracking_no", "max"),
        shipped=("shipped_at_utc", "min"),
        delivered=("delivered_at_utc", "max"),
        arrived=("delivered_at_utc", lambda s: s.notna().all()),
    )
    events = _events(built_instance)
    shipped = events[events["event_type"] == "shipped"].set_index(["order_key", "shipment_id"]).sort_index()
    assert len(shipped) == len(by_hand)
    expected = by_hand.loc[shipped.index]
    assert (shipped["carrier"] == expected["carrier"]).all()
    assert (shipped["tracking_no"] == expected["tracking_no"]).all()
    assert (shipped["event_at_utc"] == expected["shipped"]).all()
    delivered = events[(events["event_type"] == "delivered") & events["shipment_id"].notna()]
    delivered = delivered.set_index(["order_key", "shipment_id"]).sort_index()
    arrived = by_hand[by_hand["arrived"]]
    assert len(delivered) == len(arrived)
    assert (delivered["event_at_utc"] == arrived.loc[delivered.index, "delivered"]).all()


def test_tickets_cancellations_and_returns_are_on_the_timeline(built_instance):
    events = _events(built_instance)
    tickets = built_instance.df("select * from marts.fct_cs_tickets where order_key is not null")
    for column, kind in (
        ("created_at_utc", "ticket_created"),
        ("first_response_at_utc", "ticket_first_response"),
        ("resolved_at_utc", "ticket_resolved"),
    ):
        expected = tickets.dropna(subset=[column]).set_index("ticket_id")[column].sort_index()
        found = events[events["event_type"] == kind].set_index("ticket_id")["event_at_utc"].sort_index()
        assert found.index.tolist() == expected.index.tolist()
        assert (found == expected).all()

    orders = built_instance.df("select order_key, fulfilment_ref, order_status from marts.fct_orders")
    cancelled = set(events.loc[events["event_type"] == "cancelled", "order_key"])
    assert cancelled == set(orders.loc[orders["order_status"] == "cancelled", "order_key"])

    moves = built_instance.df(
        "select reference, moved_at_utc from staging.stg_wms__movements where movement_type = 'return'"
    )
    first_return = moves.groupby("reference")["moved_at_utc"].min()
    returned = events[events["event_type"] == "returned"].set_index("order_key")["event_at_utc"]
    refs = orders.set_index("order_key")["fulfilment_ref"]
    returned_orders = set(orders.loc[orders["order_status"] == "returned", "order_key"])
    assert returned_orders and returned_orders <= set(returned.index)
    for order_key, at in returned.items():
        ref = refs[order_key]
        if ref in first_return.index:
            assert at == first_return[ref]
        else:
            assert pd.isna(at) and order_key in returned_orders


def test_the_events_are_stored_sorted_by_order_so_one_order_reads_few_row_groups(built_instance):
    stored = [key for (key,) in built_instance.query("select order_key from marts.fct_order_events")]
    assert stored == sorted(stored)
