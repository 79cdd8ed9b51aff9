"""Masking phones and e-mails inside free text (a ticket's contact or subject), never order numbers."""

from __future__ import annotations

import pytest

from dashboards.masking import mask_contact


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+86 138 1234 5678", "+861********78"),
        ("138-1234-5678", "138******78"),
        ("(415) 555-0182", "415*****82"),
        ("Ann.Lee@Example.com", "A***@Example.com"),
        ("请打13812345678联系", "请打138******78联系"),
        ("call +1 (206) 747-3335 or ann@x.org", "call +120******35 or a***@x.org"),
    ],
)
def test_phones_and_emails_in_a_text_are_masked(text, masked):
    assert mask_contact(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "订单2111906027240829620什么时候到？",  # a Tmall order number: 19 digits, not a phone
        "Where is my order 112-7693137-0098808?",  # an Amazon order number: 17 digits
        "Wrong item received in #3356",
        "BJ01-20251123-0001",  # a store receipt
        "DY-2026-000386",  # a social-commerce thread
        "due 2026-03-01",
        "黄佳晨",  # a name is neither
        "武汉嘉禾贸易有限公司",
    ],
)
def test_order_numbers_dates_and_names_stay_as_they_are(text):
    assert mask_contact(text) == text


def test_nothing_to_mask():
    assert mask_contact(None) is None and mask_contact("") == ""
